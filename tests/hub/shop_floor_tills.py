"""A small society for the shop floor's hub tests: an office with a manager and a few shop products, tills
that joined it, and what `till office pull` does (the copy takes every till's records, the balances stock
included go up to the hub). Small on purpose: the state machine makes one for every example."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from core.node import node_id
from hub import balances, office
from hub.connect import join_hub
from inventory.stock import Stock
from pos.consolidated import open_copy
from pos.database import open_database
from pos.office_balances import count
from tests.conftest import make_products
from tests.hub.shared_tills import AT, Node
from tests.hub.tills import register
from volunteers.people import Role, Volunteers

ZONE = ZoneInfo("Europe/London")
DAY = date(2026, 11, 2)


def small_society(folder: Path, hub_url: str, tills: int = 1) -> list[Node]:
    """The office (node 1) and `tills` tills, each having pulled the catalogue and the manager."""
    path = folder / "office.db"
    db = open_database(path)
    Volunteers(db).add("Lee Lead", Role.manager, at=AT)
    make_products(db)
    db.close()
    nodes = [Node("office", path, register(hub_url, path, "office", first=True))]
    nodes[0].sync()
    for n in range(2, tills + 2):
        path = folder / f"till-{n}.db"
        db = open_database(path)
        conninfo = join_hub(hub_url, node=node_id(db), till_id=f"till-{n}")
        db.close()
        nodes.append(Node(f"till-{n}", path, conninfo))
        nodes[-1].sync()
    return nodes


def office_counts(hub_url: str, office_node: Node, folder: Path) -> list[balances.Flag]:
    """What `till office pull` does: every till's records into the copy, the count up to the hub; the flags."""
    copy = open_copy(folder / "till-consolidated.db")
    try:
        with psycopg.connect(hub_url, autocommit=True) as conn:
            office.pull(conn, copy, own=str(office_node.path))
            counted = count(copy, zone=ZONE, per_hour=1, today=DAY)
            balances.publish(conn, copy, counted)
        return balances.flagged(copy, counted)
    finally:
        copy.close()


def round_trip(hub_url: str, nodes: list[Node], folder: Path) -> list[balances.Flag]:
    """A round: every till pushes, the office pulls and counts, every till pulls the count."""
    for node in nodes:
        node.sync()
    flags = office_counts(hub_url, nodes[0], folder)
    for node in nodes:
        node.sync()
    return flags


def on_hand(node: Node, product_id: int) -> int:
    db = node.db()
    try:
        return Stock(db).on_hand(product_id)
    finally:
        db.close()


def at_office(folder: Path, product_id: int) -> int:
    """Stock on hand in the office's consolidated copy: every till's ledger, nothing kept from a count."""
    copy = open_copy(folder / "till-consolidated.db", create=False)
    try:
        return Stock(copy).on_hand(product_id)
    finally:
        copy.close()
