"""Turn a receipt into the plain-text preview or the ESC/POS bytes a thermal printer prints."""

from __future__ import annotations

from printers.charset import CODE_PAGES
from printers.layout import DOTS_PER_COLUMN, Line, layout
from printers.receipt import Receipt

# 6-dot modules make a short link's QR about 22 mm across at 203 dpi, easy for a phone; longer
# content gets smaller modules to stay on the paper. Level M survives a crumpled receipt.
QR_MODULE_DOTS, QR_SMALLEST_MODULE_DOTS = 6, 2
BARCODE_HEIGHT_DOTS = 64


def to_text(receipt: Receipt, width: int) -> str:
    """The receipt as the paper will show it, minus bold and size; a QR shows as '[QR: …]'."""
    rows = []
    for line in layout(receipt, width):
        indent = max((width - len(line.text)) // 2, 0) if line.align == "center" else 0
        rows.append((" " * indent + line.text).rstrip())
    return "".join(row + "\n" for row in rows)


def to_escpos(receipt: Receipt, width: int) -> bytes:
    """The receipt as ESC/POS bytes, built with python-escpos and ready to send as they are."""
    # Imported here so that a till that only previews never pays for python-escpos: importing
    # it takes about 0.3 s, calls logging.basicConfig() and makes a temporary directory.
    from escpos.constants import QR_ECLEVEL_M
    from escpos.magicencode import Encoder
    from escpos.printer import Dummy

    # Only our two code pages: left to its default profile, python-escpos picks among some 40
    # pages, many of which cheap printers number differently or lack.
    printer = Dummy(magic_encode_args={"encoder": Encoder(dict(CODE_PAGES))})
    printer.hw("INIT")  # ESC @: drop any bold, size or alignment an interrupted job left behind
    # Select the first page now (ESC t 19); AUTO then lets python-escpos switch to the other
    # page only for a run of text that needs it. Left alone, it would start in the page with
    # the lowest slot number, CP852, which has no £.
    printer.charcode(next(iter(CODE_PAGES)))
    printer.charcode("AUTO")
    if receipt.open_drawer:
        printer.cashdraw(2)

    printed = Line("")  # what ESC @ leaves: left, not bold, normal size
    for line in layout(receipt, width):
        _restyle(printer, printed, line)
        printed = line
        if line.qr and (module := _qr_module_dots(line.qr, width)):
            # native=True: the printer draws the code from a few bytes (GS ( k). The image
            # route (native=False) prints a warning to stdout with python-escpos's default
            # profile and sends hundreds of bytes of raster instead.
            printer.qr(line.qr, ec=QR_ECLEVEL_M, size=module, native=True)
            printer.ln()
        elif line.barcode:
            # The public barcode() prints "Using hardware barcode renderer" to stdout; the
            # hardware path it calls does the same work quietly. '{' opens a code-set switch
            # in ESC/POS Code 128 data, so a literal one is doubled.
            printer._hw_barcode(
                "{B" + line.barcode.replace("{", "{{"), "CODE128", height=BARCODE_HEIGHT_DOTS,
                width=2, pos="BELOW", font="A", align_ct=False, function_type="B",
            )
            printer.ln()
        else:
            printer.textln(line.text)
    printer.cut()
    return printer.output


def drawer_kick() -> bytes:
    """Only the pulse that opens a cash drawer on the printer's drawer port (pin 2), for a no-sale."""
    from escpos.printer import Dummy

    printer = Dummy()
    printer.cashdraw(2)
    return printer.output


def _qr_module_dots(content: str, width: int) -> int | None:
    """The largest module, up to 6 dots, that keeps the QR code on the paper; None if none will."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(content.encode("utf-8"))  # byte mode: the printer may pack it tighter, never looser
    try:
        version = code.best_fit()
    except ValueError:  # more than any QR code holds; its text is printed instead
        return None
    dots = width * DOTS_PER_COLUMN // (17 + 4 * version)
    return min(dots, QR_MODULE_DOTS) if dots >= QR_SMALLEST_MODULE_DOTS else None


def _restyle(printer, was: Line, now: Line) -> None:
    """Send only the style changes between two lines."""
    changes: dict = {}
    if now.double != was.double:
        changes["double_height" if now.double else "normal_textsize"] = True
        # The size command (ESC !) also switches bold off, so bold is sent again after it.
        changes["bold"] = now.bold
    elif now.bold != was.bold:
        changes["bold"] = now.bold
    if now.align != was.align:
        changes["align"] = now.align
    if changes:
        printer.set(**changes)
