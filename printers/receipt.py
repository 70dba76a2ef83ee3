"""What a receipt says, as already-formatted text: printers lay it out and know no money rules."""

from __future__ import annotations

from pydantic import BaseModel


class ReceiptLine(BaseModel):
    """A left label and an optional right-aligned amount."""

    text: str
    amount: str = ""
    bold: bool = False


class ReceiptItem(BaseModel):
    """One thing sold: its name, its line total, and any lines under it."""

    name: str
    amount: str
    details: list[str] = []


class Receipt(BaseModel):
    """Everything printed on one slip of paper, top to bottom."""

    header: list[str] = []
    title: str | None = None
    meta: list[ReceiptLine] = []
    items: list[ReceiptItem] = []
    totals: list[ReceiptLine] = []
    vat: list[ReceiptLine] = []
    tenders: list[ReceiptLine] = []
    notes: list[str] = []
    footer: list[str] = []
    qr: str | None = None
    # A reference a hand scanner can read back (pos.receipts passes 'till-1/123' for refunds).
    barcode: str | None = None
    open_drawer: bool = False
    #: About one member (their card, a welcome slip, their statement): the preview printer shows it and
    #: keeps no file of it, so no card code or member's print is left lying in the receipts folder.
    private: bool = False
