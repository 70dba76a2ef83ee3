"""Goods in as deliveries: one transaction per delivery, looked up later, undone only by a reversing one.

A delivery's lines each make a goods-in stock movement referenced "delivery N"; a cost given on a line
becomes the product's cost from that supplier, and a best-before date feeds the use-first list
(inventory/shelf.py). A delivery is never edited: a mistake is put right by `reverse`, a second delivery
whose lines take the same quantities off again (correction movements), so the books show both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, Field
from sqlite_utils import Database

from core.bounds import MAX_QUANTITY
from core.ids import next_id
from inventory.stock import Stock, StockError
from inventory.suppliers import Suppliers, check_cost


class Line(BaseModel):
    product_id: int
    quantity: int = Field(gt=-MAX_QUANTITY - 1, le=MAX_QUANTITY)
    cost_pence: int | None = None
    best_before: date | None = None


class Delivery(BaseModel):
    id: int
    supplier_id: int | None
    note: str
    at: str
    operator_id: int
    reverses: int | None
    reversed_by: int | None
    lines: list[Line]


class Deliveries:
    def __init__(self, db: Database):
        self.db = db
        self.stock = Stock(db)

    def receive(self, lines: Iterable[Line], *, at: str, by: int, supplier_id: int | None = None,
                note: str = "") -> int:
        """Record a delivery; every line or none (inside the caller's transaction). Returns its number."""
        lines = list(lines)
        if not lines:
            raise StockError("a delivery needs at least one line")
        suppliers = Suppliers(self.db)
        if supplier_id is not None:
            suppliers.get(supplier_id)
        for line in lines:
            if line.quantity <= 0:
                raise StockError("each delivered quantity must be a whole number above zero")
            if line.cost_pence is not None:
                check_cost(line.cost_pence)
        with self.db.atomic():
            delivery_id = self._header(supplier_id, note, at, by, None)
            for line in lines:
                movement = self.stock.goods_in(line.product_id, line.quantity, at=at, by=by,
                                               reference=f"delivery {delivery_id}")
                self._line(delivery_id, line, movement)
                if line.cost_pence is not None or supplier_id is not None:
                    suppliers.set_supply(line.product_id, at=at, by=by, supplier_id=supplier_id,
                                         cost_pence=line.cost_pence)
        return delivery_id

    def reverse(self, delivery_id: int, *, reason: str, at: str, by: int) -> int:
        """A second delivery taking the first's quantities off again; returns its number."""
        original = self.get(delivery_id)
        if not reason.strip():
            raise StockError("say why the delivery is being reversed")
        if original.reverses is not None:
            raise StockError(f"delivery {delivery_id} is itself a reversal; record the goods again instead")
        if original.reversed_by is not None:
            raise StockError(f"delivery {delivery_id} was already reversed by delivery {original.reversed_by}")
        with self.db.atomic():
            reversal = self._header(original.supplier_id, reason.strip(), at, by, delivery_id)
            for line in original.lines:
                movement = self.stock.correction(
                    line.product_id, -line.quantity, at=at, by=by, reference=f"delivery {reversal}",
                    reason=f"reverses delivery {delivery_id}: {reason.strip()}")
                self._line(reversal, line.model_copy(update={"quantity": -line.quantity}), movement)
        return reversal

    def get(self, delivery_id: int) -> Delivery:
        row = next(self.db.query("select * from deliveries where id = ?", [delivery_id]), None)
        if row is None:
            raise StockError(f"there is no delivery number {delivery_id}")
        return self._delivery(row)

    def recent(self, limit: int = 20) -> list[Delivery]:
        return [self._delivery(r) for r in self.db.query("select * from deliveries order by at desc, id desc limit ?",
                                                           [limit])]

    def _delivery(self, row: dict) -> Delivery:
        lines = [Line(product_id=r["product_id"], quantity=r["quantity"], cost_pence=r["cost_pence"],
                      best_before=r["best_before"])
                 for r in self.db.query("select * from delivery_lines where delivery_id = ? order by id", [row["id"]])]
        later = self.db.execute("select id from deliveries where reverses = ?", [row["id"]]).fetchone()
        return Delivery(id=row["id"], supplier_id=row["supplier_id"], note=row["note"] or "", at=row["at"],
                        operator_id=row["operator_id"], reverses=row["reverses"],
                        reversed_by=later[0] if later else None, lines=lines)

    def _header(self, supplier_id: int | None, note: str, at: str, by: int, reverses: int | None) -> int:
        cursor = self.db.execute(
            "insert into deliveries (id, supplier_id, note, at, operator_id, reverses) values (?, ?, ?, ?, ?, ?)",
            [next_id(self.db, "deliveries"), supplier_id, note or None, at, by, reverses])
        return cursor.lastrowid

    def _line(self, delivery_id: int, line: Line, movement_id: int) -> None:
        self.db.execute(
            "insert into delivery_lines (id, delivery_id, product_id, quantity, cost_pence, best_before, movement_id)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [next_id(self.db, "delivery_lines"), delivery_id, line.product_id, line.quantity, line.cost_pence,
             line.best_before.isoformat() if line.best_before else None, movement_id])
