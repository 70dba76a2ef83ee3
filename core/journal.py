"""The tamper-evident journal: every record in the books is chained by hash to the one before, in
the same transaction that records it. Every table is on a list below (tests/test_journal_coverage.py).

Records written once: every completed sale and refund (its lines, tenders, donations and time credits,
with their times, and the stock it moved), void, cash movement (paid in, paid out, no-sale, share capital,
dividend and credit paid out), share ledger entry, dividend run and payment, till credit entry, Z report,
shift and shift correction get one entry each. Records that change in place (core/records.py): the
register of members and its change history, volunteers (their names, roles, PIN hashes and emergency
contacts; not their failed PIN count), training, the rota, products, prices, product codes, stock
movements no sale made, the service directory, footfall tallies, signposts and the audit log get an
entry each time the till adds, changes or deletes one. Personal details are in a digest only salted (core/records.py).

`seal` runs just before every write transaction commits (core.database.transaction) and
journals whatever that transaction added or changed, so no caller can forget. `verify` checks the
chain from the first entry, recomputes each record's digest from the database as it is now (for a
record that changes, against its newest entry), and names every record that was changed, removed or
added outside the till.

A digest covers a fixed list of columns per kind and version; an entry keeps the version its digest
used. A later change that adds a column to a kind (sales' donation times, version 2) or a part (the stock
movements a sale made, version 3: before, each was an entry of its own; a weighed line's weight, version 4) gives the kind a new version: old
entries are still checked with the columns they covered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlite_utils import Database

from core import records

#: The chain's own format: what `link` hashes.
VERSION = 1
GENESIS = "0" * 64
#: The newest content version of each kind (1 unless named): the columns its digest covers.
CURRENT = {"sale": 4}

_SALE = ["id", "till_id", "sale_number", "kind", "session_id", "business_date", "created_at", "operator_id",
         "member_number", "eat_in", "total_pence", "refund_of", "reason", "family_under5", "first_visit"]
_LINE = ["id", "line_no", "product_id", "product_name", "category", "quantity", "unit_price_pence",
         "discount_pence", "discount_reason", "line_total_pence", "vat_class", "vat_rate_bp", "pass_through",
         "healthy_start", "member_number", "refund_of_line", "pay_forward", "claimed",
         # Since sale version 4: a weighed line's weight and price per kg (last: an older body's lines are a prefix).
         "weight_grams", "per_kg_pence"]
_TENDER = ["id", "kind", "amount_pence", "given_pence", "change_pence", "reference"]
_STOCK = ["id", "product_id", "kind", "quantity", "counted", "reason", "reference", "created_at", "operator_id",
          "sale_id"]
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

#: Not records at all: the books' own machinery (the salts of core/records.py among it), and working
#: state that is never part of the accounts (a basket still being rung up or parked, a receipt waiting
#: for the printer). A new table goes on the journal's lists or here, by name: tests/test_journal_coverage.py
#: fails for a table on none.
NOT_RECORDS = ("_sqlite_migrations", "journal", "node", "journal_adopted", "person_salts", "z_seals",
               "hub_marks", "hub_pulled", "hub_applied", "hub_bases", "open_baskets", "parked_baskets", "receipt_queue",
               "disclosure_key", "centre_releases", "centre_released_cells",
               # Where a till rebuilt from the hub resumes its sale numbers (its audit log records the gap).
               "sale_number_gaps",
               # The office's count of the other tills' balances: the office's figures, not this till's
               # records; sent back up, they would be counted again.
               "hub_balances", "hub_balance_count",
               # The society's settings as the office set them at the hub, where each change is a revision.
               "hub_settings",
               # Which of the board's decisions made at the office on this till's requests it has taken (the
               # decision itself is a share ledger entry, journalled).
               "hub_board_taken",
               # The web back office's sign-in (access/schema.py): passwords, codes and sessions belong to the
               # machine serving the web; outside the journal, they never travel to the hub or a till.
               "web_accounts", "web_codes", "web_sessions", "web_failures", "web_views",
               # Applications to join made on the web: not a member until paid at the till, whose register
               # entry is then the record; unpaid ones are erased after a few weeks.
               "web_applications",
               # Password resets by email: tokens for the web's own accounts, like its codes.
               "web_resets",
               # When each shelf label was last printed: what to offer for reprinting, not a record of the books.
               "label_prints")


def journalled_tables() -> set[str]:
    """Every table whose rows the journal chains, as a record of its own or as part of one."""
    return set(_TABLE.values()) | set(_PARTS) | records.tables()


def _select(db: Database, table: str, columns: list[str], where: str, params: list) -> list[list]:
    return [list(row) for row in db.execute(f"select {', '.join(columns)} from {table} where {where}", params)]


def content(db: Database, kind: str, ref_id: int, version: int | None = None) -> dict | None:
    """The record as the journal sees it (with `version`'s columns, the newest if not given), or None if
    it is not there (any more). For a record that changes in place, see core/records.py."""
    if kind == "sale":
        sale = _select(db, "sales", _SALE, "id = ?", [ref_id])
        if not sale:
            return None
        # Version 2 added when each donation and time credit was given; version 3 the stock the sale moved;
        # version 4 the weight of each weighed line.
        version = version or CURRENT["sale"]
        since_2 = ["at"] if version >= 2 else []
        found = {
            "sale": sale[0],
            "lines": _select(db, "sale_lines", _LINE if version >= 4 else _LINE[:-2], "sale_id = ? order by line_no, id",
                             [ref_id]),
            "tenders": _select(db, "tenders", _TENDER, "sale_id = ? order by id", [ref_id]),
            "donations": _select(db, "donations", ["id", "amount_pence"] + ["created_at"] * bool(since_2),
                                 "sale_id = ? order by id", [ref_id]),
            "credits": _select(db, "time_credit_spends", ["id", "volunteer_id", "credits", "amount_pence", "covered",
                                                          *since_2], "sale_id = ? order by id", [ref_id]),
        }
        if version >= 3:
            found["stock"] = _select(db, "stock_movements", _STOCK, "sale_id = ? order by id", [ref_id])
        return found
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


def digest(db: Database, kind: str, ref_id: int, version: int | None = None) -> str | None:
    """The record's digest as it is now (`version`'s columns, the newest if not given); None if it is not there."""
    if kind in records.CHANGING:
        return records.digests(db, kind, [ref_id]).get(ref_id)
    found = content(db, kind, ref_id, version)
    if found is None:
        return None
    return hashlib.sha256(json.dumps(found, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def link(prev_hash: str, kind: str, ref_id: int, record_digest: str, version: int = VERSION) -> str:
    """An entry's hash. `version` is the entry's content version: version 1 hashes as it always did."""
    return hashlib.sha256(f"{prev_hash}|{version}|{kind}|{ref_id}|{record_digest}".encode()).hexdigest()


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
    """Journal every record added since the last seal, and every record the till changed in place
    (core/records.py) whose digest is not its newest entry's. Runs inside the caller's transaction."""
    if not _has_journal(db):
        return 0
    pending = [(kind, ref_id, digest(db, kind, ref_id)) for kind, ref_id in
               _unsealed(db, everything=False, finished=finished)]
    pending += _changed(db, records.take_pending(db))
    return _append(db, at, pending)


def _append(db: Database, at: str, pending: list[tuple[str, int, str]]) -> int:
    if not pending:
        return 0
    head = db.execute("select hash from journal order by id desc limit 1").fetchone()
    prev = head[0] if head else GENESIS
    for kind, ref_id, record in pending:
        version = CURRENT.get(kind, 1)
        prev = link(prev, kind, ref_id, record, version)
        db.execute("insert into journal (at, kind, ref_id, version, digest, hash) values (?, ?, ?, ?, ?, ?)",
                   [at, kind, ref_id, version, record, prev])
    return len(pending)


def _changed(db: Database, noted: list[tuple[str, int]]) -> list[tuple[str, int, str]]:
    """The noted records' digests now, leaving out those their newest entry already has (a change
    that changed nothing)."""
    by_kind: dict[str, list[int]] = {}
    for kind, ref_id in noted:
        by_kind.setdefault(kind, []).append(ref_id)
    now: dict[tuple[str, int], str] = {}
    for kind, refs in by_kind.items():
        found = records.digests(db, kind, refs, make_salts=True)
        newest = dict(db.execute("select ref_id, digest from journal where id in (select max(id) from journal"
                                 " where kind = ? and ref_id in (select value from json_each(?)) group by ref_id)",
                                 [kind, json.dumps(refs)]).fetchall())
        for ref_id in refs:
            record = found.get(ref_id, records.REMOVED)
            if newest.get(ref_id) != record:
                now[kind, ref_id] = record
    return [(kind, ref_id, now[kind, ref_id]) for kind, ref_id in noted if (kind, ref_id) in now]


def adopt(db: Database, at: str) -> int:
    """Take into the journal the rows of kinds it has never covered (a database an older version made):
    one entry each. Run by an upgrade, inside its transaction; each kind once."""
    pending = []
    for kind in records.adoptable(db):
        journalled = {row[0] for row in db.execute("select distinct ref_id from journal where kind = ?", [kind])}
        found = records.digests(db, kind, make_salts=True)
        pending += [(kind, ref_id, found[ref_id]) for ref_id in sorted(found) if ref_id not in journalled]
        db.execute("insert into journal_adopted (kind, at) values (?, ?)", [kind, at])
    return _append(db, at, pending)


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
    if kind in records.CHANGING:
        return f"{records.CHANGING[kind].label} {ref_id}"
    return {"void": "voided basket", "cash": "cash movement", "share": "share ledger entry", "credit": "till credit entry",
            "dividend": "dividend run", "shift": "shift", "correction": "shift correction",
            "dividend_paid": "dividend payment"}[kind] + f" {ref_id}"


def verify(db: Database) -> list[Problem]:
    """Every problem found, the first one first; an empty list means the books are as recorded."""
    problems: list[Problem] = []
    prev = GENESIS
    newest: dict[str, dict[int, tuple[int, str]]] = {kind: {} for kind in records.CHANGING}
    for entry, kind, ref_id, version, recorded, chained in db.execute(
            "select id, kind, ref_id, version, digest, hash from journal order by id"):
        known = kind in records.CHANGING or kind in _TABLE
        if not known or chained != link(prev, kind, ref_id, recorded, version) or not 1 <= version <= CURRENT.get(kind, 1):
            problems.append(Problem(entry, f"journal entry {entry} ({_name(db, kind, ref_id) if known else kind}) was "
                                           "changed, or an entry before it was removed"))
        prev = chained
        if not known:
            continue
        if kind in records.CHANGING:
            newest[kind][ref_id] = (entry, recorded)  # only the newest is compared with the row now
            continue
        now = digest(db, kind, ref_id, version)
        if now is None:
            problems.append(Problem(entry, f"{_name(db, kind, ref_id)} (journal entry {entry}) was removed"))
        elif now != recorded:
            problems.append(Problem(entry, f"{_name(db, kind, ref_id)} (journal entry {entry}) was changed after it "
                                           "was recorded"))
    problems += _changing_problems(db, newest) + _loose_stock(db)
    for kind, ref_id in _unsealed(db, everything=True):
        problems.append(Problem(None, f"{_name(db, kind, ref_id)} is not in the journal: it was added outside the till"))
    problems.sort(key=lambda p: (p.entry is None, p.entry or 0))
    return problems


def _loose_stock(db: Database) -> list[Problem]:
    """Stock movements naming a sale whose journal record does not cover them (no such sale, or one sealed
    before a sale's record took in its stock): neither a sale nor the stock kind would see them."""
    if "sale_id" not in {row[1] for row in db.execute("pragma table_info(stock_movements)")}:
        return []
    rows = db.execute("select m.id, m.sale_id from stock_movements m where m.sale_id is not null and not exists"
                      " (select 1 from journal j where j.kind = 'sale' and j.ref_id = m.sale_id and j.version >= 3)"
                      " order by m.id").fetchall()
    return [Problem(None, f"stock movement {ref_id} names sale record {sale_id}, whose journal entry does not cover"
                          " it: it was added outside the till") for ref_id, sale_id in rows]


def _changing_problems(db: Database, newest: dict[str, dict[int, tuple[int, str]]]) -> list[Problem]:
    problems = []
    present = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    for kind, entries in newest.items():
        now = records.digests(db, kind) if records.CHANGING[kind].table in present else {}
        for ref_id, (entry, recorded) in entries.items():
            name = _name(db, kind, ref_id)
            if recorded == records.REMOVED:
                if ref_id in now:
                    problems.append(Problem(entry, f"{name} (journal entry {entry}) was deleted by the till, and is "
                                                   "back: it was put there outside the till"))
            elif ref_id not in now:
                problems.append(Problem(entry, f"{name} (journal entry {entry}) was removed"))
            elif now[ref_id] != recorded:
                problems.append(Problem(entry, f"{name} (journal entry {entry}) was changed after it was recorded"))
        for ref_id in sorted(set(now) - set(entries)):
            problems.append(Problem(None, f"{_name(db, kind, ref_id)} is not in the journal: it was added outside "
                                          "the till"))
    return problems


def head(db: Database) -> tuple[int, str] | None:
    """The newest entry (number, hash): printed on the Z report so the chain can be checked
    against paper too."""
    row = db.execute("select id, hash from journal order by id desc limit 1").fetchone()
    return (row[0], row[1]) if row else None


def global_key(db: Database, entry: int) -> str:
    """The entry's key across every till of a society: this database's node id, then its number."""
    from core.node import node_id

    return f"{node_id(db)}:{entry}"


@dataclass
class Entry:
    """One journal entry as another till or a hub takes it: by its global key."""

    key: str
    number: int
    at: str
    kind: str
    ref_id: int
    version: int
    digest: str
    hash: str


def entries_after(db: Database, number: int = 0, *, limit: int | None = None) -> list[Entry]:
    """The entries after entry `number`, oldest first (at most `limit`): every record the journal reaches,
    each by its global key, so a hub can take a till's journal as its outbox and ask for the rest later."""
    from core.node import node_id

    node = node_id(db)
    rows = db.execute("select id, at, kind, ref_id, version, digest, hash from journal where id > ? order by id"
                      + (" limit ?" if limit is not None else ""), [number] + ([limit] if limit is not None else []))
    return [Entry(f"{node}:{row[0]}", *row) for row in rows]
