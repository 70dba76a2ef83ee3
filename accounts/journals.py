"""The journals: one per closed till session, dated by its trading day, and one a day for the society's money
that moved outside a session (a dividend declared, given as till credit or as shares).

Built from the recorded sales, refunds, tenders, donations and cash movements, as the Z report is, never
from anything shown on a screen; how each kind of money is booked is written down in docs/accounts.md.
Every journal balances by construction (each amount is booked against the money that paid it); a
journal whose tenders do not pay its sales, which the till never writes, balances through suspense,
and says so, rather than being dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from accounts.chart import Chart
from core.clock import local
from core.money import vat_in

#: The account each tender's money goes to (an unknown tender: suspense).
TENDERS = {"cash": "cash_drawer", "card": "card_clearing", "healthy_start": "healthy_start",
           "voucher": "vouchers", "member_credit": "member_credit", "time_credits": "time_credits"}
#: Each cash movement: the account the drawer's cash comes from (in) or goes to (out); paid in and out go
#: where their reason says (Chart.for_reason).
MOVEMENTS = {"paid_in": (1, None), "paid_out": (-1, None), "share_capital_in": (1, "share_capital"),
             "share_capital_out": (-1, "share_capital"), "dividend_out": (-1, "dividends_payable"),
             "credit_out": (-1, "member_credit")}
#: Till credit given or taken at a sale (its tender) or paid out at a till (its cash movement) is booked
#: there; a dividend given as credit, in the society's journal; any other kind goes to suspense.
CREDIT_AT_TILL = ("spent", "refunded", "paid_out")
SALES_CLASSES = ("standard", "reduced", "zero", "exempt")


@dataclass(frozen=True)
class Posting:
    #: The chart's key ("cash_drawer").
    account: str
    #: Pence: a debit positive, a credit negative.
    amount: int
    description: str
    #: The VAT class the line is taxed at ("none": not a sale, or the society is not registered).
    vat_class: str = "none"
    #: A sale's or refund's category (a sub-account in beancount).
    category: str | None = None


@dataclass(frozen=True)
class Journal:
    day: date
    narration: str
    postings: tuple[Posting, ...]
    #: The till, or None for the society's daily journal.
    till: str | None = None

    @property
    def balance(self) -> int:
        return sum(posting.amount for posting in self.postings)


@dataclass
class Export:
    journals: list[Journal] = field(default_factory=list)
    #: Sentences about sessions in the period that are not in the export (no Z yet).
    unfinished: list[str] = field(default_factory=list)

    @property
    def suspense(self) -> list[tuple[Journal, Posting]]:
        return [(journal, posting) for journal in self.journals for posting in journal.postings
                if posting.account == "suspense"]


def export(db: Database, first: date, last: date, *, chart: Chart, zone: ZoneInfo, vat_registered: bool,
           share_value_pence: int) -> Export:
    """Every journal from `first` to `last`, both included, in date order: each day's sessions (by till and
    opening time), then the society's journal of the day."""
    found = Export()
    by_day: dict[date, list[Journal]] = defaultdict(list)
    for session in db.query("select * from till_sessions where business_date between ? and ?"
                            " order by business_date, till_id, opened_at, id", [first.isoformat(), last.isoformat()]):
        day = date.fromisoformat(session["business_date"])
        if session["closed_at"] is None:
            found.unfinished.append(f"{session['till_id']}'s session of {day:%d/%m/%Y} is unfinished (no Z yet): "
                                    "it is not in this export; export the day again after its Z")
            continue
        by_day[day].append(session_journal(db, session, chart=chart, vat_registered=vat_registered))
    for day, postings in society_postings(db, first, last, zone=zone, share_value_pence=share_value_pence).items():
        by_day[day].append(Journal(day, f"Society's co-op money of {day:%d/%m/%Y}", tuple(postings)))
    for day in sorted(by_day):
        found.journals.extend(by_day[day])
    return found


def session_journal(db: Database, session: dict, *, chart: Chart, vat_registered: bool) -> Journal:
    """One closed session's journal: its sales by category and VAT class, what paid for them, its cash
    movements and the drawer's count."""
    ref = [session["id"]]
    postings = _sales(db, ref, vat_registered)
    donations = db.execute("select coalesce(sum(d.amount_pence), 0) from donations d join sales s on s.id = d.sale_id"
                           " where s.session_id = ?", ref).fetchone()[0]
    postings.append(Posting("community_fund", -donations, "Donations to the community fund"))
    for kind, amount in db.execute("select t.kind, sum(t.amount_pence) from tenders t join sales s on s.id = t.sale_id"
                                   " where s.session_id = ? group by t.kind order by t.kind", ref):
        postings.append(Posting(TENDERS.get(kind, "suspense"), amount, f"Taken by {kind.replace('_', ' ')}"))
    unpaid = sum(posting.amount for posting in postings)
    if unpaid:
        postings.append(Posting("suspense", -unpaid, "Out of balance: the tenders do not pay the sales exactly"))
    for kind, reason, amount in db.execute("select kind, reason, amount_pence from cash_movements"
                                           " where session_id = ? order by id", ref):
        if kind not in MOVEMENTS:  # a no-sale moves no money
            continue
        sign, other = MOVEMENTS[kind]
        words = f"{kind.replace('_', ' ').capitalize()}: {reason}" if reason else kind.replace("_", " ").capitalize()
        postings.append(Posting("cash_drawer", sign * amount, words))
        postings.append(Posting(other or chart.for_reason(reason), -sign * amount, words))
    expected = session["float_pence"] + sum(p.amount for p in postings if p.account == "cash_drawer")
    difference = session["counted_pence"] - expected
    words = "Cash over at the count" if difference > 0 else "Cash short at the count"
    postings.append(Posting("cash_drawer", difference, words))
    postings.append(Posting("cash_over_short", -difference, words))
    z = f" Z {session['z_number']}" if session["z_number"] is not None else ""
    day = date.fromisoformat(session["business_date"])
    return Journal(day, f"{session['till_id']}{z} of {day:%d/%m/%Y}",
                   tuple(p for p in postings if p.amount), session["till_id"])


def _sales(db: Database, ref: list[int], vat_registered: bool) -> list[Posting]:
    """Sale and refund lines, net of VAT by category and class; VAT on each class and rate as the Z works it
    (on the class's total), its pennies of rounding on the class's largest line."""
    groups: dict[tuple[str, int], list[tuple[str, str, int]]] = defaultdict(list)
    postings = []
    for kind, category, vat_class, rate, passing, total in db.execute(
            "select s.kind, l.category, l.vat_class, l.vat_rate_bp, l.pass_through, sum(l.line_total_pence)"
            " from sales s join sale_lines l on l.sale_id = s.id where s.session_id = ?"
            " group by 1, 2, 3, 4, 5 order by 3, 4, 2, 1", ref):
        if passing:
            postings.append(Posting("pass_through", -total, f"Collected for others: {category}"))
        else:
            groups[(vat_class, rate)].append((kind, category, total))
    for (vat_class, rate), lines in groups.items():
        taxes = [vat_in(total, rate) if vat_registered else 0 for _, _, total in lines]
        vat = vat_in(sum(total for _, _, total in lines), rate) if vat_registered else 0
        largest = max(range(len(lines)), key=lambda i: abs(lines[i][2]))
        taxes[largest] += vat - sum(taxes)
        taxed = vat_class if vat_registered else "none"
        for (kind, category, total), tax in zip(lines, taxes, strict=True):
            key = "refunds" if kind == "refund" else f"sales_{vat_class}" if vat_class in SALES_CLASSES else "suspense"
            what = "Refunds" if kind == "refund" else "Sales"
            postings.append(Posting(key, tax - total, f"{what}: {category} ({vat_class})", taxed, category))
        if vat:
            postings.append(Posting("output_vat", -vat, f"Output VAT, {vat_class} at {rate / 100:g}%"))
    return postings


def society_postings(db: Database, first: date, last: date, *, zone: ZoneInfo,
                     share_value_pence: int) -> dict[date, list[Posting]]:
    """The co-op's money that moved outside any session, by the local day it moved."""
    days: dict[date, list[Posting]] = defaultdict(list)

    def on(at: str) -> date | None:
        day = local(at, zone).date()
        return day if first <= day <= last else None

    for run, start, end, at, total in db.execute(
            "select d.id, d.period_from, d.period_to, d.declared_at, coalesce(sum(p.part_pence), 0) from dividends d"
            " left join dividend_parts p on p.dividend_id = d.id group by d.id order by d.id"):
        if (day := on(at)) and total:
            words = f"Dividend {run} declared, for {start} to {end}"
            days[day] += [Posting("dividends_declared", total, words), Posting("dividends_payable", -total, words)]
    given: dict[tuple[date, str, str], int] = defaultdict(int)  # one line per day, kind and dividend, not per member
    for at, kind, amount, reference in db.execute(
            "select at, kind, amount_pence, reference from member_credit order by id"):
        if kind not in CREDIT_AT_TILL and (day := on(at)):
            given[(day, kind, reference or "") if kind == "dividend" else (day, kind, "")] += amount
    for (day, kind, reference), amount in given.items():
        if kind == "dividend":
            words = f"{(reference or 'dividend').capitalize()} given as till credit"
            days[day] += [Posting("dividends_payable", amount, words), Posting("member_credit", -amount, words)]
        else:
            words = f"Till credit ({kind}) the till cannot place"
            days[day] += [Posting("suspense", amount, words), Posting("member_credit", -amount, words)]
    for on_date, shares, note in db.execute(
            "select on_date, shares, note from share_ledger where kind = 'dividend_shares'"
            " and on_date between ? and ? order by id", [first.isoformat(), last.isoformat()]):
        amount = shares * share_value_pence
        words = f"{(note or 'dividend').capitalize()} as {shares} shares"
        days[date.fromisoformat(on_date)] += [Posting("dividends_payable", amount, words),
                                              Posting("share_capital", -amount, words)]
    return {day: [p for p in postings if p.amount] for day, postings in days.items()}
