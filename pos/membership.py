"""The co-op at the till: joining, share money through the drawer, member prices, the dividend,
and a member's own statement. Share money is capital: it moves cash but is never takings."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlite_utils import Database

from coop.dividend import CeasedMembers, DividendPlan, Dividends, Payout, plan
from coop.register import Member, MemberDetails, Register, RegisterError
from coop.shares import Holding, Shares
from pos.basket import Basket
from pos.config import CoopSettings
from pos.database import transaction
from pos.errors import TillError
from pos.permissions import Action, authorise
from pos.till import _INSERT_CASH, Till


class MemberStatement(BaseModel):
    """What a member sees about themselves ("My shares"), and nothing about anyone else."""

    number: str
    name: str
    admitted_on: date
    shares: int
    share_value_pence: int
    paid_in_pence: int
    pending_withdrawals: list[str]
    purchases_this_year_pence: int
    dividend_earned_pence: int
    dividend_estimate_pence: int | None
    credit_pence: int


class Membership:
    def __init__(self, db: Database, till: Till, settings: CoopSettings):
        self.db = db
        self.till = till
        self.settings = settings
        self.rules = settings.rules()
        self.register = Register(db)
        self.shares = Shares(db, self.rules)
        self.dividends = Dividends(db, self.rules)

    def today(self) -> date:
        return self.till.today()

    def _name(self, volunteer_id: int) -> str:
        return self.till.volunteers.get(volunteer_id).name

    # Finding members -------------------------------------------------------------------

    def find(self, text: str) -> Member | None:
        """A scanned card (current cards only) or a typed membership number (M0001)."""
        member = self.register.by_card(text)
        if member is not None:
            return member
        cleaned = text.strip().upper()
        if cleaned.startswith("M") and cleaned[1:].isascii() and cleaned[1:].isdigit():
            try:
                return self.register.by_number(cleaned)
            except RegisterError:
                return None
        return None

    def attach(self, basket: Basket, member: Member | None, *, card: bool = False) -> None:
        """Attach a member to the basket, with member prices; None takes them off. `card`: their
        card was scanned (or a shift lead found them), so their till credit may be spent."""
        if member is not None and not member.is_member:
            raise TillError(f"{member.number} is no longer a member")
        rates = {"": self.settings.member_discount_percent, **self.settings.category_discount_percent}
        basket.attach_member(member.number if member else None, rates, card=card)

    # Share money through the drawer ----------------------------------------------------------

    def search(self, text: str, *, operator_id: int, approver_id: int | None = None, limit: int = 8) -> list[Member]:
        """Members by name or number: personal data, so a shift lead or manager (checked here)."""
        authorise(self.till.volunteers, Action.find_member, operator_id, approver_id)
        return [m for m in self.register.search(text, limit=limit) if m.is_member]

    def found(self, member_id: int, *, operator_id: int, approver_id: int | None = None) -> Member:
        """The member picked from a search, with the look-up in the audit log."""
        approver = authorise(self.till.volunteers, Action.find_member, operator_id, approver_id)
        member = self.register.get(member_id)
        with transaction(self.db):
            self.till.audit(Action.find_member, operator_id, approver, f"looked up {member.number}")
        return member

    def join(self, details: MemberDetails, shares: int, *, operator_id: int,
             approver_id: int | None = None) -> Member:
        """Register a new member and take their first shares in cash, in one transaction."""
        approver = authorise(self.till.volunteers, Action.join_member, operator_id, approver_id)
        by = self._name(approver or operator_id)
        with transaction(self.db):
            member = self.register.admit(details, on=self.today(), at=self.till.now(), by=by)
            self._take(member, shares, operator_id, by)
            self.till.audit(Action.join_member, operator_id, approver, f"{member.number} joined with {shares} shares")
        return self.register.get(member.id)

    def buy_shares(self, member: Member, shares: int, *, operator_id: int) -> int:
        """More shares for an existing member, paid in cash at the till. Returns the pence taken."""
        with transaction(self.db):
            return self._take(member, shares, operator_id, self._name(operator_id))

    def _take(self, member: Member, shares: int, operator_id: int, by: str) -> int:
        self.till.seller(operator_id)
        session = self.till.current_session()
        if session is None:
            raise TillError("The till is not open: open it with a float before taking share money")
        amount = self.shares.buy(member, shares, on=self.today(), at=self.till.now(), by=by)
        self.db.execute(_INSERT_CASH, [self.till.till_id, session.id, self.till.now(), operator_id,
                                       "share_capital_in", amount, f"{shares} shares for {member.number}"])
        return amount

    def pay_withdrawal(self, request_id: int, *, operator_id: int, approver_id: int | None = None) -> int:
        """Pay an approved withdrawal in cash from the drawer. Returns the pence paid."""
        approver = authorise(self.till.volunteers, Action.share_payout, operator_id, approver_id)
        self.till.seller(operator_id)
        session = self.till.current_session()
        if session is None:
            raise TillError("The till is not open")
        with transaction(self.db):
            amount = self.shares.pay_out(request_id, on=self.today(), at=self.till.now(),
                                         by=self._name(approver or operator_id))
            self.db.execute(_INSERT_CASH, [self.till.till_id, session.id, self.till.now(), operator_id,
                                           "share_capital_out", amount, f"withdrawal {request_id}"])
            self.till.audit(Action.share_payout, operator_id, approver, f"withdrawal {request_id}: {amount}p")
        return amount

    # The dividend -----------------------------------------------------------------------------

    def qualifying_purchases(self, first: date, last: date, *, member_number: str | None = None) -> dict[str, int]:
        """Member number → purchases net of refunds in the period (one member's, if named).
        Pass-through (stamps, top-ups) is not a purchase from the society; share money is not a
        sale at all."""
        one, params = ("and l.member_number = ?", [member_number]) if member_number else ("", [])
        return dict(self.db.execute(
            "select l.member_number, sum(l.line_total_pence) from sale_lines l join sales s on s.id = l.sale_id"
            " where s.business_date between ? and ? and l.member_number is not null and l.pass_through = 0"
            f" {one} group by l.member_number",
            [first.isoformat(), last.isoformat(), *params],
        ).fetchall())

    def preview_dividend(self, first: date, last: date, sum_pence: int) -> DividendPlan:
        if self.settings.society_type != "co-operative":
            raise TillError("a community benefit society pays no dividend on purchases")
        return plan(self.register.all(), self.qualifying_purchases(first, last), sum_pence=sum_pence,
                    period_from=first, period_to=last, ceased=CeasedMembers(self.settings.dividend_ceased_members),
                    default_payout=Payout(self.settings.dividend_payout))

    def declare_dividend(self, first: date, last: date, sum_pence: int, *, operator_id: int,
                         approver_id: int | None = None) -> int:
        approver = authorise(self.till.volunteers, Action.dividend, operator_id, approver_id)
        if last >= self.today():
            raise TillError("a dividend can be declared only for a period that has ended "
                            "(later sales in it would be left out)")
        dividend = self.preview_dividend(first, last, sum_pence)
        with transaction(self.db):
            run = self.dividends.declare(dividend, on=self.today(), at=self.till.now(),
                                         by=self._name(approver or operator_id))
            self.till.audit(Action.dividend, operator_id, approver, f"run {run}: {sum_pence}p")
        return run

    # "My shares" ---------------------------------------------------------------------------------

    def statement(self, member: Member) -> MemberStatement:
        holding: Holding = self.shares.holding(member.id)
        today = self.today()
        start = date(today.year, 1, 1)
        purchases = self.qualifying_purchases(start, today, member_number=member.number).get(member.number, 0)
        estimate = None
        runs = self.dividends.runs()
        if self.settings.society_type == "co-operative" and runs:
            # The last dividend's rate per pound of purchases, applied to this year's purchases so far.
            last = runs[-1]
            qualifying = sum(p["qualifying_pence"] for p in self.dividends.parts(last["id"]))
            if qualifying:
                estimate = purchases * last["sum_pence"] // qualifying
        pending = [
            f"{w.shares} shares asked for on {w.requested_on:%d/%m/%Y}"
            + (f", {w.decision.value.replace('_', ' ')}" if w.decision else ", waiting for the board")
            for w in holding.pending
        ]
        return MemberStatement(
            number=member.number, name=member.name, admitted_on=member.admitted_on, shares=holding.shares,
            share_value_pence=holding.shares * self.rules.share_value_pence, paid_in_pence=holding.paid_in_pence,
            pending_withdrawals=pending, purchases_this_year_pence=purchases,
            dividend_earned_pence=self.dividends.earned(member.id), dividend_estimate_pence=estimate,
            credit_pence=self.dividends.credit_balance(member.id),
        )
