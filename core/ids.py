"""Ids of the records a society shares between its tills (products, prices, members, volunteers, the
rota…), made so that the same row has the same id at every till and in the office.

A database joined to a hub is given a small node number k by the hub (1 for the one that started it);
it makes new ids for shared records in its own block, k × 1,000,000,000 + n, so two tills apart can
never make the same id. Node 1 keeps the ids it had before the hub and goes on from them (its block is
everything below 2,000,000,000). A database with no hub has no number and lets SQLite choose, as before.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

BLOCK = 1_000_000_000


#: The office's node number at its hub: the database that started the hub (it keeps the ids it had).
OFFICE = 1


def node_number(db: Database) -> int | None:
    """This database's number at its hub, or None (no hub, or an older database)."""
    try:
        row = db.execute("select number from node").fetchone()
    except sqlite3.OperationalError:  # a database from before node numbers has no such column
        return None
    return row[0] if row else None


def block(number: int) -> tuple[int, int]:
    """The ids node `number` makes: low (inclusive) to high (exclusive)."""
    return (0 if number == OFFICE else number * BLOCK), (number + 1) * BLOCK


def next_id(db: Database, table: str, column: str = "id") -> int | None:
    """The id for a new shared row of `table`: the next in this node's block, or None for SQLite to
    choose (no hub). Call it inside the write transaction that inserts the row."""
    number = node_number(db)
    if number is None:
        return None
    low, high = block(number)
    found = db.execute(f"select max({column}) from {table} where {column} >= ? and {column} < ?",
                       [low, high]).fetchone()[0]
    return (found or low) + 1


def member_number(db: Database, member_id: int) -> str:
    """A new member's number, made from their id, so two tills apart never give the same one: 'M0043'
    at node 1 (as before the hub), 'M2-0001' for the first member made at node 2."""
    number = node_number(db) or 1
    if number == OFFICE or member_id < BLOCK:
        return f"M{member_id:04d}"
    return f"M{member_id // BLOCK}-{member_id % BLOCK:04d}"
