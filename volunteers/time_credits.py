"""Time credits: earned by the hour given, spent at the till on set items, one credit an item.

A credit is not money. The sale is still takings at its full price; the credits pay for
it as a tender of their own (like a voucher the society honours), shown apart in X/Z.
The balance is worked out from the shifts (earned) and a ledger of what was spent or
given back by a refund, so it can never be edited into being, and it never goes below zero.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlite_utils import Database

from core.errors import TillError
from volunteers.shifts import Shifts

#: Before any till existed; the start of "all time" for a volunteer's credits.
_BEGINNING = date(2000, 1, 1)


class CreditError(TillError):
    """Credits cannot pay for this; nothing was recorded."""


def covered(lines, categories: frozenset[str], credits: int) -> dict[int, int]:
    """Which units `credits` credits pay for: line number → how many of its units, dearest
    lines first, the first units of each line.

    One credit pays for one unit from the set categories. Items paid forward are for someone
    else, claimed and free ones cost nothing, so none of those count. A refund gives back the
    first units of a line first, so the credits for exactly the refunded units go back.
    `lines` are sale lines (line_no, category, quantity, line_total_pence, pay_forward, claimed).
    """
    eligible = [line for line in lines if _payable(line, categories)]
    units = sum(line.quantity for line in eligible)
    if credits > units:
        raise CreditError(
            f"time credits pay for one item each from {', '.join(sorted(categories)) or 'no category'}; "
            f"this sale has {units} such item{'s' if units != 1 else ''}, not {credits}"
        )
    cover: dict[int, int] = {}
    left = credits
    for line in sorted(eligible, key=lambda l: (-l.line_total_pence / l.quantity, l.line_no)):
        if left == 0:
            break
        take = min(left, line.quantity)
        cover[line.line_no] = take
        left -= take
    return cover


def _payable(line, categories: frozenset[str]) -> bool:
    return (line.category in categories and not line.pay_forward and not line.claimed
            and line.quantity > 0 and line.line_total_pence > 0)


def eligible_units(lines, categories: frozenset[str]) -> int:
    return sum(line.quantity for line in lines if _payable(line, categories))


def cover_value(lines, cover: dict[int, int]) -> int:
    """What the covered units cost: for each line, its first units' share of the line total."""
    return sum(line.line_total_pence * cover.get(line.line_no, 0) // line.quantity for line in lines)


class TimeCredits:
    def __init__(self, db: Database, shifts: Shifts, *, per_hour: int = 1,
                 categories: frozenset[str] = frozenset()) -> None:
        self.db = db
        self.shifts = shifts
        self.per_hour = per_hour
        #: The categories whose items credits pay for; none means the society does not take them.
        self.categories = frozenset(categories)
        #: Credits the volunteer earned less spent at other tills, as the office last counted: a till
        #: that is part of a hub says (pos.till); alone, none.
        self.elsewhere: Callable[[int], int] = lambda volunteer_id: 0

    @property
    def accepted(self) -> bool:
        return bool(self.categories) and self.per_hour > 0

    def earned(self, volunteer_id: int, today: date) -> int:
        rows = self.shifts.hours(_BEGINNING, today, credits_per_hour=self.per_hour, volunteer_id=volunteer_id)
        return sum(r.credits for r in rows)

    def spent(self, volunteer_id: int) -> int:
        """Credits spent, less those a refund gave back."""
        return self.db.execute(
            "select coalesce(sum(credits), 0) from time_credit_spends where volunteer_id = ?", [volunteer_id]
        ).fetchone()[0]

    def balance(self, volunteer_id: int, today: date) -> int:
        """What this till knows the volunteer has: earned less spent here, and elsewhere as last counted."""
        return self.earned(volunteer_id, today) - self.spent(volunteer_id) + self.elsewhere(volunteer_id)

    def value(self, lines, credits: int) -> int:
        """What `credits` credits pay for in these lines: the dearest items they may cover."""
        return cover_value(lines, covered(lines, self.categories, credits))

    def record_spend(self, *, sale_id: int, volunteer_id: int, credits: int, amount_pence: int,
                     lines, today: date, at: str) -> None:
        """Inside the sale's transaction: check the volunteer has the credits and the sale has
        the items, then take the credits."""
        if not self.accepted:
            raise CreditError("this society does not take time credits at the till")
        if credits < 1:
            raise CreditError("time credits are spent one or more at a time")
        if amount_pence != self.value(lines, credits):
            raise CreditError("the time credit payment does not match the items it pays for")
        balance = self.balance(volunteer_id, today)
        if credits > balance:
            raise CreditError(f"that volunteer has {balance} time credit{'s' if balance != 1 else ''}, "
                              f"not {credits}")
        cover = covered(lines, self.categories, credits)
        self._insert(sale_id, volunteer_id, credits, amount_pence, at, json.dumps(cover))

    def spend_on(self, sale_id: int) -> tuple[int, int, int, dict[int, int]] | None:
        """(volunteer id, credits, pence, line number → units covered) spent on a sale, or None."""
        row = self.db.execute(
            "select volunteer_id, credits, amount_pence, covered from time_credit_spends where sale_id = ?",
            [sale_id]).fetchone()
        if row is None:
            return None
        return row[0], row[1], row[2], {int(k): v for k, v in json.loads(row[3] or "{}").items()}

    def refund_share(self, original, refunded: dict[int, int], wanted: dict[int, int]) -> tuple[int, int]:
        """For a refund of `wanted` (line number → units) of a sale paid partly with credits, with
        `refunded` (line number → units) refunded before: (credits back, pence of the refund that
        goes back as credits). The first units of a line are the ones credits paid for and the
        first to be refunded, so every credit comes back with exactly the units it paid for."""
        spend = self.spend_on(original.id)
        if spend is None:
            return 0, 0
        cover = spend[3]
        credits = pence = 0
        for line in original.lines:
            c = cover.get(line.line_no, 0)
            if not c or line.line_no not in wanted:
                continue
            done, more = refunded.get(line.line_no, 0), wanted[line.line_no]
            credits += min(c, done + more) - min(c, done)
            pence += (line.line_total_pence * min(c, done + more) // line.quantity
                      - line.line_total_pence * min(c, done) // line.quantity)
        return credits, pence

    def record_refund(self, *, sale_id: int, original_sale_id: int, credits: int, amount_pence: int,
                      at: str) -> None:
        """Give credits back with a refund (inside its transaction), never more than were spent."""
        spend = self.spend_on(original_sale_id)
        if spend is None:
            raise CreditError("that sale was not paid with time credits, so none can go back")
        volunteer_id, spent_credits, spent_pence, _ = spend
        back_credits, back_pence = self.db.execute(
            "select coalesce(-sum(t.credits), 0), coalesce(-sum(t.amount_pence), 0)"
            " from time_credit_spends t join sales s on s.id = t.sale_id where s.refund_of = ?",
            [original_sale_id],
        ).fetchone()
        if back_credits + credits > spent_credits or back_pence + amount_pence > spent_pence:
            raise CreditError("more cannot go back to time credits than they paid")
        self._insert(sale_id, volunteer_id, -credits, -amount_pence, at)

    def _insert(self, sale_id: int, volunteer_id: int, credits: int, amount_pence: int, at: str,
                cover: str | None = None) -> None:
        self.db.execute(
            "insert into time_credit_spends (sale_id, volunteer_id, credits, amount_pence, at, covered)"
            " values (?, ?, ?, ?, ?, ?)",
            [sale_id, volunteer_id, credits, amount_pence, at, cover],
        )

