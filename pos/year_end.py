"""The co-op's year end: the figures the board needs for the AGM and the annual return to the regulator, as
far as the till's books hold them. A pydantic model a page or the command line renders
(pos/year_end_text.py: text, CSV, JSON).

Every figure is counted from the records (the register, the share ledger, the dividend runs, the sales,
shifts and tallies), through the same functions the rest of the till uses: the register's members on a day,
the volunteers' hours, the centre's footfall. Dates are the records' own: a member's admission, a share
entry's day, a sale's trading day; a dividend counts on the local day it was declared.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from pydantic import BaseModel
from sqlite_utils import Database

from centre.figures import gather
from coop.register import Register
from core.bounds import FIRST_YEAR
from core.clock import from_stamp
from core.errors import TillError
from pos.config import Settings
from pos.vat_return import workings
from pos.vat_turnover import twelve_months_to
from volunteers.shifts import Shifts

#: What the till cannot know of the society's surplus: said with every year end.
NOT_KNOWN = [
    "purchases and stock bought on invoice",
    "wages, rent, utilities and other bills paid from the bank",
    "the value of stock on hand at the year end",
    "grants, bank interest and other income that never went through the till",
]


class Members(BaseModel):
    at_start: int
    joined: int
    ceased: int
    at_end: int


class ShareCapital(BaseModel):
    share_value_pence: int
    at_start_pence: int
    issued_for_cash_pence: int
    issued_as_dividend_pence: int
    withdrawn_pence: int
    at_end_pence: int


class Withdrawals(BaseModel):
    requested: int
    requested_shares: int
    #: Asked for by the year end and neither paid nor refused by then.
    pending_at_end: int
    pending_shares: int


class DividendFigures(BaseModel):
    declared: int
    declared_pence: int
    #: How the parts declared in the year were to be paid (pennies short of a whole share go to credit).
    as_credit_pence: int
    as_shares_pence: int
    as_cash_pence: int
    #: Cash parts settled in the year (of any year's dividend): handed over, or turned into till credit.
    cash_paid_pence: int
    cash_turned_to_credit_pence: int
    #: Cash parts declared by the year end and not settled by then.
    cash_owed_at_end_pence: int


class Trading(BaseModel):
    #: Sales less refunds, money collected for others left out.
    takings_pence: int
    #: Output VAT on them (the Zs'), when the society is registered; else 0.
    output_vat_pence: int
    takings_excluding_vat_pence: int
    paid_out_pence: int
    #: Takings without VAT, less what was paid out of the drawer: before the dividend, and before all the
    #: costs the till does not know (`not_known`).
    surplus_known_pence: int
    collected_for_others_pence: int
    community_fund_pence: int
    not_known: list[str]


class Volunteering(BaseModel):
    volunteers: int
    shifts: int
    minutes: int


class YearEnd(BaseModel):
    society: str
    first: date
    last: date
    members: Members
    share_capital: ShareCapital
    withdrawals: Withdrawals
    dividend: DividendFigures
    trading: Trading
    volunteering: Volunteering
    #: The centre's footfall measures over the year (centre.figures.MEASURES), the society's own true counts.
    footfall: dict[str, int]


def _one(db: Database, sql: str, params: list) -> int:
    return db.execute(sql, params).fetchone()[0] or 0


def members(db: Database, first: date, last: date) -> Members:
    register = Register(db)
    everyone = register.all()
    return Members(at_start=len(register.all(on=first - timedelta(days=1))),
                   joined=sum(first <= m.admitted_on <= last for m in everyone),
                   ceased=sum(m.ceased_on is not None and first <= m.ceased_on <= last for m in everyone),
                   at_end=len(register.all(on=last)))


def share_capital(db: Database, first: date, last: date, value: int) -> ShareCapital:
    def shares(where: str, params: list) -> int:
        return _one(db, f"select sum(shares) from share_ledger where {where}", params)

    period = [first.isoformat(), last.isoformat()]
    return ShareCapital(
        share_value_pence=value,
        at_start_pence=shares("on_date < ?", [first.isoformat()]) * value,
        issued_for_cash_pence=shares("kind = 'purchase' and on_date between ? and ?", period) * value,
        issued_as_dividend_pence=shares("kind = 'dividend_shares' and on_date between ? and ?", period) * value,
        withdrawn_pence=-shares("kind = 'payout' and on_date between ? and ?", period) * value,
        at_end_pence=shares("on_date <= ?", [last.isoformat()]) * value)


def withdrawals(db: Database, first: date, last: date) -> Withdrawals:
    requested, asked = db.execute(
        "select count(*), coalesce(sum(approved_shares), 0) from share_ledger"
        " where kind = 'withdrawal_request' and on_date between ? and ?", [first.isoformat(), last.isoformat()]).fetchone()
    pending, shares = db.execute(
        "select count(*), coalesce(sum(r.approved_shares), 0) from share_ledger r"
        " where r.kind = 'withdrawal_request' and r.on_date <= ?1 and not exists (select 1 from share_ledger x"
        " where x.request_id = r.id and x.on_date <= ?1 and (x.kind = 'payout' or x.decision = 'refused'))",
        [last.isoformat()]).fetchone()
    return Withdrawals(requested=requested, requested_shares=asked, pending_at_end=pending, pending_shares=shares)


def dividend(db: Database, first: date, last: date, settings: Settings) -> DividendFigures:
    zone = settings.zone

    def day(at: str) -> date:
        return from_stamp(at).astimezone(zone).date()

    runs = {run: day(at) for run, at in db.execute("select id, declared_at from dividends")}
    in_year = {run for run, on in runs.items() if first <= on <= last}
    by_payout: Counter = Counter()
    for run, payout, pence in db.execute("select dividend_id, payout, part_pence from dividend_parts"):
        if run in in_year:
            by_payout[payout] += pence
    settled: Counter = Counter()
    for how, pence in db.execute("select how, coalesce(sum(amount_pence), 0) from dividend_payments"
                                 " where on_date between ? and ? group by how", [first.isoformat(), last.isoformat()]):
        settled[how] += pence
    owed = sum(pence for run, pence in db.execute(
        "select p.dividend_id, p.part_pence from dividend_parts p where p.payout = 'cash' and not exists"
        " (select 1 from dividend_payments x where x.part_id = p.id and x.on_date <= ?)", [last.isoformat()])
        if runs[run] <= last)
    return DividendFigures(declared=len(in_year), declared_pence=sum(by_payout.values()),
                           as_credit_pence=by_payout["credit"], as_shares_pence=by_payout["shares"],
                           as_cash_pence=by_payout["cash"], cash_paid_pence=settled["cash"],
                           cash_turned_to_credit_pence=settled["credit"], cash_owed_at_end_pence=owed)


def trading(db: Database, first: date, last: date, settings: Settings) -> Trading:
    period = [first.isoformat(), last.isoformat()]
    takings, collected = db.execute(
        "select coalesce(sum(case when not l.pass_through then l.line_total_pence end), 0),"
        " coalesce(sum(case when l.pass_through then l.line_total_pence end), 0)"
        " from sale_lines l join sales s on s.id = l.sale_id where s.business_date between ? and ?", period).fetchone()
    output_vat = 0
    if settings.society.vat_registered:
        output_vat = sum(line.vat_pence for line in workings(db, first, last, zone=settings.zone)[0])
    paid_out = _one(db, "select sum(m.amount_pence) from cash_movements m join till_sessions t on t.id = m.session_id"
                        " where m.kind = 'paid_out' and t.business_date between ? and ?", period)
    fund = _one(db, "select sum(d.amount_pence) from donations d join sales s on s.id = d.sale_id"
                    " where s.business_date between ? and ?", period)
    return Trading(takings_pence=takings, output_vat_pence=output_vat, takings_excluding_vat_pence=takings - output_vat,
                   paid_out_pence=paid_out, surplus_known_pence=takings - output_vat - paid_out,
                   collected_for_others_pence=collected, community_fund_pence=fund, not_known=NOT_KNOWN)


def volunteering(db: Database, first: date, last: date, settings: Settings) -> Volunteering:
    rows = Shifts(db, settings.zone).hours(first, last)
    return Volunteering(volunteers=len({row.volunteer_id for row in rows}), shifts=sum(row.shifts for row in rows),
                        minutes=sum(row.minutes for row in rows))


def last_year_end(today: date) -> date:
    """The latest 31 March that is over by `today`: most societies' year end (the settings hold no other), and
    a year still running is not one to report."""
    this_year = date(today.year, 3, 31)
    return this_year if this_year < today else date(today.year - 1, 3, 31)


def year_ending(typed: str | None, *, today: date) -> date:
    """The year end a treasurer chose (2026-03-31, as a date box sends it), or the last 31 March when none.
    TillError in a sentence for a date that is not one, or one still to come (today is allowed: the year so far)."""
    if not typed:
        return last_year_end(today)
    try:
        last = date.fromisoformat(typed.strip())
    except ValueError:
        raise TillError("the year end must be a day of the calendar, such as 2026-03-31") from None
    if last.year < FIRST_YEAR:
        raise TillError(f"the till keeps no books from before {FIRST_YEAR}")
    if last > today:
        raise TillError(f"{last:%d/%m/%Y} is still to come: choose a year end on or before today")
    return last


def year_end(db: Database, settings: Settings, last: date) -> YearEnd:
    """The year of twelve months ending on `last` (both days in)."""
    first = twelve_months_to(last)
    return YearEnd(
        society=settings.society.name, first=first, last=last, members=members(db, first, last),
        share_capital=share_capital(db, first, last, settings.coop.share_value_pence),
        withdrawals=withdrawals(db, first, last), dividend=dividend(db, first, last, settings),
        trading=trading(db, first, last, settings), volunteering=volunteering(db, first, last, settings),
        footfall=dict(gather(db, first, last, zone=settings.zone).total()))
