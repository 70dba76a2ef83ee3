"""The tamper-evident journal: every completed sale and refund, void, cash movement (paid in,
paid out, no-sale, share capital, dividend and credit paid out), share ledger entry, dividend run
and payment, till credit entry and Z report is chained by hash to the
one before, in the same transaction that records it.

`seal` runs just before every write transaction commits (core.database.transaction) and
journals whatever that transaction added, so no caller can forget. `verify` recomputes each
record's digest from the database as it is now and the chain from the first entry, and names
the first record that was changed, removed or added outside the till.

A digest covers a fixed list of columns per kind (version 1). A later migration that adds a
column must not change what old digests cover: give new columns a new version instead.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

VERSION = 1
GENESIS = "0" * 64

_SALE = ["id", "till_id", "sale_number", "kind", "session_id", "business_date", "created_at", "operator_id",
         "member_number", "eat_in", "total_pence", "refund_of", "reason", "family_under5", "first_visit"]
_LINE = ["id", "line_no", "product_id", "product_name", "category", "quantity", "unit_price_pence",
         "discount_pence", "discount_reason", "line_total_pence", "vat_class", "vat_rate_bp", "pass_through",
         "healthy_start", "member_number", "refund_of_line", "pay_forward", "claimed"]
_TENDER = ["id", "kind", "amount_pence", "given_pence", "change_pence", "reference"]
_DIVIDEND_PART = ["id", "member_id", "qualifying_pence", "part_pence", "payout"]

#: kind → (table, columns) for records that are one row.
_ROWS = {
    "void": ("voids", ["id", "till_id", "session_id", "created_at", "operator_id", "line_count", "total_pence",
                       "reason"]),
    "cash": ("cash_movements", ["id", "till_id", "session_id", "created_at", "operator_id", "kind",
                                "amount_pence", "reason"]),
    "share": ("share_ledger", ["id", "member_id", "at", "on_date", "kind", "shares", "amount_pence", "request_id",
                               "decision", "approved_shares", "by", "note", "notice_ends"]),
    "z": ("till_sessions", ["id", "till_id", "business_date", "opened_at", "opened_by", "float_pence", "closed_at",
                            "closed_by", "counted_pence", "z_number"]),
    # Till credit (the dividend, spent or given back) is money a member can spend.
    "credit": ("member_credit", ["id", "member_id", "at", "amount_pence", "kind", "reference"]),
    # Hours earn time credits: a shift once ended, and every correction to one.
    "shift": ("shifts", ["id", "volunteer_id", "till_id", "started_at", "ended_at", "needs_check"]),
    "correction": ("shift_corrections", ["id", "shift_id", "started_at", "ended_at", "corrected_by", "reason", "at"]),
    # A dividend part owed in cash, settled: paid from a till or turned into till credit.
    "dividend_paid": ("dividend_payments", ["id", "part_id", "at", "on_date", "how", "amount_pence", "by"]),
}
_TABLE = {"sale": "sales", "dividend": "dividends", **{kind: table for kind, (table, _) in _ROWS.items()}}
#: Records sealed once they are finished (a session at its Z, a shift when it ends), not when added.
_WHEN_DONE = {"z": "closed_at", "shift": "ended_at"}
#: Tables whose rows are part of a record above, sealed with it (see `content`).
_PARTS = ("sale_lines", "tenders", "donations", "time_credit_spends", "dividend_parts")

#: Tables of records the journal does not chain yet. A new table goes on the journal's list above or
#: here, by name: tests/test_journal_coverage.py fails for a table on neither.
NOT_YET = (
    "members", "member_changes",                       # the register (coop)
    "products", "prices", "product_codes", "stock_movements",  # the catalogue and stock (inventory)
    "volunteers", "training", "rota_slots", "rota_entries",  # people, certificates, the rota (volunteers)
    "services", "tallies", "signposts",                # the directory, footfall, signposting (centre)
    "audit_log",                                       # who approved what at the till
)
#: Not records at all: the books' own machinery, and working state that is never part of the accounts
#: (a basket still being rung up or parked, a receipt waiting for the printer).
NOT_RECORDS = ("_sqlite_migrations", "journal", "node", "open_baskets", "parked_baskets", "receipt_queue",
               "disclosure_key", "centre_releases", "centre_released_cells")


def journalled_tables() -> set[str]:
    """Every table whose rows the journal chains, as a record of its own or as part of one."""
    return set(_TABLE.values()) | set(_PARTS)


def _select(db: Database, table: str, columns: list[str], where: str, params: list) -> list[list]:
    return [list(row) for row in db.execute(f"select {', '.join(columns)} from {table} where {where}", params)]


def content(db: Database, kind: str, ref_id: int) -> dict | None:
    """The record as the journal sees it, or None if it is not there (any more)."""
    if kind == "sale":
        sale = _select(db, "sales", _SALE, "id = ?", [ref_id])
        if not sale:
            return None
        return {
            "sale": sale[0],
            "lines": _select(db, "sale_lines", _LINE, "sale_id = ? order by line_no, id", [ref_id]),
            "tenders": _select(db, "tenders", _TENDER, "sale_id = ? order by id", [ref_id]),
            "donations": _select(db, "donations", ["id", "amount_pence"], "sale_id = ? order by id", [ref_id]),
            "credits": _select(db, "time_credit_spends", ["id", "volunteer_id", "credits", "amount_pence", "covered"],
                               "sale_id = ? order by id", [ref_id]),
        }
    if kind == "dividend":
        run = _select(db, "dividends", ["id", "period_from", "period_to", "sum_pence", "declared_at", "declared_by",
                                        "ceased_members"], "id = ?", [ref_id])
        if not run:
            return None
        parts = _select(db, "dividend_parts", _DIVIDEND_PART, "dividend_id = ? order by id", [ref_id])
        return {"dividend": run[0], "parts": parts}
    table, columns = _ROWS[kind]
    row = _select(db, table, columns, "id = ?", [ref_id])
    if not row or (kind in _WHEN_DONE and row[0][columns.index(_WHEN_DONE[kind])] is None):
        return None
    return {kind: row[0]}


def digest(db: Database, kind: str, ref_id: int) -> str | None:
    found = content(db, kind, ref_id)
    if found is None:
        return None
    return hashlib.sha256(json.dumps(found, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def link(prev_hash: str, kind: str, ref_id: int, record_digest: str) -> str:
    return hashlib.sha256(f"{prev_hash}|{VERSION}|{kind}|{ref_id}|{record_digest}".encode()).hexdigest()


def _unsealed(db: Database, *, everything: bool = True, finished: bool = False) -> list[tuple[str, int]]:
    """Records no journal entry covers yet, oldest first within each kind. On an ordinary commit
    only rows added since the last seal are looked for; `finished` also looks through every
    session and shift (for the Z and signing out); `everything` through whole tables, so a row
    slipped in by hand with a low id is found too (for verify)."""
    if not everything:
        # One statement, not two per kind: this runs inside every sale's commit.
        sql = _RECENT_SQL_FINISHED if finished else _RECENT_SQL
        return [(kind, ref_id) for _, kind, ref_id in db.execute(sql).fetchall()]
    found: list[tuple[str, int]] = []
    for kind, table in _TABLE.items():
        done = f" and t.{_WHEN_DONE[kind]} is not null" if kind in _WHEN_DONE else ""
        rows = db.execute(f"select t.id from {table} t left join journal j on j.kind = ? and j.ref_id = t.id"
                          f" where j.id is null{done} order by t.id", [kind]).fetchall()
        found += [(kind, row[0]) for row in rows]
    return found


def _recent_sql(finished: bool) -> str:
    parts = []
    for order, (kind, table) in enumerate(_TABLE.items()):
        if kind not in _WHEN_DONE:
            # Anything above the newest id journalled is new, and nothing below it can be.
            parts.append(f"select {order}, '{kind}', id from {table}"
                         f" where id > (select coalesce(max(ref_id), 0) from journal where kind = '{kind}')")
        elif finished:
            # Finished out of id order, however long ago they began. Only the Z and signing
            # out finish them (Till.close_session, Till.sign_out), and they pass `finished`.
            parts.append(f"select {order}, '{kind}', t.id from {table} t where t.{_WHEN_DONE[kind]} is not null"
                         f" and not exists (select 1 from journal j where j.kind = '{kind}' and j.ref_id = t.id)")
    return " union all ".join(parts) + " order by 1, 3"


_RECENT_SQL = _recent_sql(False)
_RECENT_SQL_FINISHED = _recent_sql(True)


def seal(db: Database, at: str, *, finished: bool = False) -> int:
    """Journal every record added since the last seal. Runs inside the caller's transaction."""
    if not _has_journal(db):
        return 0
    pending = _unsealed(db, everything=False, finished=finished)
    if not pending:
        return 0
    head = db.execute("select hash from journal order by id desc limit 1").fetchone()
    prev = head[0] if head else GENESIS
    for kind, ref_id in pending:
        record = digest(db, kind, ref_id)
        prev = link(prev, kind, ref_id, record)
        db.execute("insert into journal (at, kind, ref_id, version, digest, hash) values (?, ?, ?, ?, ?, ?)",
                   [at, kind, ref_id, VERSION, record, prev])
    return len(pending)


def _has_journal(db: Database) -> bool:
    cached = getattr(db, "_till_has_journal", None)
    if cached:
        return True
    present = db.execute("select 1 from sqlite_master where type = 'table' and name = 'journal'").fetchone() is not None
    if present:
        db._till_has_journal = True  # type: ignore[attr-defined]
    return present


@dataclass
class Problem:
    entry: int | None
    what: str


def _name(db: Database, kind: str, ref_id: int) -> str:
    if kind == "sale":
        row = db.execute("select till_id, sale_number, kind from sales where id = ?", [ref_id]).fetchone()
        return f"{row[2]} {row[0]}/{row[1]}" if row else f"sale record {ref_id}"
    if kind == "z":
        row = db.execute("select till_id, z_number from till_sessions where id = ?", [ref_id]).fetchone()
        return f"Z report {row[1]} of {row[0]}" if row and row[1] else f"till session {ref_id}"
    return {"void": "voided basket", "cash": "cash movement", "share": "share ledger entry", "credit": "till credit entry",
            "dividend": "dividend run", "shift": "shift", "correction": "shift correction",
            "dividend_paid": "dividend payment"}[kind] + f" {ref_id}"


def verify(db: Database) -> list[Problem]:
    """Every problem found, the first one first; an empty list means the books are as recorded."""
    problems: list[Problem] = []
    prev = GENESIS
    for entry, kind, ref_id, version, recorded, chained in db.execute(
            "select id, kind, ref_id, version, digest, hash from journal order by id"):
        if chained != link(prev, kind, ref_id, recorded) or version != VERSION:
            problems.append(Problem(entry, f"journal entry {entry} ({_name(db, kind, ref_id)}) was changed, or an "
                                           "entry before it was removed"))
        prev = chained
        now = digest(db, kind, ref_id)
        if now is None:
            problems.append(Problem(entry, f"{_name(db, kind, ref_id)} (journal entry {entry}) was removed"))
        elif now != recorded:
            problems.append(Problem(entry, f"{_name(db, kind, ref_id)} (journal entry {entry}) was changed after it "
                                           "was recorded"))
    for kind, ref_id in _unsealed(db, everything=True):
        problems.append(Problem(None, f"{_name(db, kind, ref_id)} is not in the journal: it was added outside the till"))
    problems.sort(key=lambda p: (p.entry is None, p.entry or 0))
    return problems


def head(db: Database) -> tuple[int, str] | None:
    """The newest entry (number, hash): printed on the Z report so the chain can be checked
    against paper too."""
    row = db.execute("select id, hash from journal order by id desc limit 1").fetchone()
    return (row[0], row[1]) if row else None


@dataclass
class BooksCheck:
    """What `check_books` found. The books are as recorded when nothing is damaged and there are no problems."""

    #: SQLite's first complaint about the file itself, if it is damaged (then nothing else was checked).
    damaged: str | None = None
    #: Every problem with the journal, the first one first.
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    #: The newest entry (number, hash), as `head` gives it.
    newest: tuple[int, str] | None = None

    @property
    def sound(self) -> bool:
        return self.damaged is None and not self.problems


#: A journal reference as a Z prints it: '#683 420eb82430fa', the entry's number and the first 12 of its
#: hash's 64 hexadecimal digits (all 64 are accepted too).
_REFERENCE = re.compile(r"#?([1-9][0-9]{0,17})\s+([0-9a-f]{12}|[0-9a-f]{64})")


def reference(printed: str) -> tuple[int, str]:
    """The entry number and hash prefix of a reference printed on a Z. Its shape is checked first, so a
    mistyped reference (a letter too many or too few, an 'o' for a '0') is a TillError saying so, never
    taken for a journal cut short."""
    from core.errors import TillError

    found = _REFERENCE.fullmatch(printed.strip().lower())
    if not found:
        raise TillError(f"'{printed}' is not a journal reference: a Z prints one as '#683 420eb82430fa', the "
                        "entry's number, then 12 letters and digits (0-9 and a-f only); check it was copied "
                        "right")
    return int(found.group(1)), found.group(2)


def check_books(db: Database, expected: Iterable[str] = ()) -> BooksCheck:
    """The database's integrity, then the journal's chain (`verify`), then that each entry printed
    on a Z (`expected`, written '#683 420eb82430fa') is still there as printed: so the end of the
    journal cannot have been cut off unnoticed. A reference that cannot be one (`reference`) is a TillError."""
    references = [reference(printed) for printed in expected]  # a mistyped one is said before any work
    integrity = [row[0] for row in db.execute("pragma integrity_check")]
    if integrity != ["ok"]:
        return BooksCheck(damaged=integrity[0])
    return _check_journal(db, references)


def _check_journal(db: Database, references: list[tuple[int, str]]) -> BooksCheck:
    problems = verify(db)
    for number, prefix in references:
        entry = db.execute("select hash from journal where id = ?", [number]).fetchone()
        if entry is None:
            problems.insert(0, Problem(number, f"journal entry #{number} printed on a Z is missing: the journal "
                                       "was cut short"))
        elif not entry[0].startswith(prefix):
            problems.insert(0, Problem(number, f"journal entry #{number} printed on a Z is different (printed "
                                       f"{prefix[:12]}, now {entry[0][:12]}): the journal was rewritten, unless "
                                       "the reference was mistyped"))
    entries = db.execute("select count(*) from journal").fetchone()[0]
    return BooksCheck(problems=problems, entries=entries, newest=head(db))


def check_file(path: Path | str, migration_sets: Sequence[Migrations] = (), expected: Iterable[str] = ()) -> BooksCheck:
    """`check_books` on the database file at `path`, opened read only: checking never changes what it
    checks (not its journal mode, not its tables), so a backup's bytes are the same after as before, and
    a backup on a write-protected stick can be checked. A file an older version made is checked as this
    version sees it: upgraded by `migration_sets` in a copy in memory, never on disk. Seen as one
    moment, even while tills sell. NoDatabase if there is no database at `path`."""
    from core.database import DatabaseError, plain

    references = [reference(printed) for printed in expected]  # a mistyped one is said before any work
    path = Path(path).expanduser()
    conn = _read_only(path)
    try:
        conn.execute("begin")  # one snapshot: a sale a till commits meanwhile is not half seen
        integrity = [row[0] for row in conn.execute("pragma integrity_check")]
        if integrity != ["ok"]:
            return BooksCheck(damaged=integrity[0])
        db = Database(conn)
        if "_sqlite_migrations" not in db.table_names():
            raise DatabaseError(f"{path} is not a Community Till database")
        if any(m.pending(db) for m in migration_sets):
            db = _upgraded_copy(conn, migration_sets)
        return _check_journal(db, references)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"The database {path} cannot be checked: {plain(error)}") from None
    finally:
        conn.close()


def _read_only(path: Path) -> sqlite3.Connection:
    from core.database import BUSY_TIMEOUT_MS, DatabaseError, NoDatabase

    if not path.is_file():
        raise NoDatabase(f"there is no till database at {path}")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A database left in WAL mode on a write-protected folder: nothing can change it there.
        try:
            conn = sqlite3.connect(f"{uri}&immutable=1", uri=True)
            conn.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise DatabaseError(f"The database {path} cannot be opened: {error}") from None
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"The database {path} cannot be used: {error}") from None
    return conn


def _upgraded_copy(conn: sqlite3.Connection, migration_sets: Sequence[Migrations]) -> Database:
    memory = sqlite3.connect(":memory:")
    conn.backup(memory)
    db = Database(memory)
    for migrations in migration_sets:
        migrations.apply(db)
    return db


def global_key(db: Database, entry: int) -> str:
    """The entry's key across every till of a society: this database's node id, then its number."""
    from core.node import node_id

    return f"{node_id(db)}:{entry}"
