"""What the society's board reads: the register a page at a time, the withdrawal queue under the society's
notice and suspension rules, the board's decisions with who made them and when, and a dividend plan summed
by how members will be paid. Reading only: the decisions and the declaration themselves are
pos.membership.Membership's, which checks who may make them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from coop.dividend import DividendPlan, Dividends, Payout
from coop.register import Register
from coop.rules import ShareRules
from coop.shares import Decision, Shares, Withdrawal
from core.clock import from_stamp

#: Members on one page of the register.
PER_PAGE = 50


@dataclass(frozen=True)
class RegisterLine:
    number: str
    name: str
    address: str
    shares: int
    admitted_on: date
    ceased_on: date | None


@dataclass(frozen=True)
class RegisterPage:
    lines: list[RegisterLine]
    #: How many members matched, on every page together.
    found: int
    page: int
    pages: int


def register_page(register: Register, shares: Shares, *, text: str = "", page: int = 1,
                  per_page: int = PER_PAGE) -> RegisterPage:
    """One page of the register, former members included, by number; `text`: only those whose name holds it
    (any case) or whose number it is. A page past the last gives the last."""
    wanted = text.strip().casefold()
    members = [m for m in register.all(include_former=True)
               if not wanted or wanted in m.name.casefold() or wanted == m.number.casefold()]
    pages = max(1, -(-len(members) // per_page))
    page = min(max(1, page), pages)
    shown = members[(page - 1) * per_page: page * per_page]
    lines = [RegisterLine(number=m.number, name=m.name, address=", ".join(m.address.split("\n")),
                          shares=shares.held(m.id), admitted_on=m.admitted_on, ceased_on=m.ceased_on) for m in shown]
    return RegisterPage(lines=lines, found=len(members), page=page, pages=pages)


@dataclass(frozen=True)
class Waiting:
    """A withdrawal request still open (not paid, not refused), with the member's name and what comes next."""

    withdrawal: Withdrawal
    number: str
    name: str
    next_step: str
    #: On a hub, the till it was asked for at when that is not the office (coop/board_elsewhere.py).
    till: str = ""


def next_step(withdrawal: Withdrawal, rules: ShareRules, today: date) -> str:
    """What the request waits for, in one sentence, under the society's rules: the board, the notice, the
    general suspension of withdrawals, or only the till paying it."""
    ends = f"{withdrawal.notice_ends:%d/%m/%Y}"
    if withdrawal.decision is None:
        return f"Waiting for the board's decision. Its notice ends on {ends}."
    if withdrawal.decision == Decision.suspended:
        return "The board suspended this request: it waits until the board decides again."
    if rules.withdrawals_suspended:
        return (f"Approved ({withdrawal.approved_shares} shares), but withdrawals are suspended under the society's "
                "rules: nothing is paid until the board allows them again.")
    if today < withdrawal.notice_ends:
        return f"Approved ({withdrawal.approved_shares} shares): it can be paid at the till from {ends}."
    return f"Approved ({withdrawal.approved_shares} shares) and its notice has ended: it can be paid at the till now."


def withdrawal_queue(shares: Shares, rules: ShareRules, today: date) -> list[Waiting]:
    """Every open request, oldest first."""
    register = shares.register
    queue = []
    for withdrawal in shares.withdrawals():
        if withdrawal.outstanding:
            member = register.get(withdrawal.member_id)
            queue.append(Waiting(withdrawal=withdrawal, number=member.number, name=member.name,
                                 next_step=next_step(withdrawal, rules, today)))
    return queue


@dataclass(frozen=True)
class BoardDecision:
    request_id: int
    number: str
    name: str
    decision: Decision
    approved_shares: int
    asked_for: int
    by: str
    at: datetime
    #: On a hub, for a request asked for at another till: that till, and whether the decision is recorded there.
    till: str = ""
    status: str = ""


def decisions(db: Database, zone: ZoneInfo, *, limit: int = 100) -> list[BoardDecision]:
    """The board's decisions on withdrawals, newest first: each with who recorded it and when (local time)."""
    rows = db.execute(
        "select d.request_id, m.number, m.name, d.decision, d.approved_shares, r.approved_shares, d.by, d.at"
        " from share_ledger d join share_ledger r on r.id = d.request_id join members m on m.id = d.member_id"
        " where d.kind = 'decision' order by d.id desc limit ?", [limit]).fetchall()
    return [BoardDecision(request_id=row[0], number=row[1], name=row[2], decision=Decision(row[3]),
                          approved_shares=row[4] or 0, asked_for=row[5] or 0, by=row[6],
                          at=from_stamp(row[7]).astimezone(zone)) for row in rows]


@dataclass(frozen=True)
class PayoutSum:
    payout: Payout
    members: int
    pence: int


def payout_sums(dividend: DividendPlan) -> list[PayoutSum]:
    """How the plan's parts will be paid: members and pence by payout, in the order credit, cash, shares
    (the ones with nobody left out)."""
    sums = []
    for payout in Payout:
        parts = [part.part_pence for part in dividend.parts if part.payout == payout]
        if parts:
            sums.append(PayoutSum(payout=payout, members=len(parts), pence=sum(parts)))
    return sums


def declared_as(dividends: Dividends, first: date, last: date, sum_pence: int) -> int | None:
    """The run already declared for exactly this period and sum (a confirmation sent twice), or None."""
    row = dividends.db.execute("select id from dividends where period_from = ? and period_to = ? and sum_pence = ?",
                               [first.isoformat(), last.isoformat(), sum_pence]).fetchone()
    return row[0] if row else None
