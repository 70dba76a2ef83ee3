"""The year end (pos/year_end.py) as text for people, CSV for a spreadsheet (one figure a row) and JSON."""

from __future__ import annotations

import csv
import io
import json

from centre.figures import MEASURES
from core.money import format_pence
from pos.year_end import YearEnd
from volunteers.shifts import as_hours


def rows(found: YearEnd) -> list[tuple[str, str, int, str]]:
    """(section, figure, value, unit) for every figure, in the order the text shows them."""
    m, s, w, d, t, v = (found.members, found.share_capital, found.withdrawals, found.dividend, found.trading,
                        found.volunteering)
    return [
        ("members", "at the start", m.at_start, "members"), ("members", "joined", m.joined, "members"),
        ("members", "ceased", m.ceased, "members"), ("members", "at the end", m.at_end, "members"),
        ("share capital", "at the start", s.at_start_pence, "pence"),
        ("share capital", "issued for cash", s.issued_for_cash_pence, "pence"),
        ("share capital", "issued as dividend", s.issued_as_dividend_pence, "pence"),
        ("share capital", "withdrawn", s.withdrawn_pence, "pence"),
        ("share capital", "at the end", s.at_end_pence, "pence"),
        ("withdrawals", "requested", w.requested, "requests"),
        ("withdrawals", "shares requested", w.requested_shares, "shares"),
        ("withdrawals", "pending at the end", w.pending_at_end, "requests"),
        ("withdrawals", "shares pending at the end", w.pending_shares, "shares"),
        ("dividend", "declared", d.declared, "dividends"), ("dividend", "declared in all", d.declared_pence, "pence"),
        ("dividend", "as till credit", d.as_credit_pence, "pence"),
        ("dividend", "as shares", d.as_shares_pence, "pence"), ("dividend", "to pay in cash", d.as_cash_pence, "pence"),
        ("dividend", "cash paid", d.cash_paid_pence, "pence"),
        ("dividend", "cash turned to credit", d.cash_turned_to_credit_pence, "pence"),
        ("dividend", "cash owed at the end", d.cash_owed_at_end_pence, "pence"),
        ("trading", "takings", t.takings_pence, "pence"), ("trading", "output VAT", t.output_vat_pence, "pence"),
        ("trading", "takings excluding VAT", t.takings_excluding_vat_pence, "pence"),
        ("trading", "paid out of the till", t.paid_out_pence, "pence"),
        ("trading", "surplus before dividend, as far as the till knows", t.surplus_known_pence, "pence"),
        ("trading", "collected for others (not takings)", t.collected_for_others_pence, "pence"),
        ("trading", "community fund (not takings)", t.community_fund_pence, "pence"),
        ("volunteering", "volunteers", v.volunteers, "people"), ("volunteering", "shifts", v.shifts, "shifts"),
        ("volunteering", "time given", v.minutes, "minutes"),
        *(("footfall", MEASURES[key].strip(), found.footfall.get(key, 0), "count") for key in MEASURES),
    ]


def render_text(found: YearEnd) -> str:
    out = [f"{found.society}: year end, {found.first:%d/%m/%Y} to {found.last:%d/%m/%Y}"]
    section = None
    for where, label, value, unit in rows(found):
        if where != section:
            out += ["", where.upper()]
            section = where
        out.append(f"  {label:<52}{shown(value, unit):>16}")
    out += ["", not_known(found)]
    return "\n".join(out) + "\n"


def shown(value: int, unit: str) -> str:
    """A figure as people read it, on paper and on the web page alike."""
    if unit == "pence":
        return format_pence(value)
    if unit == "minutes":
        return as_hours(value) + " hours"
    return str(value)


def not_known(found: YearEnd) -> str:
    return "Not known to the till, so not in the surplus: " + "; ".join(found.trading.not_known) + "."


def write_csv(found: YearEnd, out) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "figure", "value", "unit"])
    writer.writerows(rows(found))


def render_json(found: YearEnd) -> str:
    return json.dumps(found.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render(found: YearEnd, kind: str) -> str:
    if kind == "json":
        return render_json(found)
    if kind == "csv":
        text = io.StringIO()
        write_csv(found, text)
        return text.getvalue()
    return render_text(found)
