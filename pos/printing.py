"""Sending a receipt or slip to the shop's printer: the one way the till screen, the command line and
the queue of owed receipts print. It touches no database, so a worker thread may print while the till
sells on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import TillError

if TYPE_CHECKING:
    from pos.config import Settings
    from pos.receipt_queue import Printer
    from printers.receipt import Receipt
    from printers.send import PrintResult


def printer(settings: Settings, spec: str | None = None) -> Printer:
    """The settings' printer (or the one `spec` names) as a callable that prints a receipt;
    a spec that cannot be used is a TillError saying why."""
    from pos.receipt_queue import Printer
    from printers.spec import PrinterSpecError, parse_spec

    try:
        parsed = parse_spec(spec if spec is not None else settings.printer.spec)
    except PrinterSpecError as error:
        raise TillError(str(error)) from None
    return Printer(parsed, settings.printer.columns, Path(settings.receipts_dir), settings.printer.timeout_seconds)


def send_receipt(settings: Settings, receipt: Receipt, name: str, *, spec: str | None = None) -> PrintResult:
    """Print one receipt or slip, saved as `name` by the preview printer (whose text the result
    holds). A printer that cannot print it is a TillError saying why."""
    from printers.send import PrinterUnavailable

    chosen = printer(settings, spec)
    try:
        return chosen(receipt, name)
    except PrinterUnavailable as error:
        raise TillError(str(error)) from None
