"""Witnesses to the journal: heads (entry number and hash) written down where an edit cannot reach them all.

The journal's chain has no key: anyone with the database file and this code can change a record,
recompute its digest and link every entry after it again, and `core.journal.verify` passes. What they
cannot redo is a head that was written down somewhere else before the change: that entry is still
expected, with that hash. So an edit is caught unless it comes after the newest witness.

- A seal per Z, in the database (`z_seals`), in the Z's own transaction: a Z's entries cut off or
  rewritten without its seal are caught, and a Z closed outside the till has none. Whoever rewrites the
  chain can rewrite the seals too; they are the weakest witness, and the one always there.
- The head log in the backup folder (`journal-heads.jsonl`): a line for every Z and every backup,
  appended and flushed to the disk (a USB stick's folder is the usual place). A Z whose line cannot
  be written is still done: it is said, and logged.
- The backups in that folder: each one's journal must be where the live one starts.

Each database has its own node id (core/node.py): a line or a backup from another database is said
and not checked. The paper Z (its printed reference, `till verify --expect`) is a witness too.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from core.journal import Problem, head

HEAD_LOG = "journal-heads.jsonl"
_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Head:
    """A journal head written down: which database (node), the entry and its hash, when and why."""

    node: str
    entry: int
    hash: str
    at: str
    why: str

    def line(self) -> str:
        return json.dumps({"node": self.node, "entry": self.entry, "hash": self.hash, "at": self.at,
                           "why": self.why}, ensure_ascii=False, separators=(",", ":")) + "\n"


# The seals in the database ---------------------------------------------------------------------------------


def record_seal(db: Database, *, session_id: int, till_id: str, z_number: int, at: str) -> tuple[int, str]:
    """Inside the Z's transaction, once the journal has sealed it: the newest entry is the Z's seal."""
    newest = head(db)
    if newest is None:  # the Z itself was just journalled, so this is a fault, not a state
        raise RuntimeError("a Z was sealed with an empty journal")
    db.execute("insert into z_seals (session_id, till_id, z_number, entry, hash, at) values (?, ?, ?, ?, ?, ?)",
               [session_id, till_id, z_number, *newest, at])
    return newest


def newest_seal(db: Database, till_id: str) -> Head | None:
    """This till's latest Z as a head to write down."""
    from core.node import node_id

    row = db.execute("select z_number, entry, hash, at from z_seals where till_id = ? order by z_number desc"
                     " limit 1", [till_id]).fetchone()
    if row is None:
        return None
    return Head(node=node_id(db), entry=row[1], hash=row[2], at=row[3], why=f"Z {row[0]} of {till_id}")


def check_seals(db: Database) -> list[Problem]:
    """Every Z's seal still names its entry with its hash, and every closed session has a seal."""
    if db.execute("select 1 from sqlite_master where name = 'z_seals'").fetchone() is None:
        return []  # a file from before seals, not upgraded: nothing to check
    problems = []
    for z_number, till_id, entry, sealed, now in db.execute(
            "select s.z_number, s.till_id, s.entry, s.hash, j.hash from z_seals s"
            " left join journal j on j.id = s.entry order by s.entry"):
        if now is None:
            problems.append(Problem(entry, f"journal entry #{entry}, the seal of Z report {z_number} of {till_id}, "
                                           "is missing: the journal was cut short"))
        elif now != sealed:
            problems.append(Problem(entry, f"journal entry #{entry}, the seal of Z report {z_number} of {till_id}, "
                                           f"is different (sealed {sealed[:12]}, now {now[:12]}): the journal "
                                           "was rewritten"))
    for till_id, z_number in db.execute(
            "select t.till_id, t.z_number from till_sessions t left join z_seals s on s.session_id = t.id"
            " where t.closed_at is not null and s.session_id is null order by t.id"):
        problems.append(Problem(None, f"Z report {z_number} of {till_id} has no seal: it was closed outside the "
                                      "till, or its seal was removed"))
    return problems


# The head log ------------------------------------------------------------------------------------------------


def append_head(folder: Path, written: Head) -> Path:
    """One line added to the folder's head log in a single write, on the disk before this returns
    (tills sharing a folder append whole lines). Raises OSError if it cannot be written."""
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / HEAD_LOG
    new = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, written.line().encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if new:  # the file's name in the folder must reach the disk too
        _sync_folder(folder)
    return path


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a system that cannot open a folder cannot sync one either
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def witness_z(db: Database, folder: Path, till_id: str) -> str | None:
    """After a Z has committed: its seal into the head log. Never raises: a head that cannot be written
    is logged and returned as a sentence to show, like a receipt the printer refused; the Z is done."""
    try:
        seal = newest_seal(db, till_id)
    except sqlite3.Error as error:
        return _failed(Path(folder).expanduser() / HEAD_LOG, "the journal's head for the Z", error)
    if seal is None:
        return None
    return _written(folder, seal, f"the journal's head for {seal.why}")


def witness_backup(backup: Path, at: str) -> str | None:
    """After a backup is made: its own journal head, into the head log beside it. Never raises (the
    backup file is a witness itself): a failure is logged and returned as a sentence."""
    try:
        found = _file_head(backup)
    except (OSError, sqlite3.Error) as error:
        return _failed(backup.parent / HEAD_LOG, f"the journal's head for the backup {backup.name}", error)
    if found is None or found[0] is None:
        return None  # an empty journal, or a file from before node ids: nothing to write down
    node, (entry, hashed) = found
    return _written(backup.parent, Head(node=node, entry=entry, hash=hashed, at=at, why=f"backup {backup.name}"),
                    f"the journal's head for the backup {backup.name}")


def _written(folder: Path, written: Head, what: str) -> str | None:
    try:
        append_head(folder, written)
    except OSError as error:
        return _failed(Path(folder).expanduser() / HEAD_LOG, what, error)
    return None


def _failed(path: Path, what: str, error: BaseException) -> str:
    from core.crash_log import log_unexpected

    log_unexpected(error)
    why = getattr(error, "strerror", None) or str(error)
    return f"{what} could not be written to {path} ({why})"


def _file_head(path: Path) -> tuple[str | None, tuple[int, str]] | None:
    """A database file's node id (None before node ids) and journal head, read only; None: no entries."""
    conn = _read_only(path)
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if "journal" not in tables:
            return None
        row = conn.execute("select id, hash from journal order by id desc limit 1").fetchone()
        if row is None:
            return None
        node = conn.execute("select id from node").fetchone() if "node" in tables else None
        return (node[0] if node else None), (row[0], row[1])
    finally:
        conn.close()


def _read_only(path: Path) -> sqlite3.Connection:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A file left in WAL mode on a write-protected stick: nothing can change it there.
        conn = sqlite3.connect(f"{uri}&immutable=1", uri=True)
        conn.execute("select count(*) from sqlite_master").fetchone()
    return conn


# Checking ----------------------------------------------------------------------------------------------------


@dataclass
class WitnessCheck:
    """What `check_folder` found: the problems (the oldest witness first), what was checked, what not."""

    folder: Path
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0
    backups: int = 0
    #: The newest witness that was checked, as 'Z 12 of till-1 (#683)'.
    newest: str | None = None
    #: Plain sentences about witnesses that were not checked, and why.
    notes: list[str] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return self.lines + self.backups


@dataclass
class _Witnesses:
    """What the folder held before the books were looked at: so a witness is never newer than the books."""

    lines: list[tuple[int, str]]
    backups: list[Path]


def _gather(folder: Path, live: Path | None) -> _Witnesses:
    log = folder / HEAD_LOG
    lines = []
    if log.is_file():
        text = log.read_text(encoding="utf-8", errors="replace")
        lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    backups = sorted(p for p in folder.glob("*.db") if p.is_file()
                     and (live is None or p.resolve() != live.resolve()))
    return _Witnesses(lines, backups)


def check_file_against(path: Path, folder: Path) -> WitnessCheck:
    """The database at `path`, opened read only, against every witness in `folder` (see check_folder)."""
    path, folder = Path(path).expanduser(), Path(folder).expanduser()
    found = _gather(folder, path)
    conn = _read_only(path)
    try:
        conn.execute("begin")  # one moment of the books, after the witnesses were gathered
        return _check(Database(conn), folder, found)
    finally:
        conn.close()


def check_folder(db: Database, folder: Path) -> WitnessCheck:
    """The books against every witness in `folder`: each head log line's entry must still be there with
    its hash (missing: the journal was cut short; different: rewritten), and each backup's journal must be
    where the books' journal starts (the same entries with the same hashes)."""
    folder = Path(folder).expanduser()
    return _check(db, folder, _gather(folder, None))


def _check(db: Database, folder: Path, found: _Witnesses) -> WitnessCheck:
    result = WitnessCheck(folder=folder)
    try:
        node = db.execute("select id from node").fetchone()[0]
    except (sqlite3.OperationalError, TypeError):
        result.notes.append("these books have no node id yet (made by an older version), so no witness "
                            "could be matched to them")
        return result
    newest: tuple[int, str] | None = None
    #: (the witness's own entry, what it found): the oldest witness that disagrees is said first.
    disagree: list[tuple[int, Problem]] = []
    others, unreadable = 0, []
    for number, text in found.lines:
        written = _parse(text)
        if written is None:
            unreadable.append(number)
            continue
        if written.node != node:
            others += 1
            continue
        result.lines += 1
        name = f"{HEAD_LOG} line {number} ({written.why})"
        problem = _against(db, name, written.entry, written.hash)
        if problem:
            disagree.append((written.entry, problem))
        elif newest is None or written.entry >= newest[0]:
            newest = (written.entry, f"{written.why} (#{written.entry})")
    if others:
        result.notes.append(f"{others} line{'s' if others != 1 else ''} of {HEAD_LOG} came from another "
                            "database (another node id) and were not checked")
    if unreadable:
        result.notes.append(f"{HEAD_LOG} line{'s' if len(unreadable) != 1 else ''} "
                            f"{', '.join(map(str, unreadable))} could not be read and "
                            f"{'were' if len(unreadable) != 1 else 'was'} not checked")
    for backup in found.backups:
        newest = _check_backup(db, node, backup, result, newest, disagree)
    result.newest = newest[1] if newest else None
    result.problems = [problem for _, problem in sorted(disagree, key=lambda found: found[0])]
    return result


def _parse(text: str) -> Head | None:
    try:
        data = json.loads(text)
        written = Head(node=str(data["node"]), entry=data["entry"], hash=data["hash"], at=str(data.get("at", "")),
                       why=str(data.get("why", "")))
    except (ValueError, TypeError, KeyError):
        return None
    if type(written.entry) is not int or not isinstance(written.hash, str) or not _HASH.fullmatch(written.hash):
        return None
    return written


def _against(db: Database, name: str, entry: int, expected: str) -> Problem | None:
    row = db.execute("select hash from journal where id = ?", [entry]).fetchone()
    if row is None:
        return Problem(entry, f"{name} saw journal entry #{entry}, which is no longer there: the journal was "
                              "cut short")
    if row[0] != expected:
        return Problem(entry, f"{name} saw journal entry #{entry} as {expected[:12]}, and it is {row[0][:12]} "
                              f"now: the journal has been rewritten since, at or before entry #{entry}")
    return None


def _check_backup(db: Database, node: str, backup: Path, result: WitnessCheck, newest: tuple[int, str] | None,
                  disagree: list[tuple[int, Problem]]) -> tuple[int, str] | None:
    try:
        conn = _read_only(backup)
    except sqlite3.Error:
        result.notes.append(f"{backup.name} is not a database the till can read, and was not checked")
        return newest
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if "journal" not in tables:
            result.notes.append(f"{backup.name} has no journal, and was not checked")
            return newest
        theirs = (conn.execute("select id from node").fetchone() or [None])[0] if "node" in tables else None
        if theirs is None:  # whose it is cannot be told, and another shop's would cry wolf
            result.notes.append(f"the backup {backup.name} was made by an older version (it has no node id), and "
                                "was not checked")
            return newest
        if theirs != node:
            result.notes.append(f"the backup {backup.name} is another database's (another node id), and was not "
                                "checked")
            return newest
        last = conn.execute("select id, hash from journal order by id desc limit 1").fetchone()
        result.backups += 1
        if last is None:
            return newest
        name = f"the backup {backup.name}"
        problem = _against(db, name, *last)
        if problem is not None:
            disagree.append((last[0], _first_difference(db, conn, name, last[0]) or problem))
            return newest
        if newest is None or last[0] >= newest[0]:
            return (last[0], f"{name} (#{last[0]})")
        return newest
    except sqlite3.DatabaseError:
        result.notes.append(f"{backup.name} is not a database the till can read, and was not checked")
        return newest
    finally:
        conn.close()


def _first_difference(db: Database, backup: sqlite3.Connection, name: str, last: int) -> Problem | None:
    """Where a backup's journal and the books' part: both read in order, side by side."""
    live: Iterator = iter(db.execute("select id, hash from journal where id <= ? order by id", [last]))
    for entry, kept in backup.execute("select id, hash from journal order by id"):
        now = next(live, None)
        if now is None or now[0] != entry:
            return Problem(entry, f"{name} has journal entry #{entry}, which is no longer there: the journal was "
                                  "cut short or entries were removed")
        if now[1] != kept:
            return Problem(entry, f"{name} has journal entry #{entry} as {kept[:12]}, and it is {now[1][:12]} "
                                  f"now: the journal was rewritten from entry #{entry}")
    return None
