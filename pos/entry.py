"""What was typed or scanned into the till's entry box: a product, a quick key, a member or a receipt."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: '3*T1', '3x T1': three of what follows (a scanner never types this, a volunteer does).
_QUANTITY = re.compile(r"^(\d{1,6})\s*[*xX]\s*(.+)$")
#: A member's card ('MEMBER:…', what its QR code holds) or their number typed ('M0001').
_MEMBER = re.compile(r"^(MEMBER:.+|M\d{4,})$", re.IGNORECASE)
#: A receipt's barcode, as the scanner types it: 'till-1/123' (see pos.receipts.sale_reference).
_RECEIPT = re.compile(r"^[^\s/*]+/\d+$")
_CARD_PREFIX = "MEMBER:"


@dataclass(frozen=True)
class Scan:
    """A barcode, a short code (T1) or words: looked up as a code, or the search result picked."""

    code: str
    quantity: int = 1

    @property
    def is_barcode(self) -> bool:
        return self.code.isdigit()


@dataclass(frozen=True)
class QuickKey:
    """1-9 alone: the quick key with that number on the menu row shown."""

    number: int
    quantity: int = 1


@dataclass(frozen=True)
class MemberRef:
    """A member's card or number. A number that finds nobody is looked up as a product code after all,
    so the quantity typed before it is kept."""

    code: str
    quantity: int = 1

    @property
    def by_card(self) -> bool:
        """A card proves the member is here; a typed number only gives member prices."""
        return self.code.upper().startswith(_CARD_PREFIX)


@dataclass(frozen=True)
class ReceiptRef:
    """A receipt's barcode ('till-1/2721'): that sale, for a reprint (F9) or a refund (F7)."""

    reference: str


Entry = Scan | QuickKey | MemberRef | ReceiptRef


def parse_entry(text: str) -> Entry | None:
    """What the entry box's text means when Enter is pressed; None when there is nothing in it."""
    text = text.strip()
    if not text:
        return None
    if _RECEIPT.match(text):
        return ReceiptRef(text)
    quantity = 1
    match = _QUANTITY.match(text)
    if match:
        quantity, text = int(match[1]), match[2].strip()
    if _MEMBER.match(text) or text.upper().startswith(_CARD_PREFIX):  # 'MEMBER:' alone: a card gone bad
        return MemberRef(text, quantity)
    if len(text) == 1 and text in "123456789":
        return QuickKey(int(text), quantity)
    return Scan(text, quantity)


def wants_live_search(text: str) -> bool:
    """Whether the text typed so far gets live search results: only words do, so a scanner's
    digits (or a receipt's barcode) never pay for a search on every keystroke."""
    text = text.strip()
    return (len(text) >= 2 and any(ch.isalpha() for ch in text) and not _QUANTITY.match(text)
            and not _RECEIPT.match(text))
