"""The foundation's own table: the journal (the tamper-evident chain of every money record).

The till's migration set ("pos" m013) made it before the foundation was a package of its own;
that migration has shipped and stays. This set takes the table over from here on.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("core")

TABLES = ("journal", "node")


@migrations()
def m001_take_over_the_journal(db: Database) -> None:
    """Nothing to change: the journal exists already (made by the "pos" set); from now on it is ours."""


@migrations()
def m002_node(db: Database) -> None:
    """The database's node id, for global keys (core/node.py). A copy of a file keeps its node id:
    restoring a backup is the same node carrying on, never a new one."""
    from core.node import new_node_id

    db["node"].create({"id": str, "made_at": str}, pk="id")
    db.execute("insert into node (id, made_at) values (?, datetime('now'))", [new_node_id()])
