"""The office's consolidated copy: every till's records, pulled from the hub into one SQLite file made
with the till's own tables, so each report and export the till has runs on it unchanged.

The copy is for reading, not a till: its rows are written on a connection without the journal's TEMP
triggers and never through `core.database.transaction`, so nothing in it is journalled or pushed
(`office_nodes` marks the file as a copy). Pulling is incremental (a mark per till's node) and
idempotent: each batch goes in one SQLite transaction with the mark it reaches.

Ids. Records written once (sales, sessions, cash …) and a till's own records that change (stock
movements, tallies, signposts, the audit log, register changes) have ids that collide between tills:
in the copy each becomes k × BLOCK + the till's id, k being the node's number in this copy
(`office_nodes`), and every reference between them is moved the same way. Shared records (products,
prices, members, volunteers, training, the rota, the service directory) keep their ids, which are
global (each node makes them in its own block).

A till rebuilt from the hub (hub/restore.py) is a new node with the old one's ids, so it shares the old node's
k: its records go on after the old node's in the copy, as they do in the rebuilt till's own file.

Personal details reach the hub only salted (core/records.py): the copy takes them from the office's own
books where those hold the same person, and leaves them empty otherwise.

Time. A record keeps its till's trading day and times whenever it arrives. One that arrives for a day a
consolidated report or export already covered is late: `late_since` says how many arrived since that
report was last produced (`produced`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database

from core import journal, records
from core.clock import stamp
from core.ids import BLOCK

# A till's ids in the copy are k × BLOCK + its own id, BLOCK being the size of a node's block of shared ids
# (core/ids.py), so a record's till is its id // BLOCK wherever the copy is read (coop/board_elsewhere.py).
PULL_BATCH = 2000

_TABLES = """
create table if not exists office_nodes (node_id text primary key, k integer not null, till_id text not null,
  entry integer not null default 0, pulled_at text);
create table if not exists office_pulls (id integer primary key, at text not null, records integer not null);
create table if not exists office_arrivals (node_id text not null, entry integer not null, kind text not null,
  ref_id integer not null, day text, received_at text not null, pull integer not null, late integer not null,
  primary key (node_id, entry));
create index if not exists office_arrivals_day on office_arrivals (day) where late = 1;
create table if not exists office_produced (report text not null, first text not null, last text not null,
  pull integer not null, at text not null);
"""

#: Records written once: kind → {part of the body: (table, columns, columns that are this till's ids)}.
_SALE_PARTS = {
    "sale": ("sales", journal._SALE, ("id", "session_id", "refund_of")),
    "lines": ("sale_lines", journal._LINE, ("id", "refund_of_line")),
    "tenders": ("tenders", journal._TENDER, ("id",)),
    "donations": ("donations", ["id", "amount_pence", "created_at"], ("id",)),
    "credits": ("time_credit_spends", ["id", "volunteer_id", "credits", "amount_pence", "covered", "at"], ("id",)),
    # Since sale version 3; before, each movement came as a record of its own (kind "stock").
    "stock": ("stock_movements", journal._STOCK, ("id", "sale_id")),
}
_OWN_IDS = {"void": ("id", "session_id"), "cash": ("id", "session_id"), "share": ("id", "request_id"), "z": ("id",),
            "credit": ("id",), "shift": ("id",), "correction": ("id", "shift_id"), "dividend_paid": ("id", "part_id")}
#: A till's own records that change in place; every other kind that changes is shared (global ids).
_OWN_CHANGING = {"member_change", "stock", "tally", "signpost", "audit"}
#: Columns of other records that name one of a till's own stock movements (numbered by the till alone): moved
#: into the till's part of the copy's numbers with the movement, or two tills' values of "movement 5" would
#: overwrite each other and name neither.
_OWN_MOVEMENT = {"stock_value": "movement_id", "delivery_line": "movement_id"}


@dataclass
class Pulled:
    """What one pull brought: records taken into the copy, how many of them arrived late (for a day
    already reported), and the records the hub flagged (kept out of the copy, as the hub keeps them
    out of its figures)."""

    records: int = 0
    late: int = 0
    flagged: list[str] = field(default_factory=list)
    tills: dict[str, int] = field(default_factory=dict)


def prepare(db: Database) -> Database:
    """Make the till database `db` (opened with the till's tables) the office's copy: its own tables, no
    journal triggers on this connection, no foreign keys (a sale can arrive before its session's Z)."""
    for (name,) in db.execute("select name from temp.sqlite_master where type = 'trigger'").fetchall():
        db.execute(f"drop trigger temp.{name}")
    db.execute("pragma foreign_keys = off")
    made = db.execute("select sql from sqlite_master where name = 'office_nodes'").fetchone()
    if made and " unique," in made[0]:  # a copy made before a rebuilt till could share its old node's k
        db.conn.executescript("alter table office_nodes rename to office_nodes_before;" + _TABLES +
                              "insert into office_nodes select * from office_nodes_before; drop table office_nodes_before;")
    db.conn.executescript(_TABLES)
    return db


def pull(conn, db: Database, *, own: str | None = None, at: str | None = None, batch: int = PULL_BATCH) -> Pulled:
    """Take every record the hub holds that the copy `db` (see `prepare`) has not, till by till. `own` is
    the office's own till database, whose register fills in the personal details the hub has salted."""
    from core.clock import system_clock

    at = at or stamp(system_clock())
    done = Pulled()
    with conn.transaction():
        nodes = conn.execute("select node_id, till_id, replaces from hub.nodes order by registered_at, node_id").fetchall()
    if own:
        _attach(db, own)
    number = _begin_pull(db, at)
    for node, till_id, replaces in nodes:
        k = _node_number(db, node, till_id, replaces)
        while True:
            mark = db.execute("select entry from office_nodes where node_id = ?", [node]).fetchone()[0]
            with conn.transaction():
                rows = conn.execute("select entry, kind, ref_id, digest, body, received_at, flag from hub.records "
                                    "where node_id = %s and entry > %s and not held order by entry limit %s",
                                    [node, mark, batch]).fetchall()
            if not rows:
                break
            db.execute("begin immediate")
            try:
                for entry, kind, ref_id, digest, body, received, flag in rows:
                    if flag:
                        done.flagged.append(f"{till_id} entry {entry}: {flag}")
                        continue
                    day = _apply(db, k, kind, ref_id, digest, body)
                    late = day is not None and _reported(db, day)
                    db.execute("insert or ignore into office_arrivals values (?, ?, ?, ?, ?, ?, ?, ?)",
                               [node, entry, kind, ref_id, day, stamp(received), number, int(late)])
                    done.records += 1
                    done.late += late
                    done.tills[till_id] = done.tills.get(till_id, 0) + 1
                db.execute("update office_nodes set entry = ?, pulled_at = ? where node_id = ?",
                           [rows[-1][0], at, node])
                if own:
                    _personal_details(db, own)
                db.execute("update office_pulls set records = records + ? where id = ?", [len(rows), number])
            except BaseException:
                db.conn.execute("rollback")
                raise
            db.conn.execute("commit")
    return done


def _begin_pull(db: Database, at: str) -> int:
    with db.conn:
        return db.conn.execute("insert into office_pulls (at, records) values (?, 0)", [at]).lastrowid


def _node_number(db: Database, node: str, till_id: str, replaces: str | None = None) -> int:
    """The node's k in the copy. A till rebuilt from the hub (`replaces` its old node) has the old node's: it
    holds the old node's records under the same ids and goes on after them, so a session open when the disk
    died, its sales sent by the old node and its Z by the new, stays one session in the copy."""
    found = db.execute("select k from office_nodes where node_id = ?", [node]).fetchone()
    if found:
        return found[0]
    old = db.execute("select k from office_nodes where node_id = ?", [replaces]).fetchone() if replaces else None
    with db.conn:
        k = old[0] if old else db.execute("select coalesce(max(k), 0) + 1 from office_nodes").fetchone()[0]
        db.conn.execute("insert into office_nodes (node_id, k, till_id) values (?, ?, ?)", [node, k, till_id])
    return k


def _moved(k: int, values: list, columns: list[str], own: tuple[str, ...]) -> list:
    moved = list(values)
    for name in own:
        i = columns.index(name)
        if moved[i] is not None:
            moved[i] = k * BLOCK + moved[i]
    return moved


def _insert(db: Database, table: str, columns: list[str], values: list) -> None:
    db.execute(f"insert or replace into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
               values)


def _apply(db: Database, k: int, kind: str, ref_id: int, digest: str | None, body: str | None) -> str | None:
    """Put one record into the copy; its trading day when it is a sale or a Z (what reports count)."""
    if kind in records.CHANGING:
        _apply_changing(db, k, kind, ref_id, digest, body)
        return None
    if body is None:
        return None
    found = json.loads(body)
    if kind == "sale":
        sale_id = k * BLOCK + found["sale"][0]
        for part, (table, columns, own) in _SALE_PARTS.items():
            rows = [found["sale"]] if part == "sale" else found.get(part, [])
            for row in rows:
                names = columns[:len(row)]  # a version-1 sale has no times on donations and credits
                values = _moved(k, row, names, own)
                if part not in ("sale", "stock"):  # a movement names its sale itself
                    names, values = ["sale_id", *names], [sale_id, *values]
                _insert(db, table, names, values)
        return found["sale"][5]
    if kind == "dividend":
        run = found["dividend"]
        _insert(db, "dividends", ["id", "period_from", "period_to", "sum_pence", "declared_at", "declared_by",
                                  "ceased_members"], [k * BLOCK + run[0], *run[1:]])
        for part in found["parts"]:
            _insert(db, "dividend_parts", ["dividend_id", *journal._DIVIDEND_PART],
                    [k * BLOCK + run[0], *_moved(k, part, journal._DIVIDEND_PART, ("id",))])
        return None
    table, columns = journal._ROWS[kind]
    _insert(db, table, columns, _moved(k, found[kind], columns, _OWN_IDS[kind]))
    return found[kind][columns.index("business_date")] if kind == "z" else None


def _apply_changing(db: Database, k: int, kind: str, ref_id: int, digest: str | None, body: str | None) -> None:
    one = records.CHANGING[kind]
    moved = _OWN_MOVEMENT.get(kind)
    key = k * BLOCK + ref_id if kind in _OWN_CHANGING or moved == one.key else ref_id
    if digest == records.REMOVED:
        db.execute(f"delete from {one.table} where {one.key} = ?", [key])
        return
    if body is None:
        return  # an older state of a record the till changed again: its newest entry brings the row
    values = json.loads(body)[kind]
    columns = list(one.columns)
    if kind == "codes":
        db.execute("delete from product_codes where product_id = ?", [key])
        for code in values:
            _insert(db, "product_codes", columns, code)
        return
    blanks = _blanks(db, one.table)
    values = [blanks.get(name) if name in one.personal else value for name, value in zip(columns, values)]
    if kind in _OWN_CHANGING:
        values[columns.index("id")] = key  # a register change's member_id is shared: it stays
    if moved and values[columns.index(moved)] is not None:
        values[columns.index(moved)] = k * BLOCK + values[columns.index(moved)]
    _insert(db, one.table, columns, values)


#: What stands for a personal detail the hub holds only salted, in a column that cannot be empty.
UNKNOWN = "(not held at the hub)"


def _blanks(db: Database, table: str) -> dict[str, object]:
    cached = getattr(db, "_office_blanks", {})
    if table not in cached:
        cached[table] = {name: (0 if "INT" in kind.upper() else UNKNOWN)
                         for _, name, kind, notnull, _, _ in db.execute(f"pragma table_info({table})") if notnull}
        db._office_blanks = cached  # type: ignore[attr-defined]
    return cached[table]


def _personal_details(db: Database, own: str) -> None:
    """Names and details from the office's own register, for the people it holds under the same id."""
    for kind in ("member", "volunteer"):
        one = records.CHANGING[kind]
        sets = ", ".join(f"{c} = o.{c}" for c in one.personal)
        db.execute(f"update {one.table} set {sets} from own.{one.table} o where o.id = {one.table}.id")


def _attach(db: Database, own: str) -> None:
    from pathlib import Path

    if "own" not in {row[1] for row in db.execute("pragma database_list")}:
        db.execute("attach database ? as own", [str(Path(own).resolve())])  # only read from


def _reported(db: Database, day: str) -> bool:
    return db.execute("select 1 from office_produced where ? between first and last limit 1", [day]).fetchone() is not None


def late_since(db: Database, report: str, first: str, last: str) -> int:
    """Records for days first..last that arrived after a report had covered their day, since `report`
    over these days was last produced (ever, if never)."""
    row = db.execute("select max(pull) from office_produced where report = ? and first = ? and last = ?",
                     [report, first, last]).fetchone()
    return db.execute("select count(*) from office_arrivals where late = 1 and day between ? and ? and pull > ?",
                      [first, last, row[0] or 0]).fetchone()[0]


def produced(db: Database, report: str, first: str, last: str, at: str) -> None:
    """Note that `report` over days first..last was produced now: later arrivals for those days are late."""
    with db.conn:
        pull = db.execute("select coalesce(max(id), 0) from office_pulls").fetchone()[0]
        db.conn.execute("insert into office_produced values (?, ?, ?, ?, ?)", [report, first, last, pull, at])


def tills(db: Database) -> list[tuple[str, str, str | None]]:
    """Each till's node in the copy: (till id, node id, when last pulled)."""
    return db.execute("select till_id, node_id, pulled_at from office_nodes order by k").fetchall()


def last_pull(db: Database) -> tuple[str, int] | None:
    """When the copy was last pulled into (a stamp) and how many of that pull's records arrived late, for a
    day a consolidated report had already covered; None when it never was."""
    row = db.execute("select id, at from office_pulls order by id desc limit 1").fetchone()
    if row is None:
        return None
    late = db.execute("select count(*) from office_arrivals where pull = ? and late = 1", [row[0]]).fetchone()[0]
    return row[1], late
