"""The stock ledger: every movement is a row; stock on hand is their sum, never typed in.

Stock is the society's, across its tills (one stockroom): at a till in a hub, on hand is its own ledger
plus what the other tills' movements came to when the office last counted them (`hub_balances`, kind
"stock", kept by the hub's pull). That table is read, not the hub's code, so this package imports only core;
a till with no hub has nothing in it, and reads its own ledger as before. Every figure of stock on hand reads `on_hand_table`
or `Stock.on_hand`, so the reorder list, a stocktake's expected and the screens cannot disagree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel
from sqlite_utils import Database

from core.bounds import MAX_QUANTITY


class MovementKind(StrEnum):
    goods_in = "goods_in"
    sale = "sale"
    refund = "refund"
    wastage = "wastage"
    stocktake = "stocktake"
    correction = "correction"


class StockError(ValueError):
    """A stock movement that cannot be recorded; the message says why."""


class StockLevel(BaseModel):
    product_id: int
    name: str
    on_hand: int
    reorder_level: int | None

    @property
    def needs_reorder(self) -> bool:
        return self.reorder_level is not None and self.on_hand <= self.reorder_level


_INSERT = (
    "insert into stock_movements (product_id, kind, quantity, counted, reason, reference, created_at, operator_id,"
    " sale_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


_OWN = "coalesce((select sum(quantity) from stock_movements where product_id = {id}), 0)"
_ELSEWHERE = "coalesce((select elsewhere from hub_balances where kind = 'stock' and ref_id = {id}), 0)"


def _has_elsewhere(db: Database) -> bool:
    try:
        db.execute("select 1 from hub_balances limit 0")
    except sqlite3.OperationalError:  # made without the hub's tables (a test's bare ledger, say)
        return False
    return True


def _on_hand_of(db: Database, product: str) -> str:
    """SQL for the stock on hand of the product whose id is the SQL `product`."""
    own = _OWN.format(id=product)
    return f"{own} + {_ELSEWHERE.format(id=product)}" if _has_elsewhere(db) else own


def on_hand_table(db: Database) -> str:
    """A table expression of (product_id, on_hand) for every product, to join as the ledger's sum was."""
    return f"(select p.id as product_id, {_on_hand_of(db, 'p.id')} as on_hand from products p)"


class Stock:
    """Goods in, wastage, stocktakes and corrections; sales and refunds come from the till."""

    def __init__(self, db: Database):
        self.db = db

    def on_hand(self, product_id: int) -> int:
        return self.db.execute(f"select {_on_hand_of(self.db, ':product')}", {"product": product_id}).fetchone()[0]

    def levels(self, *, only_tracked: bool = True) -> list[StockLevel]:
        where = "where p.stock_tracked = 1 and p.active = 1" if only_tracked else ""
        rows = self.db.execute(
            f"""select p.id, p.name, coalesce(m.on_hand, 0), p.reorder_level
                from products p
                left join {on_hand_table(self.db)} m on m.product_id = p.id
                {where} order by p.name"""
        ).fetchall()
        return [
            StockLevel(product_id=r[0], name=r[1], on_hand=r[2], reorder_level=r[3]) for r in rows
        ]

    def _tracked(self, product_id: int) -> None:
        row = self.db.execute(
            "select stock_tracked from products where id = ?", [product_id]
        ).fetchone()
        if row is None:
            raise StockError(f"There is no product number {product_id}")
        if not row[0]:
            raise StockError("that product is made to order, so its stock is not counted")

    def goods_in(self, product_id: int, quantity: int, *, at: str, reason: str = "", by: int | None = None,
                 reference: str | None = None) -> int:
        """`by`: the volunteer who recorded it, here and below (empty only where no one signed in).
        Returns the movement's id; `reference` names what it belongs to ("delivery 12")."""
        return self._record(product_id, MovementKind.goods_in, _positive(quantity), at=at, reason=reason, by=by,
                            reference=reference)

    def wastage(self, product_id: int, quantity: int, *, reason: str, at: str, by: int | None = None) -> int:
        if not reason.strip():
            raise StockError("say why stock was wasted (out of date, broken, spilt …)")
        return self._record(product_id, MovementKind.wastage, -_positive(quantity), at=at, reason=reason, by=by)

    def correction(self, product_id: int, quantity: int, *, reason: str, at: str, by: int | None = None,
                   reference: str | None = None) -> int:
        if not reason.strip():
            raise StockError("a correction needs a reason")
        if quantity == 0:
            raise StockError("a correction of nothing changes nothing")
        _bounded(abs(quantity) if isinstance(quantity, int) else quantity)
        return self._record(product_id, MovementKind.correction, quantity, at=at, reason=reason, by=by,
                            reference=reference)

    def stocktake(self, product_id: int, counted: int, *, at: str, by: int | None = None) -> int:
        """Record a count; the movement is the difference from the ledger. Returns that difference."""
        if isinstance(counted, int) and not isinstance(counted, bool) and counted < 0:
            raise StockError("a count cannot be below zero")
        _bounded(counted)
        with self.db.atomic():
            self._tracked(product_id)
            delta = counted - self.on_hand(product_id)
            self.db.execute(
                _INSERT, [product_id, MovementKind.stocktake.value, delta, counted, None, None, at, by, None]
            )
        return delta

    def record_many(self, rows: Iterable[tuple[int, MovementKind, int, str | None, str]], *, at: str,
                    sale_id: int | None = None, by: int | None = None) -> None:
        """Movements written by another package's transaction (the till's sales and refunds).

        Each row is (product_id, kind, signed quantity, reason, reference). Untracked
        products are the caller's to skip; this runs inside the caller's transaction.
        `sale_id` links them to their sale, whose journal record then covers them (core/journal.py);
        `by` is who served it.
        """
        self.db.conn.executemany(
            _INSERT, [(p, k.value, q, None, reason, ref, at, by, sale_id) for p, k, q, reason, ref in rows]
        )

    def movements(self, product_id: int) -> list[dict]:
        return list(self.db.query(
            "select * from stock_movements where product_id = ? order by id", [product_id]
        ))

    def _record(self, product_id: int, kind: MovementKind, quantity: int, *, at: str, reason: str,
                by: int | None, reference: str | None = None) -> int:
        with self.db.atomic():
            self._tracked(product_id)
            cursor = self.db.execute(
                _INSERT, [product_id, kind.value, quantity, None, reason or None, reference, at, by, None])
        return cursor.lastrowid


def _positive(quantity: int) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise StockError("the quantity must be a whole number above zero")
    return _bounded(quantity)


def _bounded(quantity: int) -> int:
    """Refused above core.bounds' ceiling: one absurd row would make every later sum of the ledger overflow."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise StockError("the quantity must be a whole number")
    if quantity > MAX_QUANTITY:
        raise StockError(f"{quantity:,} is more than the till takes at once ({MAX_QUANTITY:,}); "
                         "check the number, or record it in parts")
    return quantity
