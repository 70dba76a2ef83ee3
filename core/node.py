"""Which database a record was made in: a node id, chosen once at random when the database is made.

A journal entry's global key is this node id and the entry's number (`core.journal.global_key`): unique
across every till of a society, so a hub can take records from many tills by that key alone. Two tills
sharing one file share its node id and its one sequence, so their keys cannot collide either.
"""

from __future__ import annotations

import secrets

from sqlite_utils import Database


def node_id(db: Database) -> str:
    """This database's node id (32 hexadecimal digits)."""
    cached = getattr(db, "_till_node_id", None)
    if cached:
        return cached
    row = db.execute("select id from node").fetchone()
    if row is None:
        raise LookupError("this database has no node id yet: it has not been upgraded")
    db._till_node_id = row[0]  # type: ignore[attr-defined]
    return row[0]


def new_node_id() -> str:
    return secrets.token_hex(16)
