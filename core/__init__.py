"""The foundation every package stands on: the database file and its transactions, the journal,
the clock, money, errors, backups, the crash log and exact allocation. It imports no package above it."""
