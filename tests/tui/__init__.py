"""The screen tests: whole flows at the till, driven by the keyboard only on a real database, one file per feature."""
