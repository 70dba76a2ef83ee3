"""Community shares: an append-only ledger of purchases, withdrawal requests, board decisions
and payments out. Holdings are derived from it; every rule in docs/domain.md, "The society and its members" is checked here."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel
from sqlite_utils import Database

from coop.errors import RegisterError, ShareError
from coop.register import Member, Register
from coop.rules import LEGAL_CAP_PENCE, ShareRules  # noqa: F401 - LEGAL_CAP_PENCE: still importable from here


class Decision(StrEnum):
    approved = "approved"
    part_approved = "part_approved"
    refused = "refused"
    suspended = "suspended"


class Kind(StrEnum):
    purchase = "purchase"
    withdrawal_request = "withdrawal_request"
    decision = "decision"
    payout = "payout"
    dividend_shares = "dividend_shares"


class Withdrawal(BaseModel):
    """A request as it stands now, derived from its ledger entries."""

    id: int
    member_id: int
    requested_on: date
    shares: int
    notice_ends: date
    decision: Decision | None = None
    approved_shares: int = 0
    paid_on: date | None = None

    @property
    def outstanding(self) -> bool:
        return self.paid_on is None and self.decision not in (Decision.refused,)


class Holding(BaseModel):
    member_id: int
    shares: int
    paid_in_pence: int
    paid_out_pence: int
    pending: list[Withdrawal]


def at_the_office(db: Database, what: str) -> str | None:
    """Why it cannot be decided here (`what`: "share withdrawals are decided"): a till that is part of a hub but is not its office (node 1)
    knows only part of the register and of the money; None where it may be decided."""
    from core.ids import OFFICE, node_number

    if node_number(db) in (None, OFFICE):
        return None
    return (f"{what} at the office (node 1 of the hub, the till that started it), where the whole register "
            "is known: nothing was recorded here")


class Shares:
    def __init__(self, db: Database, rules: ShareRules):
        self.db = db
        self.rules = rules
        self.register = Register(db)

    # Reading -----------------------------------------------------------------------------

    def held(self, member_id: int) -> int:
        return self.db.execute(
            "select coalesce(sum(shares), 0) from share_ledger where member_id = ?", [member_id]
        ).fetchone()[0]

    def holding(self, member_id: int) -> Holding:
        # Shares issued as dividend moved no cash (their ledger amount is 0) but are paid up from
        # the member's dividend, so they count as paid at face value, like bought ones.
        paid_in, paid_out = self.db.execute(
            "select coalesce(sum(case when kind = 'dividend_shares' then shares * ?"
            " when amount_pence > 0 then amount_pence end), 0),"
            " coalesce(-sum(case when amount_pence < 0 then amount_pence end), 0)"
            " from share_ledger where member_id = ? and kind in ('purchase', 'payout', 'dividend_shares')",
            [self.rules.share_value_pence, member_id],
        ).fetchone()
        pending = [w for w in self.withdrawals(member_id) if w.outstanding]
        return Holding(member_id=member_id, shares=self.held(member_id), paid_in_pence=paid_in,
                       paid_out_pence=paid_out, pending=pending)

    def ledger(self, member_id: int) -> list[dict]:
        """One member's share ledger, oldest first: what their statement lists line by line."""
        return list(self.db.query(
            "select on_date, kind, shares, amount_pence, decision, approved_shares from share_ledger"
            " where member_id = ? order by id", [member_id]))

    def withdrawals(self, member_id: int | None = None) -> list[Withdrawal]:
        where, params = ("and member_id = ?", [member_id]) if member_id is not None else ("", [])
        requests = list(self.db.query(
            f"select * from share_ledger where kind = 'withdrawal_request' {where} order by id", params))
        found = []
        for request in requests:
            requested = date.fromisoformat(request["on_date"])
            notice_ends = (date.fromisoformat(request["notice_ends"]) if request["notice_ends"]
                           else requested + timedelta(days=self.rules.notice_days))
            withdrawal = Withdrawal(
                id=request["id"], member_id=request["member_id"], requested_on=requested,
                shares=request["approved_shares"], notice_ends=notice_ends,
            )
            for entry in self.db.query("select * from share_ledger where request_id = ? order by id", [request["id"]]):
                if entry["kind"] == Kind.decision:
                    withdrawal.decision = Decision(entry["decision"])
                    withdrawal.approved_shares = entry["approved_shares"]
                elif entry["kind"] == Kind.payout:
                    withdrawal.paid_on = date.fromisoformat(entry["on_date"])
            found.append(withdrawal)
        return found

    def total_capital_pence(self) -> int:
        return self.db.execute("select coalesce(sum(shares), 0) from share_ledger").fetchone()[0] * \
            self.rules.share_value_pence

    # Buying ------------------------------------------------------------------------------------

    def check_purchase(self, member: Member, shares: int) -> int:
        """The price in pence of `shares` more shares for this member, or ShareError saying why not."""
        if isinstance(shares, bool) or not isinstance(shares, int) or shares < 1:
            raise ShareError("shares are bought whole, at least one at a time")
        if not member.is_member:
            raise ShareError(f"{member.number} is no longer a member")
        after = self.held(member.id) + shares
        if after < self.rules.min_shares:
            raise ShareError(f"a member holds at least {self.rules.min_shares} shares")
        if after > self.rules.max_shares:
            raise ShareError(f"a member may hold at most {self.rules.max_shares} shares; "
                             f"{member.number} would hold {after}")
        return shares * self.rules.share_value_pence

    def buy(self, member: Member, shares: int, *, on: date, at: str, by: str) -> int:
        """Record a purchase (the money is taken by the till in the same transaction). Returns pence."""
        amount = self.check_purchase(member, shares)
        self._entry(member.id, at, on, Kind.purchase, shares, amount, by)
        return amount

    def add_dividend_shares(self, member: Member, shares: int, *, on: date, at: str, by: str, note: str) -> None:
        if shares > 0:
            self.check_purchase(member, shares)
            self._entry(member.id, at, on, Kind.dividend_shares, shares, 0, by, note=note)

    # Withdrawing -------------------------------------------------------------------------------

    def request_withdrawal(self, member: Member, shares: int, *, on: date, at: str, by: str) -> Withdrawal:
        held = self.held(member.id)
        already = sum(w.shares for w in self.withdrawals(member.id) if w.outstanding)
        if shares < 1:
            raise ShareError("a withdrawal is of at least one whole share")
        if shares + already > held:
            raise ShareError(f"{member.number} holds {held} shares, {already} already asked for")
        left = held - shares - already
        if 0 < left < self.rules.min_shares:
            raise ShareError(f"that would leave {left}, below the minimum of {self.rules.min_shares}; "
                             "withdraw everything to leave the society, or fewer")
        entry = self._entry(member.id, at, on, Kind.withdrawal_request, 0, 0, by, approved_shares=shares,
                            notice_ends=on + timedelta(days=self.rules.notice_days))
        return next(w for w in self.withdrawals(member.id) if w.id == entry)

    def decide(self, request_id: int, decision: Decision, *, on: date, at: str, by: str,
               approved_shares: int | None = None) -> Withdrawal:
        """The board's decision on a request: approve, approve part, refuse, or suspend."""
        if refused := at_the_office(self.db, "share withdrawals are decided"):
            raise ShareError(refused)
        withdrawal = self.withdrawal(request_id)
        if withdrawal.paid_on is not None:
            raise ShareError("that withdrawal has been paid already")
        approved = self.approved(withdrawal, decision, approved_shares)
        self.record_decision(withdrawal.member_id, decision, approved, on=on, at=at, by=by, request_id=request_id)
        return self.withdrawal(request_id)

    def record_decision(self, member_id: int, decision: Decision, approved: int, *, on: date, at: str, by: str,
                        request_id: int | None = None, note: str | None = None) -> int:
        """Write a decision already checked: on a request in this ledger, or (request_id None, the request named
        in `note`) on one made at another till of a hub (coop/board_elsewhere.py). Its ledger id."""
        return self._entry(member_id, at, on, Kind.decision, 0, 0, by, request_id=request_id,
                           decision=decision.value, approved_shares=approved, note=note)

    def approved(self, withdrawal: Withdrawal, decision: Decision, approved_shares: int | None) -> int:
        """The shares a decision approves (0 for a refusal or suspension), or ShareError when a part approval
        is not a part or would leave the member below the minimum (held as these books know it)."""
        if decision == Decision.approved:
            return withdrawal.shares
        if decision != Decision.part_approved:
            return 0
        if approved_shares is None or not 0 < approved_shares < withdrawal.shares:
            raise ShareError(f"a part approval is of 1 to {withdrawal.shares - 1} shares")
        left = self.held(withdrawal.member_id) - approved_shares
        if 0 < left < self.rules.min_shares:
            raise ShareError(f"that would leave {left}, below the minimum of {self.rules.min_shares}")
        return approved_shares

    def check_payout(self, request_id: int, *, on: date) -> tuple[Withdrawal, int]:
        """The withdrawal and the pence to pay, or ShareError with the rule that forbids it."""
        withdrawal = self.withdrawal(request_id)
        member = self.register.get(withdrawal.member_id)
        if withdrawal.paid_on is not None:
            raise ShareError("that withdrawal has been paid already")
        if self.rules.withdrawals_suspended:
            raise ShareError("withdrawals are suspended by the board; nothing can be paid out")
        if withdrawal.decision not in (Decision.approved, Decision.part_approved):
            raise ShareError("the board has not approved this withdrawal")
        if on < withdrawal.notice_ends:
            raise ShareError(f"the notice period runs until {withdrawal.notice_ends.isoformat()}")
        age = member.age_on(on)
        if age is not None and age < self.rules.adult_age:
            raise ShareError(f"{member.number} is under {self.rules.adult_age} and cannot give a valid "
                             "receipt; nothing can be paid to them")
        held = self.held(member.id)
        if withdrawal.approved_shares > held:
            raise ShareError(f"{member.number} holds fewer shares than were approved")
        left = held - withdrawal.approved_shares
        if 0 < left < self.rules.min_shares:
            raise ShareError(f"paying it would leave {member.number} with {left} shares, below the minimum "
                             f"of {self.rules.min_shares}")
        return withdrawal, withdrawal.approved_shares * self.rules.share_value_pence

    def pay_out(self, request_id: int, *, on: date, at: str, by: str) -> int:
        """Pay an approved withdrawal (the till hands over the cash in the same transaction).
        Withdrawing everything ends membership. Returns the pence paid."""
        withdrawal, amount = self.check_payout(request_id, on=on)
        self._entry(withdrawal.member_id, at, on, Kind.payout, -withdrawal.approved_shares, -amount, by,
                    request_id=request_id)
        if self.held(withdrawal.member_id) == 0:
            try:
                self.register.cease(withdrawal.member_id, on=on, at=at, by=by, reason="withdrew all shares")
            except RegisterError:
                pass
        return amount

    # Internals ---------------------------------------------------------------------------------

    def withdrawal(self, request_id: int) -> Withdrawal:
        """One request as it stands now, or ShareError when there is no such request."""
        row = self.db.execute("select member_id from share_ledger where id = ? and kind = 'withdrawal_request'",
                              [request_id]).fetchone()
        if row is None:
            raise ShareError(f"there is no withdrawal request {request_id}")
        return next(w for w in self.withdrawals(row[0]) if w.id == request_id)

    def _entry(self, member_id: int, at: str, on: date, kind: Kind, shares: int, amount: int, by: str, *,
               request_id: int | None = None, decision: str | None = None, approved_shares: int | None = None,
               note: str | None = None, notice_ends: date | None = None) -> int:
        with self.db.atomic():
            return self.db.execute(
                "insert into share_ledger (member_id, at, on_date, kind, shares, amount_pence, request_id,"
                " decision, approved_shares, by, note, notice_ends) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [member_id, at, on.isoformat(), kind.value, shares, amount, request_id, decision,
                 approved_shares, by, note, notice_ends.isoformat() if notice_ends else None],
            ).lastrowid
