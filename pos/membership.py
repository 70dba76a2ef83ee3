"""The co-op at the till: joining, share money through the drawer, member prices, the dividend,
and a member's own statement. Share money is capital: it moves cash but is never takings."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlite_utils import Database

from coop.dividend import CeasedMembers, DividendPlan, Dividends, Payout, plan
from coop.register import Member, MemberDetails, Register, RegisterError
from coop.shares import Decision, Holding, ShareError, Shares
from core.database import transaction
from core.errors import TillError
from core.money import format_pence
from pos.basket import Basket
from pos.config import CoopSettings
from pos.till import Till
from volunteers.permissions import Action, authorise
from volunteers.shifts import as_hours


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
    #: Dividend declared as cash and not collected yet: the till can pay it.
    dividend_owed_pence: int = 0
    credit_pence: int
    #: Hours given as a volunteer this year, where the member volunteers.
    volunteer_minutes_this_year: int | None = None


class MemberMoney(BaseModel):
    """What can be done with a member's money at the till now: for the Member money dialog."""

    number: str
    name: str
    is_member: bool
    shares: int
    credit_pence: int
    #: (part id, label, pence): dividend parts declared as cash, not yet collected.
    dividend_owed: list[tuple[int, str, int]]
    #: (request id, label, pence): withdrawals the board approved whose notice has ended.
    withdrawals_ready: list[tuple[int, str, int]]
    #: Withdrawals still waiting for their notice or the board, as words.
    withdrawals_waiting: list[str]


def statement_rows(statement: MemberStatement) -> list[tuple[str, str]]:
    """The statement's figures as (label, value), in the order the screen and the paper show them."""
    rows = [
        ("Shares held", str(statement.shares)),
        ("Their value", format_pence(statement.share_value_pence)),
        ("Paid in", format_pence(statement.paid_in_pence)),
        ("Purchases this year", format_pence(statement.purchases_this_year_pence)),
        ("Dividend earned", format_pence(statement.dividend_earned_pence)),
        ("Till credit", format_pence(statement.credit_pence)),
    ]
    if statement.dividend_owed_pence:
        rows.append(("Dividend to collect", format_pence(statement.dividend_owed_pence)))
    if statement.dividend_estimate_pence is not None:
        rows.append(("Dividend this year (estimate)", format_pence(statement.dividend_estimate_pence)))
    if statement.volunteer_minutes_this_year is not None:
        rows.append(("Volunteering this year", f"{as_hours(statement.volunteer_minutes_this_year)} hours"))
    return rows


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
             approver_id: int | None = None, application_id: int | None = None) -> Member:
        """Register a new member and take their first shares in cash, in one transaction; with
        `application_id`, the web application it completes is marked paid in that transaction too."""
        approver = authorise(self.till.volunteers, Action.join_member, operator_id, approver_id)
        by = self._name(approver or operator_id)
        with transaction(self.db):
            member = self.register.admit(details, on=self.today(), at=self.till.now(), by=by)
            self._take(member, shares, operator_id, by)
            if application_id is not None:
                self.applications().complete(application_id, member.id)
            self.till.audit(Action.join_member, operator_id, approver, f"{member.number} joined with {shares} shares")
        # With the new card's code, for the welcome slip: the register keeps only its hash.
        return self.register.get(member.id).model_copy(update={"card_code": member.card_code})

    def applications(self):
        from access.applications import Applications

        return Applications(self.db, self.till.clock)

    def join_application(self, application_id: int, *, operator_id: int, approver_id: int | None = None) -> Member:
        """Complete an application made on the web: its details and shares, paid now in cash."""
        application = self.applications().waiting(application_id)
        return self.join(application.details(), application.shares, operator_id=operator_id,
                         approver_id=approver_id, application_id=application_id)

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
        self.till.record_cash(session, "share_capital_in", amount, f"{shares} shares for {member.number}",
                              operator_id=operator_id)
        return amount

    def pay_withdrawal(self, request_id: int, *, operator_id: int, approver_id: int | None = None) -> int:
        """Pay an approved withdrawal in cash from the drawer. Returns the pence paid."""
        approver = authorise(self.till.volunteers, Action.share_payout, operator_id, approver_id)
        self.till.seller(operator_id)
        with transaction(self.db):
            # Inside the write lock: a Z on another till or screen cannot close it in between.
            session = self.till._require_session()
            amount = self.shares.pay_out(request_id, on=self.today(), at=self.till.now(),
                                         by=self._name(approver or operator_id))
            self.till.record_cash(session, "share_capital_out", amount, f"withdrawal {request_id}",
                                  operator_id=operator_id)
            self.till.audit(Action.share_payout, operator_id, approver, f"withdrawal {request_id}: {amount}p")
        return amount

    def decide_withdrawal(self, request_id: int, decision: Decision, *, operator_id: int,
                          approved_shares: int | None = None):
        """Record the board's decision on a withdrawal request, with who decided and when: a board member
        deciding on the web, or a manager recording a decision minuted on paper. No cash moves here."""
        authorise(self.till.volunteers, Action.decide_withdrawal, operator_id, None)
        with transaction(self.db):  # sealed into the journal as it commits
            decided = self.shares.decide(request_id, decision, on=self.today(), at=self.till.now(),
                                         by=self._name(operator_id), approved_shares=approved_shares)
            self.till.audit(Action.decide_withdrawal, operator_id, None,
                            f"board decision on request {request_id}: {decision.value}")
        return decided

    def decide_elsewhere(self, till: str, request_id: int, decision: Decision, *, operator_id: int, over: Membership,
                         tills: dict[int, str], approved_shares: int | None = None):
        """At the office of a hub, the board's decision on request `request_id` asked for at another till, read
        from `over` (the consolidated copy; `tills`: its tills other than the office): recorded in these books,
        it reaches that till through the hub (coop/board_elsewhere.py). No cash moves here."""
        from coop.board_elsewhere import decide_elsewhere

        authorise(self.till.volunteers, Action.decide_withdrawal, operator_id, None)
        with transaction(self.db):  # sealed into the journal as it commits
            decided = decide_elsewhere(self.shares, over.shares, tills, till, request_id, decision, on=self.today(),
                                       at=self.till.now(), by=self._name(operator_id), approved_shares=approved_shares)
            self.till.audit(Action.decide_withdrawal, operator_id, None,
                            f"board decision on request {request_id} at {till}: {decision.value}")
        return decided

    def money(self, member: Member) -> MemberMoney:
        today = self.today()
        ready, waiting = [], []
        for w in self.shares.holding(member.id).pending:
            try:
                _, amount = self.shares.check_payout(w.id, on=today)
            except ShareError as why:
                waiting.append(f"{w.shares} shares asked for on {w.requested_on:%d/%m/%Y}: {why}")
                continue
            ready.append((w.id, f"{w.approved_shares} shares asked for on {w.requested_on:%d/%m/%Y}", amount))
        return MemberMoney(
            number=member.number, name=member.name, is_member=member.is_member, shares=self.shares.held(member.id),
            credit_pence=self.dividends.credit_balance(member.id),
            dividend_owed=[(p.part_id, f"dividend {p.run} (to {p.period_to:%d/%m/%Y})", p.amount_pence)
                           for p in self.dividends.owed(member.id)],
            withdrawals_ready=ready, withdrawals_waiting=waiting,
        )

    def request_withdrawal(self, member: Member, shares: int, *, operator_id: int):
        """A member asks to withdraw shares; the notice starts today and the board decides later."""
        self.till.seller(operator_id)
        with transaction(self.db):  # two tills must not both pass the "already asked for" check
            return self.shares.request_withdrawal(member, shares, on=self.today(), at=self.till.now(),
                                                  by=self._name(operator_id))

    def pay_dividend(self, part_id: int, *, operator_id: int, approver_id: int | None = None,
                     as_credit: bool = False) -> int:
        """Settle a dividend part owed in cash: cash from the drawer, or (the member's choice, and
        the only way for an under-16) till credit. Returns the pence."""
        approver = authorise(self.till.volunteers, Action.share_payout, operator_id, approver_id)
        self.till.seller(operator_id)
        with transaction(self.db):
            session = None if as_credit else self.till._require_session()
            owed = self.dividends.settle(part_id, as_credit=as_credit, on=self.today(), at=self.till.now(),
                                         by=self._name(approver or operator_id))
            if not as_credit:
                self.till.record_cash(session, "dividend_out", owed.amount_pence,
                                      f"dividend {owed.run} for {owed.number}", operator_id=operator_id)
            self.till.audit(Action.share_payout, operator_id, approver,
                            f"dividend {owed.run} part {part_id} for {owed.number}: {owed.amount_pence}p "
                            + ("as till credit" if as_credit else "in cash"))
        return owed.amount_pence

    def pay_out_credit(self, member: Member, *, operator_id: int, approver_id: int | None = None) -> int:
        """Hand over a member's till credit in cash: for someone who has left (credit is spent
        only by members at the till) or who asks for it. Returns the pence."""
        approver = authorise(self.till.volunteers, Action.share_payout, operator_id, approver_id)
        self.till.seller(operator_id)
        age = member.age_on(self.today())
        if age is not None and age < self.rules.adult_age:
            raise TillError(f"{member.number} is under {self.rules.adult_age} and cannot give a valid receipt; "
                            "their credit stays for them to spend")
        with transaction(self.db):
            session = self.till._require_session()
            # Read inside the write lock: another till may be spending it at this moment. With a hub it is what
            # this till knows of, the other tills' part as the office last counted, as a sale spends it.
            balance = self.till.member_credit(member.id)
            if balance <= 0 and credit_capped(self.db):
                raise TillError(f"this till knows of no till credit left for {member.number} (it may have been "
                                "spent or paid out at another till): nothing was paid out")
            if balance <= 0:
                raise TillError(f"{member.number} has no till credit to pay out")
            reference = f"paid out to {member.number}"
            self.db.execute("insert into member_credit (member_id, at, amount_pence, kind, reference)"
                            " values (?, ?, ?, 'paid_out', ?)", [member.id, self.till.now(), -balance, reference])
            self.till.record_cash(session, "credit_out", balance, f"till credit {reference}", operator_id=operator_id)
            self.till.audit(Action.share_payout, operator_id, approver, f"till credit {reference}: {balance}p")
        return balance

    # The register ----------------------------------------------------------------------------------

    def update_member(self, member: Member, changes: dict, *, operator_id: int,
                      approver_id: int | None = None) -> Member:
        """Change a member's details (address, contacts and their purposes, consent, how they take
        their dividend); each change is kept with who made it and when."""
        approver = authorise(self.till.volunteers, Action.join_member, operator_id, approver_id)
        with transaction(self.db):
            # Built on the entry as it is now, inside the lock: another till's change is not undone.
            current = self.register.get(member.id)
            details = MemberDetails.checked(**{**current.model_dump(include=set(MemberDetails.model_fields)),
                                               **changes})
            updated = self.register.update(member.id, details, at=self.till.now(), by=self._name(approver or operator_id),
                                           on=self.today())
            self.till.audit(Action.join_member, operator_id, approver,
                            f"{member.number}: changed {', '.join(sorted(changes)) or 'nothing'}")
        return updated

    def cease_member(self, member: Member, *, reason: str, operator_id: int, approver_id: int | None = None) -> Member:
        """Record that someone is no longer a member (expelled, died, asked to leave) without a
        withdrawal. Shares still held must be withdrawn (or go to the estate) first."""
        approver = authorise(self.till.volunteers, Action.share_payout, operator_id, approver_id)
        if not reason.strip():
            raise TillError("say why the membership ends")
        with transaction(self.db):
            held = self.shares.held(member.id)  # inside the lock: no share bought meanwhile on another till
            if held:
                raise TillError(f"{member.number} still holds {held} shares: withdraw them first "
                                "(withdrawing everything ends membership)")
            ended = self.register.cease(member.id, on=self.today(), at=self.till.now(),
                                        by=self._name(approver or operator_id), reason=reason.strip())
            self.till.audit(Action.share_payout, operator_id, approver, f"{member.number} ceased: {reason.strip()}")
        return ended

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
        members = self.register.all()
        return plan(members, self.qualifying_purchases(first, last), sum_pence=sum_pence,
                    period_from=first, period_to=last, ceased=CeasedMembers(self.settings.dividend_ceased_members),
                    payouts={m.number: Payout(m.dividend_payout) for m in members if m.dividend_payout},
                    default_payout=Payout(self.settings.dividend_payout))

    def declare_dividend(self, first: date, last: date, sum_pence: int, *, operator_id: int,
                         approver_id: int | None = None, over: Membership | None = None) -> int:
        """Declare it in these books; `over`: on the purchases (and register) of other books, such as the
        office's consolidated copy of every till (pos/consolidated.py), the declaration still being this one's."""
        approver = authorise(self.till.volunteers, Action.dividend, operator_id, approver_id)
        if last >= self.today():
            raise TillError("a dividend can be declared only for a period that has ended "
                            "(later sales in it would be left out)")
        dividend = (over or self).preview_dividend(first, last, sum_pence)
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
            # The last dividend's rate per pound of purchases, applied to the purchases no declared
            # dividend has covered yet (this year's, after the last period): never the same pound twice.
            last = runs[-1]
            qualifying = sum(p["qualifying_pence"] for p in self.dividends.parts(last["id"]))
            since = max(start, date.fromisoformat(last["period_to"]) + timedelta(days=1))
            uncovered = purchases if since == start else \
                self.qualifying_purchases(since, today, member_number=member.number).get(member.number, 0)
            if qualifying:
                estimate = max(0, uncovered) * last["sum_pence"] // qualifying
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
            dividend_owed_pence=sum(p.amount_pence for p in self.dividends.owed(member.id)),
            credit_pence=self.dividends.credit_balance(member.id),
            volunteer_minutes_this_year=self._volunteer_minutes(member, start, today),
        )

    def _volunteer_minutes(self, member: Member, first: date, last: date) -> int | None:
        row = self.db.execute("select id from volunteers where member_number = ? order by id limit 1",
                              [member.number]).fetchone()
        if row is None:
            return None
        return sum(r.minutes for r in self.till.shifts.hours(first, last, volunteer_id=row[0]))


def credit_capped(db) -> bool:
    """Whether a member's till credit here is what this till last knew of the society's (it is on a hub and
    holds the office's count), rather than its own ledger alone."""
    from hub.balances import has_count

    return has_count(db)
