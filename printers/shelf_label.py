"""One shelf-edge label on the receipt printer: name, price, unit price and the barcode, drawn by the
printer itself (ESC/POS GS k). Plain text in, bytes out: no database, no money rules."""

from __future__ import annotations

from pydantic import BaseModel

from printers.charset import CODE_PAGES

#: The printer's own symbologies, by the names the till's labels use.
_ESCPOS = {"EAN13": "EAN13", "EAN8": "EAN8", "Code128": "CODE128"}
BARCODE_HEIGHT_DOTS = 80


class LabelSlip(BaseModel):
    name: str
    price: str
    unit_price: str = ""
    code: str = ""
    #: EAN13, EAN8 or Code128.
    symbology: str = "Code128"


def label_text(label: LabelSlip, width: int) -> str:
    """The label as the preview printer shows it."""
    rows = [label.name[:width], label.price + (f"  {label.unit_price}" if label.unit_price else "")]
    if label.code:
        rows.append(f"[{label.symbology}: {label.code}]")
    return "".join(row + "\n" for row in rows)


def label_escpos(label: LabelSlip) -> bytes:
    """The label as ESC/POS bytes, built with python-escpos, cut at the end."""
    from escpos.magicencode import Encoder
    from escpos.printer import Dummy

    # The receipts' two code pages, set up as printers/render.py does, so the £ prints as on a receipt.
    printer = Dummy(magic_encode_args={"encoder": Encoder(dict(CODE_PAGES))})
    printer.hw("INIT")
    printer.charcode(next(iter(CODE_PAGES)))
    printer.charcode("AUTO")
    printer.set(bold=True)
    printer.textln(label.name)
    printer.set(bold=True, double_height=True, double_width=True)
    printer.textln(label.price)
    printer.set(normal_textsize=True, bold=False)
    if label.unit_price:
        printer.textln(label.unit_price)
    if label.code:
        kind = _ESCPOS[label.symbology]
        # EAN data goes without its check digit, which the printer adds; Code 128 names its code set B.
        data = "{B" + label.code.replace("{", "{{") if kind == "CODE128" else label.code[:-1]
        # The hardware path quietly: the public barcode() prints a line to stdout (see printers/render.py).
        printer._hw_barcode(data, kind, height=BARCODE_HEIGHT_DOTS, width=3, pos="BELOW", font="A",
                            align_ct=True, function_type="B" if kind == "CODE128" else "A")
    printer.ln()
    printer.cut()
    return printer.output
