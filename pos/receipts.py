"""Turn a recorded sale into a receipt: all the money formatting and VAT wording happens here,
so printers/ only lays out text it is given."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from core.clock import local
from core.errors import TillError
from core.money import format_pence
from inventory.units import weight_text
from pos import vat
from pos.basket import MEMBER_PRICE
from pos.config import Settings
from pos.tenders import TenderKind
from pos.till import Sale
from printers.receipt import Receipt, ReceiptItem, ReceiptLine


def whats_on(settings: Settings, day):
    """This week's "What's on at the centre" entry, if the society has any: a new one each week, in turn."""
    entries = settings.centre.whats_on
    if not entries:
        return None
    year, week, _ = day.isocalendar()
    return entries[(year * 53 + week) % len(entries)]


def sale_reference(sale: Sale) -> str:
    """What a receipt's barcode and the refund screen use to find a sale: 'till-1/123'."""
    return f"{sale.till_id}/{sale.sale_number}"


def build_receipt(
    sale: Sale, settings: Settings, *, operator: str, copy: bool = False, original_number: int | None = None,
) -> Receipt:
    society = settings.society
    zone: ZoneInfo = settings.zone
    header = [society.name, *society.address.splitlines(), *settings.receipt.header]
    if society.vat_registered and society.vat_number:
        header.append(f"VAT no. {society.vat_number}")

    titles = []
    if sale.kind == "refund":
        titles.append(f"REFUND of sale {original_number}" if original_number else "REFUND")
    if copy:
        titles.append("COPY")

    when = local(sale.created_at, zone)
    meta = [
        ReceiptLine(text="Sale", amount=f"{sale.till_id} #{sale.sale_number}"),
        ReceiptLine(text="Date", amount=when.strftime("%d/%m/%Y %H:%M")),
        ReceiptLine(text="Served by", amount=operator),
    ]
    if sale.member_number:
        meta.append(ReceiptLine(text="Member", amount=sale.member_number))
    if sale.eat_in:
        meta.append(ReceiptLine(text="Eat in", amount=""))

    items = []
    for line in sale.lines:
        details = []
        if line.weight_grams is not None:
            details.append(f"{weight_text(line.weight_grams)} @ {format_pence(line.per_kg_pence or 0)}/kg")
        elif abs(line.quantity) != 1:
            details.append(f"{line.quantity} x {format_pence(line.unit_price_pence)}")
        if line.discount_pence:
            reason = f" ({line.discount_reason})" if line.discount_reason else ""
            details.append(f"Discount{reason} {format_pence(-line.discount_pence)}")
        items.append(ReceiptItem(name=line.product_name, amount=format_pence(line.line_total_pence),
                                 details=details))

    discounts = sum(line.discount_pence for line in sale.lines)
    totals = []
    if discounts and sale.kind == "sale":
        totals.append(ReceiptLine(text="Before discounts", amount=format_pence(sale.total_pence + discounts)))
        totals.append(ReceiptLine(text="You saved", amount=format_pence(discounts)))
    if sale.donation_pence:
        totals.append(ReceiptLine(text="Community fund - thank you!", amount=format_pence(sale.donation_pence)))
    totals.append(ReceiptLine(text="TOTAL", amount=format_pence(sale.total_pence), bold=True))

    vat_rows: list[ReceiptLine] = []
    if society.vat_registered:
        by_rate: dict[int, int] = defaultdict(int)
        for line in sale.lines:
            if line.vat_class != vat.OUTSIDE_SCOPE:
                by_rate[line.vat_rate_bp] += line.line_total_pence
        for rate, gross in sorted(by_rate.items(), reverse=True):
            vat_rows.append(ReceiptLine(
                text=f"{vat.rate_label(rate)} on {format_pence(gross)}",
                amount=format_pence(vat.vat_in(gross, rate)),
            ))
        outside = sum(l.line_total_pence for l in sale.lines if l.vat_class == vat.OUTSIDE_SCOPE)
        if outside:
            vat_rows.append(ReceiptLine(text=f"No VAT (collected for others) {format_pence(outside)}"))

    tenders = []
    for tender in sale.tenders:
        label = TenderKind(tender.kind).label
        shown = tender.given_pence if tender.kind == TenderKind.cash else tender.amount_pence
        tenders.append(ReceiptLine(text=label, amount=format_pence(shown)))
    if sale.change_pence:
        tenders.append(ReceiptLine(text="Change", amount=format_pence(sale.change_pence), bold=True))

    notes = []
    qr = settings.receipt.qr or None
    this_week = whats_on(settings, local(sale.created_at, zone).date())
    if this_week is not None:
        notes.append(f"What's on at the centre: {this_week.text}")
        qr = this_week.qr or qr
    member_savings = sum(l.discount_pence for l in sale.lines if l.discount_reason == MEMBER_PRICE)
    if member_savings > 0 and sale.kind == "sale":
        notes.append(f"Members save {format_pence(member_savings)} today")

    return Receipt(
        header=header,
        notes=notes,
        title=" - ".join(titles) or None,
        meta=meta,
        items=items,
        totals=totals,
        vat=vat_rows,
        tenders=tenders,
        footer=list(settings.receipt.footer),
        qr=qr,
        barcode=sale_reference(sale),
        open_drawer=any(t.kind == TenderKind.cash for t in sale.tenders) and not copy,
    )


def parse_sale_reference(text: str, default_till: str) -> tuple[str, int]:
    """'123' (this till) or a scanned receipt's 'till-2/123' → (till id, sale number)."""
    text = text.strip()
    till_id, _, number = text.rpartition("/")
    if not (number.isascii() and number.isdigit()) or int(number) < 1:
        raise TillError(f"'{text}' is not a sale number; type the number on the receipt or scan its barcode")
    return (till_id or default_till), int(number)


def welcome_receipt(member, shares: int, amount_pence: int, settings: Settings) -> Receipt:
    """Printed when someone joins at the till: their card (QR and number) and their first shares."""
    return Receipt(
        header=[settings.society.name, *settings.society.address.splitlines()],
        title="WELCOME TO THE CO-OP",
        meta=[ReceiptLine(text="Member", amount=member.number), ReceiptLine(text="Name", amount=member.name),
              ReceiptLine(text="Joined", amount=member.admitted_on.strftime("%d/%m/%Y"))],
        totals=[ReceiptLine(text=f"{shares} community shares", amount=format_pence(amount_pence), bold=True)],
        notes=["Share money is not a purchase: no VAT, no dividend on it.",
               "Keep this card: scan it at the till for member prices."],
        qr=member.card_code,
        open_drawer=True,
        private=True,
    )


def member_money_slip(title: str, number: str, name: str, what: str, amount_pence: int, settings: Settings, *,
                      paid_out: bool, when: str) -> Receipt:
    """Share money, a dividend or till credit handed over the counter: a slip for the member (money
    in) or for the member to sign (money out: the society needs a valid receipt, s.31)."""
    notes = ["Share money is not a purchase: no VAT, no dividend on it."] if not paid_out else [
        "Received by the member:", "", "Signed ______________________", "Keep this slip with the cash-up."]
    return Receipt(
        header=[settings.society.name, *settings.society.address.splitlines()],
        title=title,
        meta=[ReceiptLine(text="Member", amount=number), ReceiptLine(text="Name", amount=name),
              ReceiptLine(text="Date", amount=when)],
        totals=[ReceiptLine(text=what, amount=format_pence(amount_pence), bold=True)],
        notes=notes,
        open_drawer=True,
        private=True,
    )


def statement_receipt(statement, settings: Settings) -> Receipt:
    """A member's own statement ("My shares"), printed at their request."""
    from pos.membership import statement_rows

    lines = [ReceiptLine(text=label, amount=value) for label, value in statement_rows(statement)]
    return Receipt(
        header=[settings.society.name],
        title="MY SHARES",
        meta=[ReceiptLine(text="Member", amount=statement.number), ReceiptLine(text="Name", amount=statement.name)],
        totals=lines,
        notes=statement.pending_withdrawals,
        private=True,
    )


TRAINING = "TRAINING - NOT A RECEIPT"


def training_receipt(receipt: Receipt) -> Receipt:
    """Marked top and bottom so no one takes it for a real one; no barcode, so it can never be
    scanned for a refund on the real till, and the drawer stays shut: no real money moved."""
    return receipt.model_copy(update={
        "title": TRAINING if not receipt.title else f"{TRAINING} - {receipt.title}",
        "footer": [*receipt.footer, TRAINING],
        "barcode": None,
        "qr": None,
        "open_drawer": False,
    })
