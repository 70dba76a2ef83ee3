"""X and Z reports: what a till session took, by tender, category and VAT rate, and the cash-up.

Figures are derived from the recorded sales, refunds, voids and cash movements
every time; nothing in a report is stored, so a report can always be re-run.
"""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlite_utils import Database

from core.clock import local
from core.errors import TillError
from pos import vat


class CategoryTotal(BaseModel):
    category: str
    quantity: int
    net_pence: int


class VatTotal(BaseModel):
    vat_class: str
    rate_bp: int
    rate: str
    gross_pence: int
    vat_pence: int
    net_pence: int


class TillReport(BaseModel):
    kind: str
    till: str
    date: str
    z_numbers: list[int]
    opened_at: str
    closed_at: str | None
    sales_count: int
    gross_sales_pence: int
    discounts_pence: int
    refunds_count: int
    refunds_pence: int
    #: Every line total, sales less refunds: equal to the sum of the day's exported lines.
    net_sales_pence: int
    #: Money collected for others (stamps, top-ups); inside net sales, outside takings.
    pass_through_pence: int
    takings_pence: int
    voids_count: int
    voids_pence: int
    no_sales: int
    paid_in_pence: int
    paid_out_pence: int
    #: Items paid forward (sold, takings now) and claimed (given free) in the session.
    paid_forward: int
    claimed: int
    #: Given to the community fund with sales: in the tenders and the drawer, never takings.
    donations_pence: int
    #: Volunteers' time credits spent, less any a refund gave back (their money is a tender).
    time_credits: int = 0
    #: The community fund's running total, all tills, ever (at the time of the report).
    community_fund_pence: int
    #: Community share money taken and paid back in cash: capital, not takings, but in the drawer.
    share_capital_in_pence: int
    share_capital_out_pence: int
    #: Paid to members in cash: dividend parts declared as cash, and till credit handed over.
    #: Neither is takings; both leave the drawer.
    dividend_paid_pence: int = 0
    credit_paid_out_pence: int = 0
    tenders: dict[str, int]
    categories: list[CategoryTotal]
    vat_registered: bool
    vat: list[VatTotal] | None
    float_pence: int
    cash_sales_pence: int
    cash_expected_pence: int
    cash_counted_pence: int | None
    cash_difference_pence: int | None
    #: On a Z: the journal entry that sealed it ("#683 420eb82430fa"), so the books can later be
    #: checked against the paper (till verify).
    journal: str | None = None


def _in(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


def _line_totals(db: Database, session_ids: list[int]) -> dict[tuple, list[int]]:
    """Sale lines summed by (kind, category, pass-through, VAT class, rate), one session at a time.

    Why one at a time: SQLite groups by sorting every line it reads, and the office's month of fifty tills
    is over half a million lines; a small sort per session, added up here, costs a third less than one big
    sort (measured with `benchmarks/run.py --only federation`), and a single session's Z is unchanged."""
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    query = """select s.kind, l.category, l.pass_through, l.vat_class, l.vat_rate_bp, sum(l.quantity),
                      sum(l.line_total_pence), sum(l.discount_pence), sum(l.quantity * l.unit_price_pence),
                      coalesce(sum(case when l.pay_forward then l.quantity end), 0),
                      coalesce(sum(case when l.claimed then l.quantity end), 0)
               from sales s join sale_lines l on l.sale_id = s.id
               where s.session_id = ?
               group by s.kind, l.category, l.pass_through, l.vat_class, l.vat_rate_bp"""
    for session_id in session_ids:
        for row in db.execute(query, [session_id]):
            found = totals[row[:5]]
            for i, value in enumerate(row[5:]):
                found[i] += value
    return totals


def session_report(
    db: Database, session_ids: list[int], *, zone: ZoneInfo, vat_registered: bool
) -> TillReport:
    """The report over one or more sessions of one till (a Z for a day may hold more than one)."""
    if not session_ids:
        raise TillError("there is no till session to report on")
    marks = _in(session_ids)
    sessions = list(db.query(
        f"select * from till_sessions where id in ({marks}) order by id", session_ids
    ))
    closed = all(s["closed_at"] for s in sessions)

    counts = {row[0]: (row[1], row[2]) for row in db.execute(
        f"select kind, count(*), sum(total_pence) from sales where session_id in ({marks}) group by kind",
        session_ids,
    )}
    sales_count, _ = counts.get("sale", (0, 0))
    refunds_count, refunds_total = counts.get("refund", (0, 0))

    gross = discounts = net = pass_through = paid_forward = claimed = 0
    categories: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_rate: dict[tuple[str, int], int] = defaultdict(int)
    for (kind, category, is_pass, vat_class, rate), (quantity, total, discount, full, forward, taken) in \
            _line_totals(db, session_ids).items():
        net += total
        paid_forward += forward
        claimed += taken
        if kind == "sale":
            gross += full
            discounts += discount
        if is_pass:
            pass_through += total
        else:
            by_rate[(vat_class, rate)] += total
        categories[category][0] += quantity
        categories[category][1] += total

    tenders = {kind: amount for kind, amount in db.execute(
        f"""select t.kind, sum(t.amount_pence) from tenders t join sales s on s.id = t.sale_id
            where s.session_id in ({marks}) group by t.kind order by t.kind""",
        session_ids,
    )}
    voids_count, voids_total = db.execute(
        f"select count(*), coalesce(sum(total_pence), 0) from voids where session_id in ({marks})",
        session_ids,
    ).fetchone()
    moves = {kind: (n, amount) for kind, n, amount in db.execute(
        f"""select kind, count(*), sum(amount_pence) from cash_movements
            where session_id in ({marks}) group by kind""",
        session_ids,
    )}
    donations = db.execute(
        f"""select coalesce(sum(d.amount_pence), 0) from donations d join sales s on s.id = d.sale_id
            where s.session_id in ({marks})""",
        session_ids,
    ).fetchone()[0]
    fund = db.execute("select coalesce(sum(amount_pence), 0) from donations").fetchone()[0]
    time_credits = db.execute(
        f"""select coalesce(sum(c.credits), 0) from time_credit_spends c join sales s on s.id = c.sale_id
            where s.session_id in ({marks})""",
        session_ids,
    ).fetchone()[0]
    float_pence = sum(s["float_pence"] for s in sessions)
    paid_in = moves.get("paid_in", (0, 0))[1]
    paid_out = moves.get("paid_out", (0, 0))[1]
    share_in = moves.get("share_capital_in", (0, 0))[1]
    share_out = moves.get("share_capital_out", (0, 0))[1]
    dividend_paid = moves.get("dividend_out", (0, 0))[1]
    credit_paid_out = moves.get("credit_out", (0, 0))[1]
    cash_sales = tenders.get("cash", 0)
    expected = (float_pence + cash_sales + paid_in - paid_out + share_in - share_out
                - dividend_paid - credit_paid_out)
    counted = sum(s["counted_pence"] for s in sessions) if closed else None

    vat_lines = None
    if vat_registered:
        vat_lines = []
        for (vat_class, rate), gross_at_rate in sorted(by_rate.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
            tax = vat.vat_in(gross_at_rate, rate)
            vat_lines.append(VatTotal(
                vat_class=vat_class, rate_bp=rate, rate=vat.rate_label(rate),
                gross_pence=gross_at_rate, vat_pence=tax, net_pence=gross_at_rate - tax,
            ))

    journal = None
    if closed:
        entry = db.execute("select id, hash from journal where kind = 'z' and ref_id = ?",
                           [sessions[-1]["id"]]).fetchone()
        journal = f"#{entry[0]} {entry[1][:12]}" if entry else None
    return TillReport(
        journal=journal,
        kind="Z" if closed else "X",
        till=sessions[0]["till_id"],
        date=sessions[0]["business_date"],
        z_numbers=[s["z_number"] for s in sessions if s["z_number"] is not None],
        opened_at=local(sessions[0]["opened_at"], zone).isoformat(timespec="seconds"),
        closed_at=local(sessions[-1]["closed_at"], zone).isoformat(timespec="seconds") if closed else None,
        sales_count=sales_count,
        gross_sales_pence=gross,
        discounts_pence=discounts,
        refunds_count=refunds_count,
        refunds_pence=-refunds_total,
        net_sales_pence=net,
        pass_through_pence=pass_through,
        takings_pence=net - pass_through,
        voids_count=voids_count,
        voids_pence=voids_total,
        no_sales=moves.get("no_sale", (0, 0))[0],
        paid_in_pence=paid_in,
        paid_out_pence=paid_out,
        paid_forward=paid_forward,
        claimed=claimed,
        donations_pence=donations,
        time_credits=time_credits,
        community_fund_pence=fund,
        share_capital_in_pence=share_in,
        share_capital_out_pence=share_out,
        dividend_paid_pence=dividend_paid,
        credit_paid_out_pence=credit_paid_out,
        tenders=tenders,
        categories=[CategoryTotal(category=c, quantity=q, net_pence=t)
                    for c, (q, t) in sorted(categories.items())],
        vat_registered=vat_registered,
        vat=vat_lines,
        float_pence=float_pence,
        cash_sales_pence=cash_sales,
        cash_expected_pence=expected,
        cash_counted_pence=counted,
        cash_difference_pence=None if counted is None else counted - expected,
    )


def sessions_on(db: Database, till_id: str, business_date: str) -> list[int]:
    """The closed sessions (Z reports) of one till on one trading day."""
    return [row[0] for row in db.execute(
        "select id from till_sessions where till_id = ? and business_date = ? and closed_at is not null"
        " order by id",
        [till_id, business_date],
    )]


def last_z_date(db: Database, till_id: str) -> str | None:
    row = db.execute(
        "select business_date from till_sessions where till_id = ? and closed_at is not null"
        " order by id desc limit 1",
        [till_id],
    ).fetchone()
    return row[0] if row else None
