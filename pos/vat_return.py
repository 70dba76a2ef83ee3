"""The VAT return's nine boxes, from the recorded sales, for the treasurer or bridging software to submit.

The workings by rate are the Zs' own: each till's Z of each trading day in the period, made by
`pos.reports.session_report`, added up. So the return is the sum of the Zs the shop printed, to the penny
(VAT is worked out on each Z's gross at each rate, as printed), and catering follows the eat-in, take-away
and hot rules each line was sold under (`pos.vat`). Refund lines are negative: they reduce the boxes.

The till holds no purchase invoices: boxes 4 and 7 are the treasurer's, from the purchase records, and so
box 5 is box 3 less what they find. It records no trade in goods with the EU (boxes 2, 8 and 9: Northern
Ireland only), so those are 0.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlite_utils import Database

from core.errors import TillError
from core.money import format_pence
from pos import vat
from pos.reports import VatTotal, session_report

PURCHASES = "from your purchase records"
NO_EU_TRADE = "0: the till records no trade in goods with the EU (Northern Ireland only)"


class RateWorking(VatTotal):
    """One VAT class and rate over the period: the sum of the Zs' lines for it (a Z's own line, added up)."""


class Box(BaseModel):
    number: int
    label: str
    #: None where the till cannot know it (boxes 4, 5 and 7): `note` says what goes there.
    pence: int | None
    note: str = ""


class VatReturn(BaseModel):
    first: date
    last: date
    vat_number: str
    boxes: list[Box]
    workings: list[RateWorking]
    #: Each (till, trading day) whose Z is in the return.
    zs: int
    #: Sessions in the period still open (their sales are not in the return), as "till-1 on 2026-03-31".
    open_sessions: list[str]

    def box(self, number: int) -> Box:
        return self.boxes[number - 1]


def whole_pounds(pence: int) -> int:
    """Boxes 6 to 9 are whole pounds, pence left off (toward zero), as HMRC asks."""
    return pence - pence % 100 if pence >= 0 else -(-pence - -pence % 100)


def zs_in(db: Database, first: date, last: date) -> list[list[int]]:
    """Each till's closed sessions of each trading day in the period: one Z each, as `till report z` shows it."""
    days: dict[tuple[str, str], list[int]] = defaultdict(list)
    for session_id, till_id, day in db.execute(
            "select id, till_id, business_date from till_sessions where business_date between ? and ?"
            " and closed_at is not null order by till_id, business_date, id", [first.isoformat(), last.isoformat()]):
        days[(till_id, day)].append(session_id)
    return list(days.values())


def workings(db: Database, first: date, last: date, *, zone: ZoneInfo) -> tuple[list[RateWorking], int]:
    """The Zs' VAT by class and rate over the period, added up; and how many Zs that was."""
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    zs = zs_in(db, first, last)
    for ids in zs:
        for line in session_report(db, ids, zone=zone, vat_registered=True).vat or []:
            found = totals[(line.vat_class, line.rate_bp)]
            found[0] += line.gross_pence
            found[1] += line.vat_pence
            found[2] += line.net_pence
    ordered = sorted(totals.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    return [RateWorking(vat_class=c, rate_bp=r, rate=vat.rate_label(r), gross_pence=g, vat_pence=t, net_pence=n)
            for (c, r), (g, t, n) in ordered], len(zs)


def vat_return(db: Database, first: date, last: date, *, zone: ZoneInfo, vat_number: str) -> VatReturn:
    if last < first:
        raise TillError("the VAT period ends before it starts")
    rates, zs = workings(db, first, last, zone=zone)
    output_vat = sum(r.vat_pence for r in rates)
    sales = sum(r.net_pence for r in rates)
    boxes = [
        Box(number=1, label="VAT due on sales and other outputs", pence=output_vat),
        Box(number=2, label="VAT due on acquisitions of goods from the EU", pence=0, note=NO_EU_TRADE),
        Box(number=3, label="Total VAT due (box 1 + box 2)", pence=output_vat),
        Box(number=4, label="VAT reclaimed on purchases and other inputs", pence=None, note=PURCHASES),
        Box(number=5, label="Net VAT to pay to HMRC or reclaim (box 3 - box 4)", pence=None,
            note="box 3 less box 4 (from your purchase records)"),
        Box(number=6, label="Total value of sales and other outputs, excluding VAT", pence=whole_pounds(sales),
            note="whole pounds"),
        Box(number=7, label="Total value of purchases and other inputs, excluding VAT", pence=None, note=PURCHASES),
        Box(number=8, label="Total value of supplies of goods to the EU, excluding VAT", pence=0, note=NO_EU_TRADE),
        Box(number=9, label="Total value of acquisitions of goods from the EU, excluding VAT", pence=0,
            note=NO_EU_TRADE),
    ]
    still_open = [f"{till} on {day}" for till, day in db.execute(
        "select till_id, business_date from till_sessions where business_date between ? and ? and closed_at is null"
        " order by till_id, business_date", [first.isoformat(), last.isoformat()])]
    return VatReturn(first=first, last=last, vat_number=vat_number, boxes=boxes, workings=rates, zs=zs,
                     open_sessions=still_open)


def render(found: VatReturn) -> str:
    """`till vat return` for people: the boxes as the return's form has them, then the workings."""
    out = [f"VAT return, {found.first:%d/%m/%Y} to {found.last:%d/%m/%Y}"
           + (f", VAT number {found.vat_number}" if found.vat_number else ""),
           f"From {found.zs} Z report{'s' if found.zs != 1 else ''} (every till's, each trading day).", ""]
    for box in found.boxes:
        value = format_pence(box.pence) if box.pence is not None else box.note
        note = f" ({box.note})" if box.pence is not None and box.note and box.number in (6, 7) else ""
        out.append(f"Box {box.number}  {box.label}: {value}{note}")
    out += ["", "Workings by rate (the Zs added up):", f"  {'Rate':<16}{'Gross':>14}{'VAT':>12}{'Net':>14}"]
    for line in found.workings:
        out.append(f"  {line.vat_class + ' ' + line.rate:<16}{format_pence(line.gross_pence):>14}"
                   f"{format_pence(line.vat_pence):>12}{format_pence(line.net_pence):>14}")
    if not found.workings:
        out.append("  no sales in the period")
    out += ["", "Not in the till: purchases (boxes 4 and 7) and, under the flat rate scheme, its percentage: "
            "the till works out VAT on each sale's rate."]
    if found.open_sessions:
        out.append(f"Still open, so not in this return: {', '.join(found.open_sessions)}. Close them with a Z "
                   "and run the return again.")
    return "\n".join(out) + "\n"
