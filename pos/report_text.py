"""X and Z reports as plain text, for the terminal, a file or a 42-column receipt printer."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from core.money import format_pence
from pos.reports import TillReport
from pos.tenders import TenderKind

WIDTH = 42


def _row(label: str, value: str, width: int = WIDTH) -> str:
    return f"{label[: width - len(value) - 1]:<{width - len(value)}}{value}"


def _money(label: str, pence: int) -> str:
    return _row(label, format_pence(pence))


def _when(iso: str) -> str:
    """'2026-11-19T08:45:00+00:00' -> '2026-11-19 08:45' (already in the shop's time)."""
    return iso[:16].replace("T", " ")


def _count_and_sum(count: int, pence: int) -> str:
    """'2, £6.00 in all': how many, and their total (never '2 x £6.00', which reads as £12.00).
    None at all is 'none': '0, £0.00 in all' makes a volunteer look for money that is not there."""
    if count == 0 and pence == 0:
        return "none"
    return f"{count}, {format_pence(pence)} in all"


def _tender_label(kind: str) -> str:
    try:
        return TenderKind(kind).label
    except ValueError:
        return kind.replace("_", " ").capitalize()


def render_report(report: TillReport, *, shop_name: str = "", blind: bool = False, notes: Sequence[str] = ()) -> str:
    """`blind` leaves out the cash the till expects, so whoever counts the drawer is not led by it. `notes`
    (the VAT threshold's warning: pos/vat_turnover.py) end the report, wrapped to its width."""
    title = "Z REPORT" if report.kind == "Z" else "X REPORT (till still open)"
    out = [title.center(WIDTH)]
    if shop_name:
        out.append(shop_name[:WIDTH].center(WIDTH))
    out += [
        _row("Till", report.till),
        _row("Trading day", report.date),
        _row("Opened", _when(report.opened_at)),
    ]
    if report.closed_at:
        out.append(_row("Closed", _when(report.closed_at)))
    if len(report.z_numbers) > 1:  # a day closed more than once: say this is all of them together
        out.append(_row("Z numbers, together", ", ".join(str(z) for z in report.z_numbers)))
    elif report.z_numbers:
        out.append(_row("Z number", str(report.z_numbers[0])))
    if report.journal:
        out.append(_row("Journal", report.journal))
    out += ["", "SALES", _row("Sales", str(report.sales_count)),
            _money("Gross sales", report.gross_sales_pence),
            _money("Discounts", -report.discounts_pence),
            _row("Refunds", _count_and_sum(report.refunds_count, -report.refunds_pence)),
            _money("Net sales", report.net_sales_pence)]
    if report.pass_through_pence:
        out += [_money("  of which collected for others", report.pass_through_pence),
                _money("Takings", report.takings_pence)]
    if report.paid_forward or report.claimed:
        out += [_row("Paid forward / claimed", f"{report.paid_forward} / {report.claimed}")]
    if report.donations_pence:
        out += [_money("Community fund (not takings)", report.donations_pence)]
    if report.time_credits or report.tenders.get("time_credits"):
        out += [_row("Time credits taken", f"{report.time_credits} for "
                     f"{format_pence(report.tenders.get('time_credits', 0))}")]
    out += [_row("Voided baskets", _count_and_sum(report.voids_count, report.voids_pence)),
            _row("No-sale drawer openings", str(report.no_sales))]

    if not blind:  # the cash tender would give the expected cash away
        out += ["", "TENDERS"]
        out += [_money(_tender_label(kind), amount) for kind, amount in report.tenders.items()] or ["  none"]

    out += ["", "CATEGORIES"]
    out += [_money(f"{c.category} ({c.quantity})", c.net_pence) for c in report.categories] or ["  none"]

    if report.vat is not None:
        out += ["", "VAT", _row("Rate", "Gross       VAT       Net")]
        for line in report.vat:
            figures = (f"{format_pence(line.gross_pence):>9} {format_pence(line.vat_pence):>9}"
                       f" {format_pence(line.net_pence):>9}")
            out.append(_row(f"{line.vat_class} {line.rate}", figures))

    if report.community_fund_pence:
        out += [_money("Community fund so far", report.community_fund_pence)]
    if blind:
        return "\n".join([*out, "", "CASH", "  Count the drawer (F3) to see the cash figures.", *_notes(notes)]) + "\n"
    out += ["", "CASH",
            _money("Float", report.float_pence),
            _money("Cash sales less refunds", report.cash_sales_pence),
            _money("Paid in", report.paid_in_pence),
            _money("Paid out", -report.paid_out_pence)]
    if report.share_capital_in_pence or report.share_capital_out_pence:
        out += [_money("Share capital in", report.share_capital_in_pence),
                _money("Share capital paid back", -report.share_capital_out_pence)]
    if report.dividend_paid_pence:
        out += [_money("Dividend paid in cash", -report.dividend_paid_pence)]
    if report.credit_paid_out_pence:
        out += [_money("Till credit paid out", -report.credit_paid_out_pence)]
    out += [_money("Expected in drawer", report.cash_expected_pence)]
    if report.cash_counted_pence is not None:
        difference = report.cash_difference_pence or 0
        verdict = "over" if difference > 0 else "short" if difference < 0 else "exact"
        out += [_money("Counted", report.cash_counted_pence),
                _row("Difference", f"{format_pence(difference)} ({verdict})")]
    return "\n".join([*out, *_notes(notes)]) + "\n"


def _notes(notes: Sequence[str]) -> list[str]:
    return [line for note in notes for line in ["", *textwrap.wrap(note, WIDTH)]]
