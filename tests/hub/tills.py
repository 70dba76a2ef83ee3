"""Real tills for the hub's tests: a demo shop in its own SQLite file (its own node), selling through
the same Till the screens use, registered at a hub as its own database role."""

from __future__ import annotations

import random
from pathlib import Path

from core.node import node_id
from hub.connect import init_hub, join_hub
from pos.basket import Basket
from pos.database import open_database
from pos.demo_shop import create_shop
from pos.tenders import Tender, TenderKind
from pos.till import Till

AT = "2026-11-01T09:00:00.000000Z"

#: The demo shop's PINs are set once (scrypt is slow on purpose) and copied for each till.
_TEMPLATE: dict[str, bytes] = {}


def shop_file(path: Path) -> Path:
    """A demo shop with stock on the shelves, in a file of its own with a node id of its own."""
    import sqlite3
    from contextlib import closing

    if "shop" not in _TEMPLATE:
        template = path.with_name(f"{path.name}.template")
        db = open_database(template)
        create_shop(db, at=AT)
        from inventory.stock import Stock

        stock = Stock(db)
        for level in stock.levels():
            stock.goods_in(level.product_id, 100_000, at=AT, reason="delivery")
        db.close()
        _TEMPLATE["shop"] = template.read_bytes()
        template.unlink()
    path.write_bytes(_TEMPLATE["shop"])
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("update node set id = lower(hex(randomblob(16)))")  # a till of its own, not a copy
    return path


def register(hub_url: str, path: Path, till_id: str, *, first: bool = False) -> str:
    """Register the till database at `path` at the hub (starting the hub if `first`): its connection string."""
    db = open_database(path)
    try:
        node = node_id(db)
    finally:
        db.close()
    if first:
        return init_hub(hub_url, society="Test Co-op", node=node, till_id=till_id)
    return join_hub(hub_url, node=node, till_id=till_id)


def sell(db, till_id: str, sales: int, seed: int, *, close: bool = False) -> Till:
    """`sales` cash sales (every seventh refunded straight away), as sell.py's till does; a Z after if `close`."""
    till = Till(db, till_id=till_id)
    rng = random.Random(seed)
    manager = till.volunteers.by_name("Sam Ortiz").id
    if till.current_session() is None:
        till.open_session(5000, operator_id=manager)
    codes = [(p.barcodes or p.codes)[0] for p in till.catalogue.all(active_only=True) if not p.pass_through]
    for n in range(sales):
        basket = Basket()
        for code in rng.choices(codes, k=rng.randint(1, 4)):
            till.scan(basket, code)
        sale = till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence + 100)],
                                  operator_id=manager)
        if n % 7 == 6:
            till.refund(sale.sale_number, operator_id=manager, reason="changed their mind")
    if close:
        till.close_session(5000, operator_id=manager)
    return till
