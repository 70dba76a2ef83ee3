"""The board's decisions, at the office of a hub, on withdrawals asked for at the other tills.

A request is its till's own record: it reaches the office's consolidated copy (as k × BLOCK + the till's own id,
hub/office.py) but never the office's own ledger, and the member's shares and the cash are that till's. So the
board reads it from the copy, and its decision is written to the office's own ledger as a decision with no
request of its own, its note naming the request by its till and that till's own id ("request 5 at till-2"):
sealed into the office's journal like any decision. `till office pull` puts those at the hub (hub/board.py), and
the till takes the ones naming its requests at its next pull and writes each into its own ledger, with who made
it and when; from then on its shift lead pays it out there under the same rules as any other.

Nothing is decided twice: the board decides another till's request only while it waits for a first decision or
is suspended (as far as the copy and the decisions on their way say), because one that approves or refuses it
may be paid out at that till the moment it arrives. The till checks again when it takes it (hub/board.py), as
the copy may be older than the till; one it did not record shows here as not recorded, and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from coop.board import BoardDecision, Waiting, next_step
from coop.errors import ShareError
from coop.rules import ShareRules
from coop.shares import Decision, Shares, Withdrawal, at_the_office
from core.clock import from_stamp
from core.ids import BLOCK

#: The note of the office's ledger entry: the request's key (the till's own id, the till).
NOTE = "the board's decision on request {request} at {till}"
_KEY = re.compile(r"the board's decision on request (\d+) at (.+)")


@dataclass(frozen=True)
class Sent:
    """The board's decision on another till's request, as the office recorded it."""

    id: int
    till: str
    request: int
    member_id: int
    decision: Decision
    approved_shares: int
    by: str
    at: str
    on: date

    def row(self) -> tuple:
        """What the hub keeps of it (hub/board.py `publish`)."""
        return (self.id, self.till, self.request, self.decision.value, self.approved_shares, self.by, self.at,
                self.on.isoformat())


def sent(db) -> list[Sent]:
    """Every decision the office made on another till's request, oldest first."""
    found = []
    for row in db.execute("select id, note, member_id, decision, approved_shares, by, at, on_date from share_ledger"
                          " where kind = 'decision' and request_id is null order by id"):
        key = _KEY.fullmatch(row[1] or "")
        if key:
            found.append(Sent(id=row[0], till=key[2], request=int(key[1]), member_id=row[2],
                              decision=Decision(row[3]), approved_shares=row[4] or 0, by=row[5], at=row[6],
                              on=date.fromisoformat(row[7])))
    return found


@dataclass(frozen=True)
class Elsewhere:
    """Another till's request as the copy holds it, with the board's decisions on it that the copy does not."""

    till: str
    request: int
    withdrawal: Withdrawal
    #: The office's decisions on it not recorded at the till yet (as far as the copy says), oldest first.
    on_their_way: list[Sent]
    #: The office's decisions the till did not record, each with why.
    not_recorded: list[tuple[Sent, str]]

    @property
    def latest(self) -> Decision | None:
        """The decision the request stands under once everything on its way has arrived."""
        return self.on_their_way[-1].decision if self.on_their_way else self.withdrawal.decision


def requests_elsewhere(copy: Shares, office_db, tills: dict[int, str]) -> list[Elsewhere]:
    """Every request in the copy asked for at one of `tills` (k → till id: the tills other than the office)."""
    mine = sent(office_db)
    found = []
    for withdrawal in copy.withdrawals():
        till = tills.get(withdrawal.id // BLOCK)
        if till is None:
            continue
        request = withdrawal.id % BLOCK
        recorded = {(row[0], row[1]) for row in copy.db.execute(
            "select at, by from share_ledger where kind = 'decision' and request_id = ?", [withdrawal.id])}
        ours = [s for s in mine if (s.till, s.request) == (till, request) and (s.at, s.by) not in recorded]
        missed = []
        if ours and (withdrawal.paid_on is not None or withdrawal.decision not in (None, Decision.suspended)):
            # The till has moved past what these follow: its own payout or decision came first (hub/board.py).
            why = (f"{till} paid it out on {withdrawal.paid_on:%d/%m/%Y}" if withdrawal.paid_on else
                   f"{till} holds a decision of its own ({withdrawal.decision.value.replace('_', ' ')})")
            missed, ours = [(s, why) for s in ours], []
        found.append(Elsewhere(till=till, request=request, withdrawal=withdrawal, on_their_way=ours,
                               not_recorded=missed))
    return found


def queue_elsewhere(copy: Shares, office_db, tills: dict[int, str], rules: ShareRules, today: date) -> list[Waiting]:
    """The other tills' open requests for the board's queue, each saying where it was asked for (and is paid)."""
    queue = []
    for one in requests_elsewhere(copy, office_db, tills):
        if not one.withdrawal.outstanding or one.latest == Decision.refused:
            continue
        member = copy.register.get(one.withdrawal.member_id)
        if one.on_their_way:
            last = one.on_their_way[-1]
            step = (f"The board's decision ({_words(last.decision, last.approved_shares)}, by {last.by}) is on its way "
                    f"to {one.till}: it is recorded there at that till's next round with the hub.")
        else:
            step = next_step(one.withdrawal, rules, today)
        shown = one.withdrawal.model_copy(update={"id": one.request})
        queue.append(Waiting(withdrawal=shown, number=member.number, name=member.name, till=one.till,
                             next_step=f"{step} Asked for at {one.till}, where it is paid out."))
    return queue


def decide_elsewhere(office: Shares, copy: Shares, tills: dict[int, str], till: str, request: int,
                     decision: Decision, *, on: date, at: str, by: str, approved_shares: int | None = None) -> Sent:
    """Record the board's decision on request `request` asked for at `till`, or ShareError saying why not."""
    if refused := at_the_office(office.db, "share withdrawals are decided"):
        raise ShareError(refused)
    found = next((one for one in requests_elsewhere(copy, office.db, tills)
                  if (one.till, one.request) == (till, request)), None)
    if found is None:
        raise ShareError(f"the office's copy holds no withdrawal request {request} from {till}: pull from the hub "
                         "(`till office pull`) if it was asked for since")
    withdrawal = found.withdrawal
    if withdrawal.paid_on is not None:
        raise ShareError(f"{till} paid request {request} out on {withdrawal.paid_on:%d/%m/%Y}: nothing was recorded")
    if found.latest not in (None, Decision.suspended):
        last = found.on_their_way[-1] if found.on_their_way else None
        said = f"{found.latest.value.replace('_', ' ')}" + (f", by {last.by}, on its way there" if last else "")
        raise ShareError(f"the board has decided request {request} at {till} already ({said}); a decision that "
                         f"approves or refuses another till's request is not changed from here, as {till} may pay "
                         "it out the moment it has it: nothing was recorded")
    approved = copy.approved(withdrawal, decision, approved_shares)  # held across every till, as the copy has it
    entry = office.record_decision(withdrawal.member_id, decision, approved, on=on, at=at, by=by,
                                   note=NOTE.format(request=request, till=till))
    return next(s for s in sent(office.db) if s.id == entry)


def decisions_elsewhere(copy: Shares, office_db, tills: dict[int, str], zone: ZoneInfo) -> list[BoardDecision]:
    """The board's decisions on the other tills' requests: those recorded there (as the copy has them), and the
    office's own on their way or not recorded, each saying so."""
    found = []
    for one in requests_elsewhere(copy, office_db, tills):
        member = copy.register.get(one.withdrawal.member_id)
        common = {"request_id": one.request, "number": member.number, "name": member.name,
                  "asked_for": one.withdrawal.shares, "till": one.till}
        for decision, approved, by, at in copy.db.execute(
                "select decision, approved_shares, by, at from share_ledger where kind = 'decision' and request_id = ?",
                [one.withdrawal.id]):
            found.append(BoardDecision(decision=Decision(decision), approved_shares=approved or 0, by=by,
                                       at=from_stamp(at).astimezone(zone), status=f"recorded at {one.till}", **common))
        waiting = [(s, f"on its way to {one.till}") for s in one.on_their_way]
        missed = [(s, f"not recorded at {one.till}: {why}") for s, why in one.not_recorded]
        for s, status in waiting + missed:
            found.append(BoardDecision(decision=s.decision, approved_shares=s.approved_shares, by=s.by,
                                       at=from_stamp(s.at).astimezone(zone), status=status, **common))
    return found


def _words(decision: Decision, approved: int) -> str:
    words = decision.value.replace("_", " ")
    return f"{words}, {approved} shares" if decision == Decision.part_approved else words
