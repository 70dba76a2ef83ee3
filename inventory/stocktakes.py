"""Stocktakes of the whole shop or one category, counted over as long as it takes, and wastage at its value.

Each count is saved as it is made, with what the ledger said at that moment (`expected`), so a stocktake
interrupted (the till closed, the volunteer went home) is carried on by whoever opens it next. Sales go on
during a stocktake: the difference for a product is taken at its count (counted − expected then), and
finishing writes that difference as the product's stocktake movement. A sale rung up after the shelf was
counted therefore still comes off the stock, and one rung up before was already in `expected`. Counting a
product again replaces its count. Products of the stocktake's scope that nobody counted are left as they
are, and the finish says how many there were.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlite_utils import Database

from core.ids import next_id
from inventory.stock import MovementKind, Stock, StockError, _bounded, on_hand_table


class CountLine(BaseModel):
    product_id: int
    name: str
    expected: int
    counted: int | None
    cost_pence: int | None

    @property
    def variance(self) -> int:
        return 0 if self.counted is None else self.counted - self.expected

    @property
    def variance_pence(self) -> int:
        return self.variance * (self.cost_pence or 0)


class Stocktake(BaseModel):
    id: int
    category: str | None
    started_at: str
    finished_at: str | None
    variance_pence: int | None

    @property
    def scope(self) -> str:
        return "the whole shop" if self.category is None else self.category


class Finished(BaseModel):
    stocktake_id: int
    counted: int
    uncounted: int
    variance_units: int
    variance_pence: int


def unit_cost(db: Database, product_id: int) -> int:
    row = db.execute("select cost_pence from product_supply where product_id = ?", [product_id]).fetchone()
    return (row[0] or 0) if row else 0


def value_movement(db: Database, movement_id: int, value_pence: int) -> None:
    db.execute("insert into stock_values (movement_id, value_pence) values (?, ?)", [movement_id, value_pence])


def waste(db: Database, product_id: int, quantity: int, *, reason: str, at: str, by: int) -> int:
    """Wastage with the value lost at cost (0 when no cost is known); returns that value in pence."""
    with db.atomic():
        movement = Stock(db).wastage(product_id, quantity, reason=reason, at=at, by=by)
        value = quantity * unit_cost(db, product_id)
        value_movement(db, movement, -value)
    return value


class Stocktakes:
    def __init__(self, db: Database):
        self.db = db
        self.stock = Stock(db)

    def start(self, *, category: str | None, at: str, by: int) -> Stocktake:
        """A new stocktake; refused while one is open (carry that one on, or finish it)."""
        current = self.open()
        if current is not None:
            raise StockError(f"stocktake {current.id} of {current.scope} is still open: carry it on or finish it")
        category = (category or "").strip() or None
        if category is not None and not self.db.execute(
                "select 1 from products where category = ? and stock_tracked = 1 and active = 1",
                [category]).fetchone():
            raise StockError(f"no product on sale counts its stock in the category {category}")
        with self.db.atomic():
            cursor = self.db.execute("insert into stocktakes (id, category, started_at, started_by) values (?, ?, ?, ?)",
                                     [next_id(self.db, "stocktakes"), category, at, by])
        return self.get(cursor.lastrowid)

    def open(self) -> Stocktake | None:
        row = next(self.db.query("select * from stocktakes where finished_at is null order by id limit 1"), None)
        return None if row is None else Stocktake(**{k: row[k] for k in Stocktake.model_fields})

    def get(self, stocktake_id: int) -> Stocktake:
        row = next(self.db.query("select * from stocktakes where id = ?", [stocktake_id]), None)
        if row is None:
            raise StockError(f"there is no stocktake number {stocktake_id}")
        return Stocktake(**{k: row[k] for k in Stocktake.model_fields})

    def count(self, stocktake_id: int, product_id: int, counted: int, *, at: str, by: int) -> CountLine:
        """Save one count (replacing an earlier count of the product) with the ledger's figure now."""
        take = self._open(stocktake_id)
        if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
            raise StockError("a count is a whole number, not below zero")
        _bounded(counted)
        row = self.db.execute("select category, stock_tracked, name from products where id = ?", [product_id]).fetchone()
        if row is None:
            raise StockError(f"There is no product number {product_id}")
        if not row[1]:
            raise StockError("that product is made to order, so its stock is not counted")
        if take.category is not None and row[0] != take.category:
            raise StockError(f"{row[2]} is in {row[0]}, not in this stocktake's {take.category}")
        expected = self.stock.on_hand(product_id)
        with self.db.atomic():
            self.db.execute(
                "insert into stocktake_counts (id, stocktake_id, product_id, counted, expected, counted_at, counted_by)"
                " values (?, ?, ?, ?, ?, ?, ?) on conflict (stocktake_id, product_id) do update set"
                " counted = excluded.counted, expected = excluded.expected, counted_at = excluded.counted_at,"
                " counted_by = excluded.counted_by",
                [next_id(self.db, "stocktake_counts"), stocktake_id, product_id, counted, expected, at, by])
        cost = self.db.execute("select cost_pence from product_supply where product_id = ?", [product_id]).fetchone()
        return CountLine(product_id=product_id, name=row[2], expected=expected, counted=counted,
                         cost_pence=cost[0] if cost else None)

    def lines(self, stocktake_id: int) -> list[CountLine]:
        """Every product in the scope: expected (at its count, or now if not yet counted) against counted."""
        take = self.get(stocktake_id)
        rows = self.db.execute(
            f"""select p.id, p.name, coalesce(c.expected, m.on_hand, 0), c.counted, s.cost_pence
               from products p
               left join stocktake_counts c on c.product_id = p.id and c.stocktake_id = ?
               left join {on_hand_table(self.db)} m on m.product_id = p.id
               left join product_supply s on s.product_id = p.id
               where p.stock_tracked = 1 and (p.active = 1 or c.counted is not null)
                 and (? is null or p.category = ?)
               order by p.name, p.id""", [stocktake_id, take.category, take.category]).fetchall()
        return [CountLine(product_id=r[0], name=r[1], expected=r[2], counted=r[3], cost_pence=r[4]) for r in rows]

    def finish(self, stocktake_id: int, *, at: str, by: int) -> Finished:
        """Write each counted product's difference as a stocktake movement, valued at cost; one transaction."""
        self._open(stocktake_id)
        lines = self.lines(stocktake_id)
        counted = [line for line in lines if line.counted is not None]
        if not counted:
            raise StockError("nothing has been counted yet: count something, or carry on later")
        reference = f"stocktake {stocktake_id}"
        rows = [(line.product_id, MovementKind.stocktake.value, line.variance, line.counted, reference, at, by)
                for line in counted]
        with self.db.atomic():
            first = self.db.execute("select coalesce(max(id), 0) from stock_movements").fetchone()[0]
            self.db.conn.executemany(
                "insert into stock_movements (product_id, kind, quantity, counted, reference, created_at, operator_id)"
                " values (?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.conn.executemany(
                "insert into stock_values (movement_id, value_pence) select id, ? from stock_movements"
                " where id > ? and reference = ? and product_id = ?",
                [(line.variance_pence, first, reference, line.product_id) for line in counted])
            total = sum(line.variance_pence for line in counted)
            self.db.execute("update stocktakes set finished_at = ?, finished_by = ?, variance_pence = ? where id = ?",
                            [at, by, total, stocktake_id])
        return Finished(stocktake_id=stocktake_id, counted=len(counted), uncounted=len(lines) - len(counted),
                        variance_units=sum(line.variance for line in counted), variance_pence=total)

    def _open(self, stocktake_id: int) -> Stocktake:
        take = self.get(stocktake_id)
        if take.finished_at is not None:
            raise StockError(f"stocktake {stocktake_id} was finished at {take.finished_at[:16].replace('T', ' ')}")
        return take
