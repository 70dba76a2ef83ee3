"""Products, barcodes and the stock ledger. Plain Python over an open sqlite_utils.Database."""
