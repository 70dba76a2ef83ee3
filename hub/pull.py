"""Pulling the society's shared records down from the hub: every revision after this till's mark, applied
in one SQLite transaction with the mark, so a pull cut off anywhere is either all there or not at all,
and a pull applied twice changes nothing (each record is set to what the hub says, by its key).

The till never waits on the hub to sell: a pull runs from `till hub pull`, `till hub join` and the push
worker's rounds, after the push (the till's own changes go up first, so the hub's answer includes them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from core.database import transaction
from hub import HubError
from hub.board import Taken

BATCH = 1000


@dataclass
class Pulled:
    """What one pull did: revisions applied, and the revision this till has now reached."""

    applied: int = 0
    revision: int = 0
    #: The board's decisions on this till's withdrawal requests, made at the office (hub/board.py).
    board: Taken = field(default_factory=Taken)


def revision(db: Database) -> int:
    """The newest hub revision this till has applied (0: none)."""
    row = db.execute("select revision from hub_pulled where id = 1").fetchone()
    return row[0] if row else 0


def adopt_number(db: Database, conn) -> int:
    """This till's node number at the hub, written into its database once (core/ids.py)."""
    from core.ids import node_number

    with conn.transaction():
        number = conn.execute("select hub.my_number()").fetchone()[0]
    if number is None:
        raise HubError("this till is not registered at that hub")
    here = node_number(db)
    if here is None:
        with transaction(db):
            db.execute("update node set number = ?", [number])
    elif here != number:
        raise HubError(f"this database is node {here} of another hub, and that hub calls it {number}: its ids "
                       "would collide (nothing was pulled)")
    return number


def pull(db: Database, conn, *, batch: int = BATCH, at: str | None = None, office_key: Path | None = None) -> Pulled:
    """Apply every revision of the shared records this till has not got yet, all in one transaction;
    then, in a transaction of its own, the society's balances as the office last counted (hub/balances.py), and
    the board's decisions on this till's withdrawal requests (hub/board.py), which go back up as its own.
    `office_key`: where the office keeps its private key (hub/sealed.py), to open members' details with."""
    from core.clock import stamp, system_clock
    from hub import balances, board

    done = _shared(db, conn, batch=batch, at=at, office_key=office_key)
    balances.pull(db, conn, at=at or stamp(system_clock()))
    done.board = board.pull(db, conn, at=at or stamp(system_clock()))
    return done


def _shared(db: Database, conn, *, batch: int, at: str | None, office_key: Path | None) -> Pulled:
    import sqlite3

    from core.clock import stamp, system_clock
    from core.journal import seal
    from hub import sealed, settings, shared
    from hub.schema import check_version

    check_version(conn)
    adopt_number(db, conn)
    private = sealed.exchange(db, conn, office_key)
    done = Pulled(revision=revision(db))
    rows: list[tuple] = []
    while True:
        with conn.transaction():
            page = conn.execute("select revision, kind, ref_id, data from hub.pull(%s, %s)",
                                [rows[-1][0] if rows else done.revision, batch]).fetchall()
        rows += page
        if len(page) < batch:
            break
    if not rows:
        return done
    when = at or stamp(system_clock())
    try:
        with transaction(db):
            # A record's revision follows its newest change, so a price may come before its product's:
            # the keys are checked at the commit, when everything pulled is there.
            db.execute("pragma defer_foreign_keys = on")
            before = db.execute("select coalesce(max(id), 0) from journal").fetchone()[0]
            for number, kind, ref_id, found in rows:
                if kind in shared.SHARED:
                    found, box = sealed.split(found)
                    shared.apply(db, kind, ref_id, found, number)
                    if box and private is not None and kind == "member":
                        sealed.open_into(db, ref_id, box, private)
                elif kind == settings.KIND:
                    settings.apply(db, found, number, when)
            # Sealed here, not at the commit, so the entries the pull made are known and kept from going back up.
            seal(db, when)
            after = db.execute("select coalesce(max(id), 0) from journal").fetchone()[0]
            if after > before:
                db.execute("insert into hub_applied (first_entry, last_entry) values (?, ?)", [before + 1, after])
            db.execute("update hub_pulled set revision = ?, pulled_at = ? where id = 1", [rows[-1][0], when])
    except sqlite3.IntegrityError:
        raise HubError("the hub sent a record that refers to one it has not got yet (a till's push is still on its "
                       "way): nothing was changed here; pull again in a moment") from None
    done.applied, done.revision = len(rows), rows[-1][0]
    return done
