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

TABLES = ("hub_marks", "hub_pulled", "hub_applied", "hub_balances", "hub_balance_count", "hub_bases", "hub_settings",
          "hub_board_taken")


@migrations()
def m001_hub_marks(db: Database) -> None:
    db["hub_marks"].create({"id": int, "entry": int, "pushed_at": str, "tried_at": str, "failing_since": str,
                             "error": str}, pk="id")
    db.execute("insert into hub_marks (id, entry) values (1, 0)")


@migrations()
def m002_hub_pulls(db: Database) -> None:
    """How far this till has pulled the society's shared records (the hub's revision), and which of its
    journal entries were made by applying a pull: those are not sent back up as changes of its own."""
    db["hub_pulled"].create({"id": int, "revision": int, "pulled_at": str}, pk="id")
    db.execute("insert into hub_pulled (id, revision) values (1, 0)")
    db["hub_applied"].create({"first_entry": int, "last_entry": int}, pk="first_entry")


@migrations()
def m003_hub_balances(db: Database) -> None:
    """The society's balances as the office last counted them, less this till's own part (hub/balances.py):
    what the other tills did, which this till adds to what it knows itself."""
    db["hub_balances"].create({"kind": str, "ref_id": int, "elsewhere": int}, pk=("kind", "ref_id"))
    db["hub_balance_count"].create({"id": int, "counted_at": str, "counted_entry": int, "pulled_at": str}, pk="id")


@migrations()
def m004_office_key(db: Database) -> None:
    """The office's public key as the hub last gave it (hub/sealed.py): what a member's details are sealed to."""
    db.execute("alter table hub_pulled add column office_key text")


@migrations()
def m005_hub_bases(db: Database) -> None:
    """The hub revision each shared record was last pulled at (hub/shared.py): a change made here goes up
    saying which one it follows, so the hub can tell it from one made apart."""
    db["hub_bases"].create({"kind": str, "ref_id": int, "revision": int}, pk=("kind", "ref_id"))


@migrations()
def m006_society_settings(db: Database) -> None:
    """The society's settings as the office last set them (hub/settings.py): used over the settings file's."""
    db["hub_settings"].create({"key": str, "value": str, "revision": int, "set_by": str, "pulled_at": str}, pk="key")


@migrations()
def m007_hub_board_taken(db: Database) -> None:
    """The board's decisions made at the office on this till's withdrawal requests that this till has taken
    (hub/board.py), with what came of each: a decision is taken once, written or said why not."""
    db["hub_board_taken"].create({"entry": int, "outcome": str, "taken_at": str}, pk="entry")


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


def data(db: Database, entry: int, kind: str, ref_id: int, at: str | None = None) -> dict | None:
    """A shared record's real values (hub/shared.py), sent beside its salted body so the hub can pass the
    change on: only in the record's newest entry, and never for an entry this till made applying a pull
    (sending the hub's own revision back would undo any newer one)."""
    from hub import sealed, shared

    if kind not in shared.SHARED:
        return None
    newest = db.execute("select max(id) from journal where kind = ? and ref_id = ?", [kind, ref_id]).fetchone()[0]
    pulled = db.execute("select 1 from hub_applied where ? between first_entry and last_entry", [entry]).fetchone()
    if newest != entry or pulled is not None:
        return None
    # Its stamp and base: how the hub orders it against a change made to the same record at another till.
    found = {**shared.data(db, kind, ref_id), "_at": at, "_base": shared.base(db, kind, ref_id)}
    # A member's address and contacts go sealed to the office's key, which alone can open them.
    box = sealed.seal(db, ref_id) if kind == "member" and not found.get("_removed") else None
    return found if box is None else {**found, "sealed": box}


def batch(db: Database, after: int, size: int) -> list[dict]:
    """The next `size` journal entries after `after`, in journal order, each with its body (and a shared
    record's data)."""
    rows = db.execute("select id, kind, ref_id, version, digest, hash, at from journal where id > ? order by id "
                      "limit ?", [after, size]).fetchall()
    return [{"entry": entry, "kind": kind, "ref_id": ref_id, "version": version, "digest": digest, "hash": chained,
             "body": body(db, entry, kind, ref_id, version), "data": data(db, entry, kind, ref_id, at)}
            for entry, kind, ref_id, version, digest, chained, at in rows]
