"""Pushing a till's journal to the hub: in journal order, in batches of one PostgreSQL transaction each.

The hub inserts by the record's global key (node id, entry) with ON CONFLICT DO NOTHING, so a push cut
off at any moment (the hub stopped, the till killed, the network gone) and sent again creates nothing
twice; the till's mark moves only once the hub has committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from hub import HubError, local

BATCH = 500


@dataclass
class Pushed:
    """What one push did: entries the hub took, entries it had already, and where it stands."""

    added: int = 0
    resent: int = 0
    held: int = 0
    mark: int = 0
    #: The hub's sentence when it quarantined this till (its chain does not link), else None.
    quarantined: str | None = None


def push(db: Database, conn, *, batch: int = BATCH, limit: int | None = None, at: str | None = None) -> Pushed:
    """Send every journal entry the hub has not acknowledged (up to `limit`), one batch per transaction."""
    from psycopg import errors
    from psycopg.types.json import Jsonb

    from core.clock import stamp, system_clock
    from core.node import node_id
    from hub.schema import check_version

    check_version(conn)
    node = node_id(db)
    with conn.transaction():
        status = conn.execute("select hub.my_status()").fetchone()[0]
    if status is None:
        raise HubError("this till is not registered at that hub")
    # A hub restored from an older dump holds less than this till's mark says: send it again from there.
    done = Pushed(mark=min(local.mark(db), status["last_entry"]))
    if done.mark < local.mark(db):
        local.rewind(db, done.mark)
    while True:
        sent = done.added + done.resent + done.held
        rows = local.batch(db, done.mark, batch if limit is None else min(batch, limit - sent))
        if not rows:
            break
        try:
            with conn.transaction():
                result = conn.execute("select hub.push(%s, %s)", [node, Jsonb(rows)]).fetchone()[0]
        except errors.InsufficientPrivilege as error:
            raise HubError(f"the hub refused this till: {_plain(error)}") from None
        done.added += result["added"]
        done.resent += result["resent"]
        done.held += result["held"]
        done.mark = rows[-1]["entry"]
        local.acknowledged(db, done.mark, at or stamp(system_clock()))  # only now: the hub has committed
        if result["quarantine_reason"]:
            done.quarantined = result["quarantine_reason"]
    return done


def _plain(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
