"""How a sale is paid: cash (with change), card on the separate terminal, Healthy Start card,
voucher, and any mix of them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from core.errors import TillError
from core.money import format_pence


class TenderKind(StrEnum):
    cash = "cash"
    card = "card"
    healthy_start = "healthy_start"
    voucher = "voucher"
    #: A member's till credit (their dividend), spent like money at the till.
    member_credit = "member_credit"
    #: A volunteer's time credits, one for each item from the categories the society sets.
    time_credits = "time_credits"

    @property
    def label(self) -> str:
        return {"cash": "Cash", "card": "Card", "healthy_start": "Healthy Start",
                "voucher": "Voucher", "member_credit": "Member credit",
                "time_credits": "Time credits"}[self.value]


class PaymentError(TillError):
    """The tenders offered cannot settle the sale; nothing was recorded."""


class Tender(BaseModel):
    """What the customer handed over: for cash, the amount given (change comes back)."""

    kind: TenderKind
    amount_pence: int = Field(gt=0)
    reference: str | None = None
    #: Time credits only: how many, and whose (the volunteer's id).
    credits: int | None = None
    volunteer_id: int | None = None


class AppliedTender(BaseModel):
    kind: TenderKind
    #: What this tender paid towards the sale (for cash: given minus change).
    amount_pence: int
    given_pence: int
    change_pence: int = 0
    reference: str | None = None
    credits: int | None = None
    volunteer_id: int | None = None


class Settlement(BaseModel):
    tenders: list[AppliedTender]
    change_pence: int


def settle(total_pence: int, tenders: list[Tender]) -> Settlement:
    """Check the tenders cover the total and work out the change.

    Cash may exceed the total (change is given from the drawer); card,
    Healthy Start and vouchers may not, together or alone, so no tender ever
    gives cash back.
    """
    if total_pence < 0:
        raise PaymentError("a sale cannot have a negative total")
    non_cash = sum(t.amount_pence for t in tenders if t.kind != TenderKind.cash)
    cash = sum(t.amount_pence for t in tenders if t.kind == TenderKind.cash)
    if non_cash > total_pence:
        raise PaymentError(
            f"card, Healthy Start and vouchers can pay at most {format_pence(total_pence)}; "
            "only cash can be more than the total"
        )
    if non_cash + cash < total_pence:
        raise PaymentError(f"{format_pence(total_pence - non_cash - cash)} still to pay")
    change = non_cash + cash - total_pence
    applied: list[AppliedTender] = []
    change_left = change
    for tender in tenders:
        if tender.kind == TenderKind.cash:
            back = min(change_left, tender.amount_pence)
            change_left -= back
            applied.append(AppliedTender(kind=tender.kind, amount_pence=tender.amount_pence - back,
                                         given_pence=tender.amount_pence, change_pence=back,
                                         reference=tender.reference))
        else:
            applied.append(AppliedTender(kind=tender.kind, amount_pence=tender.amount_pence,
                                         given_pence=tender.amount_pence, reference=tender.reference,
                                         credits=tender.credits, volunteer_id=tender.volunteer_id))
    return Settlement(tenders=applied, change_pence=change)


def quick_cash_amounts(total_pence: int) -> list[int]:
    """Exact, then the notes a customer is likely to hand over (£5, £10, £20) that cover it."""
    amounts = [total_pence]
    for note in (500, 1000, 2000):
        if note > total_pence and note not in amounts:
            amounts.append(note)
    return amounts
