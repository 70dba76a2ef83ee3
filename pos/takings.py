"""The treasurer's figures over days: takings by day, till and tender, the Z reports of a period with their
cash differences, one session's sales for the drill-down from its Z, VAT by rate over a period, and the
receipts a printer refused at each till.

Each reads whatever books it is given: a till's own file, or at the office of a hub the consolidated copy
of every till's (pos/consolidated.py). The figures of a Z are always pos/reports.py's session_report, so
a page never shows a Z that differs from the paper one. Nothing here names a member: a sale in a list is
its time, number, total and tenders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.bounds import within_years
from core.clock import local
from core.errors import TillError
from pos.receipt_queue import OwedReceipt
from pos.reports import TillReport, VatTotal, session_report
from pos.tenders import TenderKind

#: The period a page shows when none is chosen: the last week, today included.
DEFAULT_DAYS = 7
#: The longest period a page adds up at once (a quarter, for a VAT return): each Z in it is worked out.
LONGEST_DAYS = 92


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def describe(self) -> str:
        if self.first == self.last:
            return f"{self.first:%a %d %b %Y}"
        return f"{self.first:%a %d %b %Y} to {self.last:%a %d %b %Y}"


def period(first: str | None, last: str | None, *, today: date, longest: int = LONGEST_DAYS) -> Period:
    """The period a treasurer chose (dates as 2026-11-20, as a date box sends them), or the last week.
    TillError in a sentence for a date that is not one, a period that ends before it starts or one too long."""
    try:
        end = date.fromisoformat(last) if last else today
        start = date.fromisoformat(first) if first else None
    except ValueError:
        raise TillError("a date must be a day of the calendar, such as 2026-11-20") from None
    # Before any arithmetic: a week back from 0001-01-03 is no date at all.
    for day in (start, end):
        if day is not None:
            within_years(day)
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise TillError("the period must end on or after the day it starts")
    if (end - start).days + 1 > longest:
        raise TillError(f"choose a period of at most {longest} days")
    return Period(start, end)


def tender_label(kind: str) -> str:
    try:
        return TenderKind(kind).label
    except ValueError:
        return kind


@dataclass
class DayAtTill:
    """One till's day: what its sales took (not counting money collected for others) and each tender's money."""

    day: date
    till: str
    takings_pence: int = 0
    tenders: dict[str, int] = field(default_factory=dict)


@dataclass
class Takings:
    period: Period
    lines: list[DayAtTill]
    #: Every tender kind that appears, in the order the columns show them.
    tender_kinds: list[str]

    @property
    def takings_pence(self) -> int:
        return sum(line.takings_pence for line in self.lines)

    def tender_total(self, kind: str) -> int:
        return sum(line.tenders.get(kind, 0) for line in self.lines)


def daily_takings(db: Database, chosen: Period) -> Takings:
    """Takings by trading day and till, and the money each tender brought (refunds taken off), sales of
    open sessions included: a day not yet cashed up shows what it has taken so far."""
    between = [chosen.first.isoformat(), chosen.last.isoformat()]
    found: dict[tuple[str, str], DayAtTill] = {}

    def line(day: str, till: str) -> DayAtTill:
        return found.setdefault((day, till), DayAtTill(date.fromisoformat(day), till))

    for day, till, takings in db.execute(
            """select s.business_date, s.till_id, coalesce(sum(case when l.pass_through then 0
                      else l.line_total_pence end), 0)
               from sales s join sale_lines l on l.sale_id = s.id
               where s.business_date between ? and ? group by s.business_date, s.till_id""", between):
        line(day, till).takings_pence = takings
    kinds: set[str] = set()
    for day, till, kind, amount in db.execute(
            """select s.business_date, s.till_id, t.kind, sum(t.amount_pence)
               from sales s join tenders t on t.sale_id = s.id
               where s.business_date between ? and ? group by s.business_date, s.till_id, t.kind""", between):
        line(day, till).tenders[kind] = amount
        kinds.add(kind)
    order = [kind.value for kind in TenderKind]
    return Takings(chosen, sorted(found.values(), key=lambda d: (d.day, d.till)),
                   sorted(kinds, key=lambda k: (order.index(k) if k in order else len(order), k)))


@dataclass(frozen=True)
class ZLine:
    """One Z in a list: its figures as the paper Z has them, and the cash difference over time."""

    session_id: int
    report: TillReport
    #: The differences of this Z and every Z listed before it, added up: a drift shows.
    running_difference_pence: int


def z_reports(db: Database, chosen: Period, *, zone: ZoneInfo, vat_registered: bool) -> list[ZLine]:
    """Every till's Zs of the period, oldest first, each one session's report (the paper Z)."""
    running = 0
    lines = []
    for session_id in closed_sessions(db, chosen):
        report = session_report(db, [session_id], zone=zone, vat_registered=vat_registered)
        running += report.cash_difference_pence or 0
        lines.append(ZLine(session_id, report, running))
    return lines


def closed_sessions(db: Database, chosen: Period) -> list[int]:
    return [row[0] for row in db.execute(
        """select id from till_sessions where business_date between ? and ? and closed_at is not null
           order by business_date, closed_at, till_id, id""",
        [chosen.first.isoformat(), chosen.last.isoformat()])]


def vat_by_rate(db: Database, chosen: Period, *, zone: ZoneInfo) -> list[VatTotal]:
    """VAT by rate over the period's Zs, every till's: the sums of their own VAT lines."""
    ids = closed_sessions(db, chosen)
    if not ids:
        return []
    return session_report(db, ids, zone=zone, vat_registered=True).vat or []


@dataclass(frozen=True)
class SaleLine:
    """A sale or refund in a session's list: no member, no reason typed at the till (either may name someone)."""

    at: str
    number: int
    kind: str
    total_pence: int
    tenders: list[tuple[str, int]]
    #: For a refund, the number of the sale it gave money back on.
    refund_of: int | None


@dataclass(frozen=True)
class VoidLine:
    at: str
    lines: int
    total_pence: int


@dataclass(frozen=True)
class SessionDetail:
    session_id: int
    report: TillReport
    sales: list[SaleLine]
    voids: list[VoidLine]


def session_detail(db: Database, session_id: int, *, zone: ZoneInfo, vat_registered: bool) -> SessionDetail:
    """One session, drilled into from its Z: its X or Z figures and each sale, refund and void, in time order."""
    if db.execute("select 1 from till_sessions where id = ?", [session_id]).fetchone() is None:
        raise TillError("there is no such till session")
    report = session_report(db, [session_id], zone=zone, vat_registered=vat_registered)
    tenders: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for sale_id, kind, amount in db.execute(
            """select t.sale_id, t.kind, t.amount_pence from tenders t join sales s on s.id = t.sale_id
               where s.session_id = ? order by t.id""", [session_id]):
        tenders[sale_id].append((tender_label(kind), amount))
    sales = [SaleLine(f"{local(at, zone):%H:%M}", number, kind, total, tenders[sale_id], original)
             for sale_id, at, number, kind, total, original in db.execute(
                 """select s.id, s.created_at, s.sale_number, s.kind, s.total_pence, o.sale_number
                    from sales s left join sales o on o.id = s.refund_of
                    where s.session_id = ? order by s.created_at, s.id""", [session_id])]
    voids = [VoidLine(f"{local(at, zone):%H:%M}", count, total) for at, count, total in db.execute(
        "select created_at, line_count, total_pence from voids where session_id = ? order by created_at, id",
        [session_id])]
    return SessionDetail(session_id, report, sales, voids)


@dataclass(frozen=True)
class TillReceipts:
    """One till's receipts a printer refused, each still owed to a customer, oldest first."""

    till: str
    refused: list[OwedReceipt]


def refused_receipts(db: Database) -> list[TillReceipts]:
    """Per till, the receipts a printer refused and nothing has printed since. Those still pending are not
    counted: the till is printing them, or prints none (auto_print off), as pos/receipt_queue.py says."""
    owed: dict[str, list[OwedReceipt]] = defaultdict(list)
    fields = list(OwedReceipt.model_fields)
    for row in db.execute(
            """select s.id, s.till_id, s.sale_number, s.kind, s.created_at, s.total_pence, q.attempts, q.last_error
               from receipt_queue q join sales s on s.id = q.sale_id where q.status = 'failed' order by q.id"""):
        owed[row[1]].append(OwedReceipt(**dict(zip(fields, row))))
    return [TillReceipts(till, owed[till]) for till in sorted(owed)]
