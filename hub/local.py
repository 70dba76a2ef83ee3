"""The till's side of the hub, in its own SQLite file: how far the hub has acknowledged its journal.

`hub_marks` is one row: the newest journal entry the hub has committed, and when this till last
reached the hub (or failed to). The mark moves only after the hub commits; nothing is deleted
locally because it was sent: the SQLite file stays the till's durable store.
"""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.database import transaction

migrations = Migrations("hub")

TABLES = ("hub_marks",)


@migrations()
def m001_hub_marks(db: Database) -> None:
    db["hub_marks"].create({"id": int, "entry": int, "pushed_at": str, "tried_at": str, "failing_since": str,
                             "error": str}, pk="id")
    db.execute("insert into hub_marks (id, entry) values (1, 0)")


def mark(db: Database) -> int:
    """The newest journal entry the hub holds (0: none yet)."""
    row = db.execute("select entry from hub_marks where id = 1").fetchone()
    return row[0] if row else 0


def waiting(db: Database) -> int:
    """Journal entries recorded here and not yet acknowledged by the hub."""
    return db.execute("select count(*) from journal where id > ?", [mark(db)]).fetchone()[0]


def marks(db: Database) -> dict:
    """The mark, when the hub was last reached, and since when it has not been (with why)."""
    row = db.execute("select entry, pushed_at, tried_at, failing_since, error from hub_marks where id = 1").fetchone()
    names = ("entry", "pushed_at", "tried_at", "failing_since", "error")
    return dict(zip(names, row or (0, None, None, None, None)))


def acknowledged(db: Database, entry: int, at: str) -> None:
    """The hub committed every entry up to `entry`: called only after its commit."""
    with transaction(db):
        db.execute("update hub_marks set entry = max(entry, ?), pushed_at = ?, tried_at = ?, failing_since = null, error = null "
                   "where id = 1", [entry, at, at])


def rewind(db: Database, entry: int) -> None:
    """The hub holds only up to `entry` (restored from an older dump): what follows is waiting again."""
    with transaction(db):
        db.execute("update hub_marks set entry = ? where id = 1", [entry])


def failed(db: Database, at: str, error: str) -> None:
    with transaction(db):
        db.execute("update hub_marks set tried_at = ?, failing_since = coalesce(failing_since, ?), error = ? "
                   "where id = 1", [at, at, error])


def body(db: Database, entry: int, kind: str, ref_id: int, version: int) -> str | None:
    """A record's body as the journal digests it: the one place the hub reads the journal's content.
    A record that changes in place has a body only in its newest entry (the row as it is now; personal
    details salted, as the digest has them): the older entries' rows are gone."""
    from core import records
    from core.journal import content

    if kind in records.CHANGING:
        newest = db.execute("select max(id) from journal where kind = ? and ref_id = ?", [kind, ref_id]).fetchone()[0]
        found = records.contents(db, kind, [ref_id]).get(ref_id) if newest == entry else None
    else:
        found = content(db, kind, ref_id, version)
    return None if found is None else json.dumps(found, sort_keys=True, separators=(",", ":"))


def batch(db: Database, after: int, size: int) -> list[dict]:
    """The next `size` journal entries after `after`, in journal order, each with its body."""
    rows = db.execute("select id, kind, ref_id, version, digest, hash from journal where id > ? order by id limit ?",
                      [after, size]).fetchall()
    return [{"entry": entry, "kind": kind, "ref_id": ref_id, "version": version, "digest": digest, "hash": chained,
             "body": body(db, entry, kind, ref_id, version)} for entry, kind, ref_id, version, digest, chained in rows]
