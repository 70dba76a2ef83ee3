"""Products, barcodes, the stock ledger and the product CSV. Plain Python over an open sqlite_utils.Database."""
