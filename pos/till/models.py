"""What the till records and hands back: sessions, sales and their lines, parked baskets, and the
record a sale or refund is written from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import BaseModel

from core.errors import TillError
from inventory.stock import MovementKind
from pos.basket import Basket
from pos.tenders import AppliedTender


class NotOpen(TillError):
    def __init__(self) -> None:
        super().__init__("The till is not open: open it with a float before selling")


class Session(BaseModel):
    id: int
    till_id: str
    business_date: str
    opened_at: str
    opened_by: int
    float_pence: int
    closed_at: str | None = None
    closed_by: int | None = None
    counted_pence: int | None = None
    z_number: int | None = None


class SaleLine(BaseModel):
    line_no: int
    product_id: int
    product_name: str
    category: str
    quantity: int
    unit_price_pence: int
    discount_pence: int
    discount_reason: str | None = None
    line_total_pence: int
    vat_class: str
    vat_rate_bp: int
    pass_through: bool
    healthy_start: bool
    member_number: str | None = None
    refund_of_line: int | None = None
    pay_forward: bool = False
    claimed: bool = False
    #: A weighed line's weight in grams (its unit price is then per kg).
    weight_grams: int | None = None
    per_kg_pence: int | None = None
    id: int | None = None


class Sale(BaseModel):
    """A completed sale or refund, as recorded. Never edited."""

    id: int
    till_id: str
    sale_number: int
    kind: str
    session_id: int
    business_date: str
    created_at: str
    operator_id: int
    member_number: str | None
    eat_in: bool
    total_pence: int
    refund_of: int | None = None
    reason: str | None = None
    lines: list[SaleLine]
    tenders: list[AppliedTender]
    #: Given to the community fund with the sale; inside total_pence, outside the lines.
    donation_pence: int = 0

    @property
    def change_pence(self) -> int:
        return sum(t.change_pence for t in self.tenders)


class ParkedBasket(BaseModel):
    id: int
    parked_at: str
    operator_id: int
    label: str | None
    basket: Basket


class StockMove(NamedTuple):
    """Goods leaving the shelf with a sale (negative) or coming back with a refund."""

    product_id: int
    kind: MovementKind
    quantity: int


class Wasted(NamedTuple):
    """Refunded goods not fit to sell again: back on the books, then straight out as wastage."""

    product_id: int
    quantity: int


class PriceOverride(NamedTuple):
    approver_id: int
    #: 'Tea: £1.20 to £1.00, bruised', for the audit log.
    detail: str


# A plain dataclass, not a pydantic model: it is built once per sale from values the till made
# itself, and validating them again would only slow the benchmarked sale commit.
@dataclass(slots=True)
class SaleRecord:
    """Everything a sale or refund writes, gathered before its transaction begins."""

    kind: str
    total_pence: int
    lines: list[SaleLine]
    tenders: list[AppliedTender]
    operator_id: int
    member_number: str | None
    eat_in: bool
    stock: list[StockMove] = field(default_factory=list)
    wasted: list[Wasted] = field(default_factory=list)
    overrides: list[PriceOverride] = field(default_factory=list)
    refund_of: int | None = None
    reason: str | None = None
    #: Who approved a refund.
    approver_id: int | None = None
    donation_pence: int = 0
    family_under5: bool = False
    first_visit: bool = False
    #: The member's card was scanned, so their credit may be spent.
    member_card: bool = False
    #: Time credits a refund gives back, and the pence they had paid.
    credits_back: int = 0
    credits_back_pence: int = 0
