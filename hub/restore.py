"""Rebuilding a till whose disk died from what the hub holds: its own records, and the shared ones
(catalogue, people, rota, directory) every till sent.

The rebuilt file is a new node (its own node id, made with the new file): the old node's chain is the
hub's record of what it sent, and the new journal starts afresh, the rebuilt records taken in once (as an
upgrade adopts rows) so `till verify` passes. Sales the dead till made that never reached the hub are
lost with its disk, but their numbers are not reused: numbering resumes after a gap (`sale_number_gaps`),
written down in the audit log, which goes to the hub like any record.

Personal details reach the hub only salted: the rebuilt till's people have none (their PINs, roles and
numbers are kept), and a manager sets names again. A session open when the disk died is open again, with
the sales the hub has; its float is not known (0), and the drawer is counted at its Z as always.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from core import journal, records
from core.audit import audit
from core.database import transaction
from core.witness import record_seal
from hub import HubError, office

#: Sale numbers skipped after the last one the hub holds: more than a till sells between two pushes.
GAP = 1000
_SHARED = sorted(set(records.CHANGING) - office._OWN_CHANGING)


@dataclass
class Rebuilt:
    old_node: str
    till_id: str
    records: int
    sales: int
    #: The last sale number the hub held, and the first the rebuilt till will use.
    last_sale_number: int
    resumes_at: int
    reopened_session: bool


def rebuild(conn, db: Database, till: str, *, at: str, gap: int = GAP) -> Rebuilt:
    """Fill the new, empty till database `db` with what the hub holds for `till` (a till id or node id)."""
    if db.execute("select count(*) from journal").fetchone()[0] or db.execute("select count(*) from sales").fetchone()[0]:
        raise HubError("a till is rebuilt from the hub into a new, empty database only (nothing was changed)")
    with conn.transaction():
        found = conn.execute("select node_id, till_id from hub.nodes where node_id = %s or till_id = %s "
                             "order by registered_at desc limit 1", [till, till]).fetchone()
        if found is None:
            raise HubError(f"the hub has no till {till}")
        node, till_id = found
        rows = conn.execute(
            "select kind, ref_id, digest, body from hub.records where not held and flag is null and "
            "(node_id = %s or kind = any(%s)) order by node_id = %s, received_at, node_id, entry",
            [node, _SHARED, node]).fetchall()
    if not rows:
        raise HubError(f"the hub holds no records of till {till}")
    db.execute("pragma foreign_keys = off")  # sales come before the Z of their session, as they were made
    try:
        with transaction(db):
            for kind, ref_id, digest, body in rows:
                office._apply(db, 0, kind, ref_id, digest, body)  # block 0: the till's own ids, unchanged
            reopened = _reopen(db, till_id)
            last = db.execute("select coalesce(max(sale_number), 0) from sales where till_id = ?",
                              [till_id]).fetchone()[0]
            # The rebuilt records, taken in once: the hub holds them already (under the old node), so when this
            # till joins again its pushes start after them, and none is shared back as a change of its own.
            journal.seal(db, at, finished=True)
            point = db.execute("select coalesce(max(id), 0) from journal").fetchone()[0]
            db.execute("update hub_marks set entry = ? where id = 1", [point])
            if point:
                db.execute("insert into hub_applied (first_entry, last_entry) values (1, ?)", [point])
            why = (f"rebuilt from the hub (node {node[:12]}): sale numbers {last + 1} to {last + gap} are skipped, "
                   "as the old till may have used some that never reached the hub")
            db.execute("insert or replace into sale_number_gaps values (?, ?, ?, ?, ?)",
                       [till_id, last + 1, last + gap + 1, at, why])
            audit(db, at=at, till_id=till_id, action="restore", operator_id=_manager(db), detail=why)
            journal.seal(db, at, finished=True)  # the gap and its audit record: this till's own, pushed when it joins
            for session_id, z_number in db.execute("select id, z_number from till_sessions where closed_at is not "
                                                   "null order by id").fetchall():
                record_seal(db, session_id=session_id, till_id=till_id, z_number=z_number, at=at)
    finally:
        db.execute("pragma foreign_keys = on")
    sales = db.execute("select count(*) from sales where till_id = ?", [till_id]).fetchone()[0]
    return Rebuilt(node, till_id, len(rows), sales, last, last + gap + 1, reopened)


def restore_point(db: Database) -> dict | None:
    """For a database rebuilt from the hub (`rebuild`), not yet registered: the till it was, and the last
    rebuilt journal entry (the records the hub holds already), from which its pushes go on. None otherwise."""
    gap = db.execute("select till_id from sale_number_gaps order by rowid desc limit 1").fetchone()
    if gap is None:
        return None
    point = db.execute("select j.id, j.kind, j.ref_id, j.version, j.digest, j.hash from journal j join hub_marks m "
                       "on m.id = 1 and j.id = m.entry").fetchone()
    if point is None:
        return None
    names = ("entry", "kind", "ref_id", "version", "digest", "hash")
    return {"till_id": gap[0], **dict(zip(names, point))}


def _reopen(db: Database, till_id: str) -> bool:
    """The session open when the disk died has sales at the hub and no Z: open again, float unknown."""
    missing = db.execute("select session_id, min(business_date), min(created_at), min(operator_id) from sales "
                         "where session_id not in (select id from till_sessions) group by session_id").fetchall()
    for session_id, day, opened, operator in missing:
        db.execute("insert into till_sessions (id, till_id, business_date, opened_at, opened_by, float_pence) "
                   "values (?, ?, ?, ?, ?, 0)", [session_id, till_id, day, opened, operator])
    return bool(missing)


def _manager(db: Database) -> int:
    row = db.execute("select id from volunteers order by instr(role, 'manager') = 0, id limit 1").fetchone()
    return row[0] if row else 0
