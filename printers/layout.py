"""Lay a receipt out as fixed-width lines, shared by the text preview and the printer."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from printers.charset import printable
from printers.receipt import Receipt, ReceiptItem, ReceiptLine

#: Font A columns are 32 on 58 mm paper, 42 or 48 on 80 mm; these bounds only catch nonsense.
MIN_WIDTH, MAX_WIDTH = 16, 80
DETAIL_INDENT = "  "
#: Font A is 12 dots wide, so the paper is about this many dots per column (384 for 32 columns).
DOTS_PER_COLUMN = 12
# Code 128 at the narrowest module ESC/POS allows must fit across the paper.
_BARCODE_MODULE_DOTS = 2


@dataclass(frozen=True)
class Line:
    """One printed line. `text` fits the width, except a QR or barcode's preview stand-in."""

    text: str
    align: Literal["left", "center"] = "left"
    bold: bool = False
    double: bool = False
    qr: str | None = None  # the printer prints this QR code instead of the text
    barcode: str | None = None  # the printer prints this as a Code 128 barcode instead


def layout(receipt: Receipt, width: int) -> list[Line]:
    """The receipt as lines of at most `width` columns, sections separated by a row of '-'."""
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"a receipt is {MIN_WIDTH} to {MAX_WIDTH} columns wide, not {width}")
    sections = [
        _header(receipt.header, width),
        _centred([receipt.title], width, bold=True) if receipt.title else [],
        _pairs(receipt.meta, width),
        [line for item in receipt.items for line in _item(item, width)],
        _pairs(receipt.totals, width),
        [Line("VAT", bold=True), *_pairs(receipt.vat, width)] if receipt.vat else [],
        _pairs(receipt.tenders, width),
        [Line(text) for note in receipt.notes for text in _wrap(note, width)],
        _centred(receipt.footer, width) + _qr(receipt.qr) + _barcode(receipt.barcode, width),
    ]
    lines: list[Line] = []
    for section in sections:
        if section:
            if lines:
                lines.append(Line("-" * width))
            lines.extend(section)
    return lines


def _wrap(text: str, width: int) -> list[str]:
    """Word-wrapped pieces; a blank entry stays as one blank line, since someone put it there."""
    return textwrap.wrap(printable(text), width) or [""]


def _header(header: list[str], width: int) -> list[Line]:
    if not header:
        return []
    name, *rest = header
    return _centred([name], width, bold=True, double=True) + _centred(rest, width)


def _centred(texts: list[str], width: int, *, bold: bool = False, double: bool = False) -> list[Line]:
    return [Line(piece, "center", bold, double) for text in texts for piece in _wrap(text, width)]


def _pairs(rows: list[ReceiptLine], width: int) -> list[Line]:
    return [line for row in rows for line in _pair(row.text, row.amount, width, bold=row.bold)]


def _pair(label: str, amount: str, width: int, *, bold: bool = False) -> list[Line]:
    """Label left, amount right; a label too long is cut short, the amount never is."""
    label, amount = printable(label).strip(), printable(amount).strip()
    if not amount:
        return [Line(text, bold=bold) for text in _wrap(label, width)]
    room = width - len(amount) - 1
    if room < 1:
        return _amount_below(label, amount, width, bold=bold)
    return [Line(f"{label[:room].rstrip():<{room}} {amount}", bold=bold)]


def _amount_below(label: str, amount: str, width: int, *, bold: bool = False) -> list[Line]:
    """For an amount as wide as the paper: the label, then the whole amount, right-aligned."""
    lines = [Line(text, bold=bold) for text in textwrap.wrap(label, width)]
    chunks = [amount[start:start + width] for start in range(0, len(amount), width)]
    return lines + [Line(chunk.rjust(width), bold=bold) for chunk in chunks]


def _item(item: ReceiptItem, width: int) -> list[Line]:
    """The name wraps in its own column left of the amount; details sit indented below."""
    name, amount = printable(item.name).strip(), printable(item.amount).strip()
    room = width - len(amount) - 1
    if room < 1:
        lines = _amount_below(name, amount, width)
    else:
        first, *rest = _wrap(name, room)
        lines = [Line(f"{first:<{room}} {amount}")] + [Line(text) for text in rest]
    for detail in item.details:
        lines += [Line(DETAIL_INDENT + text) for text in _wrap(detail, width - len(DETAIL_INDENT))]
    return lines


def _qr(content: str | None) -> list[Line]:
    if not content:
        return []
    return [Line(f"[QR: {printable(content)}]", "center", qr=content)]


def _barcode(content: str | None, width: int) -> list[Line]:
    if not content:
        return []
    # Code 128 (code set B) takes printable ASCII; start, check digit and each character are
    # 11 modules, the stop 13.
    modules = 11 * (len(content) + 2) + 13
    if content.isascii() and content.isprintable() and modules * _BARCODE_MODULE_DOTS <= width * DOTS_PER_COLUMN:
        return [Line(f"[Barcode: {content}]", "center", barcode=content)]
    # Too long for the paper or not plain ASCII: the reference is still worth printing to type in.
    return [Line(text, "center") for text in _wrap(content, width)]
