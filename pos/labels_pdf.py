"""Shelf-edge labels as a PDF for the common A4 label sheets, drawn with reportlab (its barcodes included).

The sheets are the usual office-supply ones: 21 a sheet (3 × 7, 63.5 × 38.1 mm) and 65 a sheet (5 × 13,
38.1 × 21.2 mm). Each label is drawn inside its own cell with a small inset, so a printer that feeds a
millimetre off still keeps the text and the barcode's quiet zones on the label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inventory.labels import ShelfLabel, Symbology


@dataclass(frozen=True)
class Sheet:
    columns: int
    rows: int
    #: Label width and height, the left and top margins and the column pitch, in mm.
    width: float
    height: float
    left: float
    top: float
    pitch: float


SHEETS = {
    21: Sheet(3, 7, 63.5, 38.1, 7.25, 15.15, 66.04),
    65: Sheet(5, 13, 38.1, 21.2, 4.65, 10.7, 40.64),
}


def write_pdf(labels: list[ShelfLabel], path: Path, *, sheet: int = 21) -> int:
    """Write the labels to `path`, as many sheets as they need; the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    layout = SHEETS[sheet]
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setTitle("Shelf labels")
    per_page = layout.columns * layout.rows
    pages = max(1, -(-len(labels) // per_page))
    for page in range(pages):
        for index, label in enumerate(labels[page * per_page:(page + 1) * per_page]):
            row, column = divmod(index, layout.columns)
            x = (layout.left + column * layout.pitch) * mm
            y = A4[1] - (layout.top + (row + 1) * layout.height) * mm
            _draw(canvas, label, x, y, layout.width * mm, layout.height * mm, small=sheet == 65)
        canvas.showPage()
    canvas.save()
    return pages


def _draw(canvas, label: ShelfLabel, x: float, y: float, width: float, height: float, *, small: bool) -> None:
    """Name across the top, then the price (with the unit price beside it), the barcode under them."""
    from reportlab.graphics import renderPDF
    from reportlab.lib.units import mm

    inset = 1.5 * mm
    name_size, price_size, unit_size = (6.5, 10, 5.5) if small else (10, 18, 8)
    room = width - 2 * inset
    top = y + height - inset
    canvas.setFont("Helvetica-Bold", name_size)
    canvas.drawString(x + inset, top - name_size, _fit(canvas, label.name, "Helvetica-Bold", name_size, room))
    baseline = top - name_size - price_size
    canvas.setFont("Helvetica-Bold", price_size)
    canvas.drawString(x + inset, baseline, label.price)
    if label.unit_price:
        canvas.setFont("Helvetica", unit_size)
        canvas.drawRightString(x + width - inset, baseline, label.unit_price)
    if label.code:
        # Room below the price for the bars and the digits under them (fontSize 5 plus a gap).
        bar_height = baseline - (y + inset) - 3 * mm
        drawing = _barcode(label, bar_height, 0.26 * mm if small else 0.33 * mm)
        renderPDF.draw(drawing, canvas, x + inset, y + inset)


def _barcode(label: ShelfLabel, bar_height: float, module: float):
    from reportlab.graphics.barcode import createBarcodeDrawing

    if label.symbology == Symbology.code128:
        return createBarcodeDrawing("Code128", value=label.code, barWidth=module, barHeight=bar_height,
                                    humanReadable=True, fontSize=5, quiet=True)
    # reportlab adds the check digit itself and checks a given one: it is handed the digits before it.
    kind = "EAN13" if label.symbology == Symbology.ean13 else "EAN8"
    return createBarcodeDrawing(kind, value=label.code[:-1], barWidth=module, barHeight=bar_height,
                                humanReadable=True, fontSize=5)


def _fit(canvas, text: str, font: str, size: float, room: float) -> str:
    """The name cut with an ellipsis where it would run off the label."""
    if canvas.stringWidth(text, font, size) <= room:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"
