"""The shop floor's figures on the three-year database (benchmarks/run.py calls `bench`):

- `stocktake_save_ms`: finishing a stocktake of 500 counted products (their movements, their values at
  cost, the stocktake closed, and the journal sealing it all in one transaction), against
  `stocktake_save_sql_ms`, the same 500 movements inserted and committed with bare SQL.
- `reorder_list_ms`: the reorder list for every supplier, against `reorder_list_sql_ms`, the one grouped
  query of the last four weeks' sales it cannot do without.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from core.database import transaction
from inventory.products import Catalogue, ProductDetails
from inventory.shelf import reorder_list
from inventory.stocktakes import Stocktakes
from inventory.suppliers import SupplierDetails, Suppliers
from pos.database import open_database

LINES = 500
AT = "2026-10-31T18:00:00.000000Z"


def _shop(source: Path, work: Path):
    """A copy of the three-year shop with at least LINES products on the shelves, one supplier, a cost each."""
    path = work / "shop.db"
    shutil.copy(source, path)
    db = open_database(path)
    lead = db.execute("select id from volunteers where instr(role, 'manager') order by id limit 1").fetchone()[0]
    catalogue, suppliers = Catalogue(db), Suppliers(db)
    with transaction(db):
        have = db.execute("select count(*) from products where stock_tracked = 1 and active = 1").fetchone()[0]
        for n in range(max(0, LINES - have)):
            catalogue.add(ProductDetails(name=f"Bench item {n}", category="Bench", reorder_level=5), price_pence=100,
                          at=AT)
        supplier = suppliers.add(SupplierDetails(name="Bench Wholesale", lead_days=3), at=AT, by=lead)
        for (product_id,) in db.execute("select id from products where stock_tracked = 1 and active = 1").fetchall():
            suppliers.set_supply(product_id, supplier_id=supplier.id, cost_pence=50, at=AT, by=lead)
    return db, path, lead


def _median_ms(run: Callable[[], float], rounds: int) -> float:
    return statistics.median(run() for _ in range(rounds)) * 1000


def bench(source: Path, rounds: int, *, say: Callable[[str, object], None], until: date) -> None:
    work = Path(tempfile.mkdtemp(prefix="shop-floor-bench-"))
    try:
        db, path, lead = _shop(source, work)
        products = [row[0] for row in db.execute(
            "select id from products where stock_tracked = 1 and active = 1 order by id limit ?", [LINES])]
        takes = Stocktakes(db)
        bare = sqlite3.connect(path, isolation_level=None)

        def ours() -> float:
            with transaction(db):
                take = takes.start(category=None, at=AT, by=lead)
                for i, product_id in enumerate(products):
                    takes.count(take.id, product_id, i % 40, at=AT, by=lead)
            started = time.perf_counter()
            with transaction(db):
                takes.finish(take.id, at=AT, by=lead)
            return time.perf_counter() - started

        def baseline() -> float:
            rows = [(p, "stocktake", 1, 1, "bench", AT, lead) for p in products]
            started = time.perf_counter()
            bare.execute("begin immediate")
            bare.executemany("insert into stock_movements (product_id, kind, quantity, counted, reference, created_at,"
                             " operator_id) values (?, ?, ?, ?, ?, ?, ?)", rows)
            bare.execute("commit")
            return time.perf_counter() - started

        few = max(3, rounds // 40)  # each round counts 500 products first: a few rounds are enough
        ours_ms, base_ms = _median_ms(ours, few), _median_ms(baseline, few)
        say("stocktake_save_ms", f"{ours_ms:.1f}")
        say("stocktake_save_sql_ms", f"{base_ms:.1f}")
        say("stocktake_save_ratio", f"{ours_ms / base_ms:.1f}")

        since = (until - timedelta(days=28)).isoformat()

        def listed() -> float:
            started = time.perf_counter()
            reorder_list(db, today=until)
            return time.perf_counter() - started

        def grouped() -> float:
            started = time.perf_counter()
            bare.execute("select product_id, sum(quantity) from stock_movements where kind in ('sale', 'refund')"
                         " and created_at >= ? group by product_id", [since]).fetchall()
            return time.perf_counter() - started

        for _ in range(3):
            listed(), grouped()
        ours_ms, base_ms = _median_ms(listed, rounds), _median_ms(grouped, rounds)
        say("reorder_list_ms", f"{ours_ms:.2f}")
        say("reorder_list_sql_ms", f"{base_ms:.2f}")
        say("reorder_list_ratio", f"{ours_ms / base_ms:.2f}")
        bare.close()
        db.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
