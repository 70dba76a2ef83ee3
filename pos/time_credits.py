"""Time credits: earned by the hour given, spent at the till on set items, one credit an item.

A credit is not money. The sale is still takings at its full price; the credits pay for
it as a tender of their own (like a voucher the society honours), shown apart in X/Z.
The balance is worked out from the shifts (earned) and a ledger of what was spent or
given back by a refund, so it can never be edited into being, and it never goes below zero.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from pos.errors import TillError
from pos.shifts import Shifts

#: Before any till existed; the start of "all time" for a volunteer's credits.
_BEGINNING = date(2000, 1, 1)


class CreditError(TillError):
    """Credits cannot pay for this; nothing was recorded."""


def unit_prices(lines, categories: frozenset[str]) -> list[int]:
    """What each single item credits could pay for costs (after its discount), dearest first.

    Items paid forward are for someone else and claimed items are free, so neither counts.
    `lines` are sale lines (category, quantity, line total, pay_forward, claimed).
    """
    prices: list[int] = []
    for line in lines:
        if line.category not in categories or line.pay_forward or line.claimed or line.quantity <= 0:
            continue
        total, quantity = line.line_total_pence, line.quantity
        # Spread the line's total over its units so the parts add up to it exactly.
        prices += [total * (i + 1) // quantity - total * i // quantity for i in range(quantity)]
    return sorted(prices, reverse=True)


class TimeCredits:
    def __init__(self, db: Database, shifts: Shifts, *, per_hour: int = 1,
                 categories: frozenset[str] = frozenset()) -> None:
        self.db = db
        self.shifts = shifts
        self.per_hour = per_hour
        #: The categories whose items credits pay for; none means the society does not take them.
        self.categories = frozenset(categories)

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
        return self.earned(volunteer_id, today) - self.spent(volunteer_id)

    def value(self, lines, credits: int) -> int:
        """What `credits` credits pay for in these lines: the dearest items they may cover."""
        prices = unit_prices(lines, self.categories)
        if credits > len(prices):
            raise CreditError(
                f"time credits pay for one item each from {', '.join(sorted(self.categories))}; "
                f"this sale has {len(prices)} such item{'s' if len(prices) != 1 else ''}, not {credits}"
            )
        return sum(prices[:credits])

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
        self._insert(sale_id, volunteer_id, credits, amount_pence, at)

    def record_refund(self, *, sale_id: int, original_sale_id: int, amount_pence: int, at: str) -> None:
        """A refund of a sale paid with credits gives credits back, in proportion to the
        credit-paid money refunded, so refunding all of it gives all of them back."""
        row = self.db.execute(
            "select volunteer_id, credits, amount_pence from time_credit_spends where sale_id = ?",
            [original_sale_id],
        ).fetchone()
        if row is None:
            raise CreditError("that sale was not paid with time credits, so none can go back")
        volunteer_id, credits, paid = row
        back_credits, back_pence = self.db.execute(
            "select coalesce(-sum(t.credits), 0), coalesce(-sum(t.amount_pence), 0)"
            " from time_credit_spends t join sales s on s.id = t.sale_id where s.refund_of = ?",
            [original_sale_id],
        ).fetchone()
        if back_pence + amount_pence > paid:
            raise CreditError("more cannot go back to time credits than they paid")
        returned = credits * (back_pence + amount_pence) // paid - back_credits
        self._insert(sale_id, volunteer_id, -returned, -amount_pence, at)

    def _insert(self, sale_id: int, volunteer_id: int, credits: int, amount_pence: int, at: str) -> None:
        self.db.execute(
            "insert into time_credit_spends (sale_id, volunteer_id, credits, amount_pence, at)"
            " values (?, ?, ?, ?, ?)",
            [sale_id, volunteer_id, credits, amount_pence, at],
        )
