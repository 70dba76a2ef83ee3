"""Results that travel up from workers and screens, named in the past tense."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ReceiptPrinted(Message):
    #: None for a slip that is not a sale's receipt.
    sale_id: int | None
    #: The receipt as text when the printer is the on-screen preview.
    preview: str | None
    #: Show it now, in a window of its own (a reprint asked for it).
    show: bool = False
    #: The shop the sale is in (the real one or a training copy), so a late answer from the
    #: printer never marks a receipt in the other.
    shop: object = None
    #: The receipt of a sale just completed: the till screen shows it beside the change.
    just_sold: bool = False


@dataclass
class ReceiptFailed(Message):
    sale_id: int | None
    reason: str
    shop: object = None
