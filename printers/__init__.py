"""Receipts: a plain receipt model rendered to ESC/POS bytes and sent to a printer. No database here."""

from printers.layout import Line, layout
from printers.receipt import Receipt, ReceiptItem, ReceiptLine
from printers.render import drawer_kick, to_escpos, to_text
from printers.send import PrinterUnavailable, PrintResult, print_receipt, send, test_page
from printers.spec import (
    FileSpec,
    NetworkSpec,
    PreviewSpec,
    PrinterSpec,
    PrinterSpecError,
    SerialSpec,
    UsbSpec,
    parse_spec,
)

__all__ = [
    "FileSpec", "Line", "NetworkSpec", "PreviewSpec", "PrintResult", "PrinterSpec", "PrinterSpecError",
    "PrinterUnavailable", "Receipt", "ReceiptItem", "ReceiptLine", "SerialSpec", "UsbSpec", "drawer_kick", "layout",
    "parse_spec", "print_receipt", "send", "test_page", "to_escpos", "to_text",
]
