"""The dividend on purchases ("the divi"): the board's sum shared out in proportion to each
member's qualifying purchases in the period, to the penny (largest remainder)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel
from sqlite_utils import Database

from coop.errors import DividendError
from coop.register import Member, Register
from coop.shares import ShareRules, Shares, at_the_office
from core.allocation import allocate


class Payout(StrEnum):
    credit = "credit"
    cash = "cash"
    shares = "shares"


class CeasedMembers(StrEnum):
    """Members who left during the period: share in it for their purchases, or not (a setting)."""

    include = "include"
    exclude = "exclude"


class DividendPart(BaseModel):
    member_id: int
    number: str
    name: str
    qualifying_pence: int
    part_pence: int
    payout: Payout


class OwedPart(BaseModel):
    """A dividend part declared as cash that the member has not collected yet."""

    part_id: int
    run: int
    member_id: int
    number: str
    period_to: date
    amount_pence: int


class DividendPlan(BaseModel):
    period_from: date
    period_to: date
    sum_pence: int
    ceased_members: CeasedMembers
    parts: list[DividendPart]

    @property
    def qualifying_pence(self) -> int:
        return sum(p.qualifying_pence for p in self.parts)


def plan(
    members: list[Member], qualifying: dict[str, int], *, sum_pence: int, period_from: date, period_to: date,
    ceased: CeasedMembers, payouts: dict[str, Payout] | None = None, default_payout: Payout = Payout.credit,
) -> DividendPlan:
    """Who gets what. `qualifying` is member number → purchases net of refunds in the period."""
    if sum_pence <= 0:
        raise DividendError("the dividend must be more than £0.00")
    if period_to < period_from:
        raise DividendError("the period ends before it starts")
    eligible = []
    for member in members:
        if member.admitted_on > period_to:
            continue
        if member.ceased_on is not None and member.ceased_on <= period_to:
            if ceased == CeasedMembers.exclude or member.ceased_on < period_from:
                continue
        eligible.append(member)
    weights = [max(0, qualifying.get(m.number, 0)) for m in eligible]
    if not any(weights):
        raise DividendError("no member made qualifying purchases in that period")
    parts = allocate(sum_pence, weights)
    payouts = payouts or {}
    return DividendPlan(
        period_from=period_from, period_to=period_to, sum_pence=sum_pence, ceased_members=ceased,
        parts=[
            DividendPart(member_id=m.id, number=m.number, name=m.name, qualifying_pence=w, part_pence=p,
                         payout=payouts.get(m.number, default_payout))
            for m, w, p in zip(eligible, weights, parts) if p > 0
        ],
    )


class Dividends:
    def __init__(self, db: Database, rules: ShareRules):
        self.db = db
        self.rules = rules

    def declare(self, dividend: DividendPlan, *, on: date, at: str, by: str) -> int:
        """Store the run and pay each part as till credit or new shares (any pennies short of a
        whole share go to credit); cash parts are owed until the till pays them. Returns its id."""
        if refused := at_the_office(self.db, "the dividend is declared"):
            raise DividendError(refused)
        shares = Shares(self.db, self.rules)
        register = Register(self.db)
        with self.db.atomic():
            overlapping = self.db.execute(
                "select id from dividends where period_from <= ? and period_to >= ?",
                [dividend.period_to.isoformat(), dividend.period_from.isoformat()],
            ).fetchone()
            if overlapping:
                raise DividendError(f"a dividend for an overlapping period was declared already (run {overlapping[0]})")
            run = self.db.execute(
                "insert into dividends (period_from, period_to, sum_pence, declared_at, declared_by, ceased_members)"
                " values (?, ?, ?, ?, ?, ?)",
                [dividend.period_from.isoformat(), dividend.period_to.isoformat(), dividend.sum_pence, at, by,
                 dividend.ceased_members.value],
            ).lastrowid
            for part in dividend.parts:
                member = register.get(part.member_id)
                payout = part.payout
                age = member.age_on(on)
                if payout == Payout.cash and age is not None and age < self.rules.adult_age:
                    payout = Payout.credit  # no payment out to an under-16 (s.31)
                self.db.execute(
                    "insert into dividend_parts (dividend_id, member_id, qualifying_pence, part_pence, payout)"
                    " values (?, ?, ?, ?, ?)",
                    [run, part.member_id, part.qualifying_pence, part.part_pence, payout.value],
                )
                credit = part.part_pence if payout == Payout.credit else 0
                if payout == Payout.shares:
                    whole = part.part_pence // self.rules.share_value_pence
                    room = max(0, self.rules.max_shares - shares.held(member.id))
                    whole = min(whole, room) if member.is_member else 0
                    if whole:
                        shares.add_dividend_shares(member, whole, on=on, at=at, by=by, note=f"dividend {run}")
                    credit = part.part_pence - whole * self.rules.share_value_pence
                if credit:
                    self.db.execute(
                        "insert into member_credit (member_id, at, amount_pence, kind, reference)"
                        " values (?, ?, ?, 'dividend', ?)",
                        [part.member_id, at, credit, f"dividend {run}"],
                    )
        return run

    def owed(self, member_id: int | None = None, *, part_id: int | None = None) -> list[OwedPart]:
        """Parts declared as cash and not yet settled, oldest first (one member's, or one part, if named)."""
        where, params = ("", [])
        if member_id is not None:
            where, params = "and p.member_id = ?", [member_id]
        if part_id is not None:
            where, params = where + " and p.id = ?", [*params, part_id]
        return [OwedPart(part_id=row[0], run=row[1], member_id=row[2], number=row[3], period_to=row[4],
                         amount_pence=row[5]) for row in self.db.execute(
            "select p.id, p.dividend_id, p.member_id, m.number, d.period_to, p.part_pence from dividend_parts p"
            " join dividends d on d.id = p.dividend_id join members m on m.id = p.member_id"
            " left join dividend_payments x on x.part_id = p.id"
            f" where p.payout = 'cash' and x.id is null {where} order by p.id", params)]

    def settle(self, part_id: int, *, as_credit: bool, on: date, at: str, by: str) -> OwedPart:
        """Settle a part owed in cash: paid (the till hands over the cash in the same transaction),
        or, at the member's wish, turned into till credit. Never twice; never cash to an under-16."""
        owed = next(iter(self.owed(part_id=part_id)), None)
        if owed is None:
            row = self.db.execute("select payout from dividend_parts where id = ?", [part_id]).fetchone()
            if row is None:
                raise DividendError(f"there is no dividend part {part_id}")
            raise DividendError(f"dividend part {part_id} was not owed in cash" if row[0] != "cash"
                                else f"dividend part {part_id} has been settled already")
        member = Register(self.db).get(owed.member_id)
        age = member.age_on(on)
        if not as_credit and age is not None and age < self.rules.adult_age:
            raise DividendError(f"{member.number} is under {self.rules.adult_age} and cannot give a valid "
                                "receipt: give it as till credit instead")
        with self.db.atomic():
            self.db.execute(
                "insert into dividend_payments (part_id, at, on_date, how, amount_pence, by) values (?, ?, ?, ?, ?, ?)",
                [part_id, at, on.isoformat(), "credit" if as_credit else "cash", owed.amount_pence, by],
            )
            if as_credit:
                self.db.execute(
                    "insert into member_credit (member_id, at, amount_pence, kind, reference)"
                    " values (?, ?, ?, 'dividend', ?)", [owed.member_id, at, owed.amount_pence, f"dividend {owed.run}"])
        return owed

    def runs(self) -> list[dict]:
        return list(self.db.query("select * from dividends order by id"))

    def parts(self, run: int) -> list[dict]:
        return list(self.db.query("select * from dividend_parts where dividend_id = ? order by member_id", [run]))

    def received(self, member_id: int) -> list[dict]:
        """One member's dividend parts, oldest first, with the period each was declared for."""
        return list(self.db.query(
            "select d.period_from, d.period_to, p.part_pence, p.payout from dividend_parts p"
            " join dividends d on d.id = p.dividend_id where p.member_id = ? order by d.id", [member_id]))

    def earned(self, member_id: int) -> int:
        return self.db.execute(
            "select coalesce(sum(part_pence), 0) from dividend_parts where member_id = ?", [member_id]
        ).fetchone()[0]

    def credit_balance(self, member_id: int) -> int:
        return self.db.execute(
            "select coalesce(sum(amount_pence), 0) from member_credit where member_id = ?", [member_id]
        ).fetchone()[0]
