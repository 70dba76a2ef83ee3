"""The treasurer's books: the till's recorded money as double-entry journals, for Xero, beancount or a
spreadsheet (docs/accounts.md says how each kind of money is booked).

`chart` is the chart of accounts (a settings section); `journals` builds one balanced journal per till
session and one per day for the society's money outside sessions; `beancount`, `xero` and `plain_csv`
write them. Nothing here writes to the database.
"""
