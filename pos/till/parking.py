"""Baskets put aside: the one being rung up (kept through a crash) and those parked while a customer
fetches their purse."""

from __future__ import annotations

from core.database import transaction
from core.errors import TillError
from pos.basket import Basket, BasketError
from pos.basket_saver import BasketSaver, write_open_basket
from pos.till.models import ParkedBasket

#: A parked basket's name ("table 4", "Amira's") fits on its line of the list of parked baskets.
LABEL_MAX = 30


class Parking:
    """Part of Till (see pos.till): uses its db, till_id, now and seller."""

    _basket_saver: BasketSaver | None = None

    def keep_open_basket(self, basket: Basket, *, operator_id: int) -> None:
        """Save the basket being rung up (or forget it when empty) now, before returning (money
        just taken, signing out): a crash or power cut loses at most the last keystroke."""
        self.settle_open_basket()
        write_open_basket(self.db, self.till_id, None if basket.is_empty else basket.model_dump_json(),
                          operator_id, self.now())

    def keep_open_basket_soon(self, basket: Basket, *, operator_id: int) -> BaseException | None:
        """Save the basket being rung up from a thread of its own (pos.basket_saver), so the next
        scan never waits for the disk. Returns what went wrong with an earlier such save, if anything."""
        if self._basket_saver is None:
            path = self.db.execute("pragma database_list").fetchone()[2]
            if not path:  # a database in memory: no second connection can see it
                self.keep_open_basket(basket, operator_id=operator_id)
                return None
            self._basket_saver = BasketSaver(path, self.till_id)
        return self._basket_saver.keep(None if basket.is_empty else basket.model_dump_json(),
                                       operator_id=operator_id, at=self.now())

    def settle_open_basket(self) -> None:
        """Before anything else writes or forgets the open basket: drop a save still waiting and
        let one being written finish, so no older basket can land after it."""
        if self._basket_saver is not None:
            self._basket_saver.cancel()

    def open_basket(self) -> Basket | None:
        """The basket that was being rung up when the till stopped, if any."""
        if self._basket_saver is not None:
            self._basket_saver.flush()
        row = self.db.execute("select basket_json from open_baskets where till_id = ?", [self.till_id]).fetchone()
        if row is None:
            return None
        try:
            return Basket.model_validate_json(row[0])
        except ValueError:  # written by another version and unreadable: better lost than a crash
            return None

    def _forget_open_basket(self) -> None:
        # In the transaction that completes, voids or parks it: the two can never disagree. Whoever
        # calls this called settle_open_basket() before the transaction began.
        self.db.execute("delete from open_baskets where till_id = ?", [self.till_id])

    def park(self, basket: Basket, *, operator_id: int, label: str = "") -> int:
        """Put the basket aside (the customer went to fetch their purse) and start a new one,
        with a name to find it by if the volunteer gave one ("table 4", "Amira's")."""
        if basket.is_empty:
            raise BasketError("there is nothing to park")
        label = " ".join(label.split())
        if len(label) > LABEL_MAX:
            raise TillError(f"a parked basket's name is at most {LABEL_MAX} characters")
        self.settle_open_basket()
        self.seller(operator_id)
        with transaction(self.db):
            parked_id = self.db.execute(
                "insert into parked_baskets (till_id, parked_at, operator_id, label, basket_json)"
                " values (?, ?, ?, ?, ?)",
                [self.till_id, self.now(), operator_id, label or None, basket.model_dump_json()],
            ).lastrowid
            self._forget_open_basket()
        basket.clear()
        return parked_id

    def parked(self) -> list[ParkedBasket]:
        return [
            ParkedBasket(id=r[0], parked_at=r[1], operator_id=r[2], label=r[3],
                         basket=Basket.model_validate_json(r[4]))
            for r in self.db.execute(
                "select id, parked_at, operator_id, label, basket_json from parked_baskets"
                " where till_id = ? and resumed_at is null order by id",
                [self.till_id],
            )
        ]

    def resume(self, parked_id: int) -> Basket:
        with transaction(self.db):
            row = self.db.execute(
                "select basket_json from parked_baskets where id = ? and till_id = ? and resumed_at is null",
                [parked_id, self.till_id],
            ).fetchone()
            if row is None:
                raise TillError("that parked basket has already been resumed")
            self.db.execute("update parked_baskets set resumed_at = ? where id = ?", [self.now(), parked_id])
        return Basket.model_validate_json(row[0])
