"""Receipts: a plain receipt model rendered to ESC/POS bytes and sent to a printer. No database here."""
