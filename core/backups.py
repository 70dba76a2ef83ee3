"""Backups while the till runs (SQLite's online backup), a rotating set after each Z, and a
restore that checks the file before it replaces anything and keeps the current books aside.
Every backup's journal head goes into the folder's head log (core/witness.py), which rotation never
removes: the backups go, what they saw stays written down."""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.database import DatabaseError, backup, open_database
from core.errors import TillError

PREFIX = "till-"
#: Only the files this module names are ever rotated away: till-YYYYMMDD-HHMMSS.db.
_DATED = re.compile(r"^till-\d{8}-\d{6}\.db$")
#: A copy is made under this suffix and renamed when it has been checked.
PARTIAL = ".partial"
_SIDE_FILES = ("", "-journal", "-wal", "-shm")
#: What a dated backup cut off half-way leaves: till-YYYYMMDD-HHMMSS.db.partial (and -journal, -wal, -shm).
_LEFTOVER = re.compile(r"^till-\d{8}-\d{6}\.db\.partial(-journal|-wal|-shm)?$")
#: A half-made copy this old is a leftover, not a backup another till is making now.
STALE_PARTIAL_SECONDS = 3600


@dataclass
class BackupCheck:
    path: Path
    sales: int
    last_sale_at: str | None
    journal_entries: int


def _name(now: datetime) -> str:
    return f"{PREFIX}{now:%Y%m%d-%H%M%S}.db"


def make_backup(db: Database, destination: Path, *, now: datetime, warn: Callable[[str], None] | None = None) -> Path:
    """A consistent copy, safe while tills sell. `destination` is a file, or a folder to put
    a dated one in. The copy is checked before this returns. Its journal head is then added to the
    head log beside it (core/witness.py); if that cannot be written the backup still stands (it is a
    witness itself): the failure is logged and given to `warn` as a sentence."""
    destination = Path(destination).expanduser()
    if destination.is_dir() or not destination.suffix:
        destination.mkdir(parents=True, exist_ok=True)
        destination = destination / _name(now)
    if destination.exists():
        raise TillError(f"{destination} exists already; choose another name")
    partial = destination.with_name(destination.name + PARTIAL)
    try:
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            _remove_partial(partial)
            backup(db, partial)
            check_backup(partial)
            partial.rename(destination)
        except BaseException:  # whatever stopped it, nothing half made is left behind
            _remove_partial(partial)
            raise
    except OSError as error:
        raise TillError(f"the backup could not be written to {destination.parent}: {error.strerror}") from None
    except sqlite3.Error as error:
        raise TillError(f"the backup could not be made: {error}") from None
    from core.clock import stamp
    from core.witness import witness_backup

    failed = witness_backup(destination, stamp(now))
    if failed and warn:
        warn(failed)
    return destination


def _remove_partial(partial: Path) -> None:
    """A copy being made, and the files SQLite keeps beside it while it writes."""
    for suffix in _SIDE_FILES:
        with contextlib.suppress(OSError):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` dated backups in the folder, and what a backup that was cut off
    (the power went, the stick was pulled) left half made over an hour ago; returns what went."""
    folder = Path(folder)
    dated = sorted(p for p in folder.glob(f"{PREFIX}*.db") if p.is_file() and _DATED.match(p.name))
    gone = dated[:-keep] if len(dated) > keep else []
    for old in gone:
        old.unlink()
    stale = time.time() - STALE_PARTIAL_SECONDS  # younger ones may be another till's backup, still being made
    for leftover in sorted(folder.glob(f"{PREFIX}*.db{PARTIAL}*")):
        with contextlib.suppress(OSError):
            if _LEFTOVER.match(leftover.name) and leftover.is_file() and leftover.stat().st_mtime < stale:
                leftover.unlink()
                gone.append(leftover)
    return gone


def after_z(db: Database, folder: Path, keep: int, *, now: datetime) -> Path:
    path = make_backup(db, folder, now=now)
    rotate(folder, keep)
    return path


def check_backup(path: Path, migration_sets: Sequence[Migrations] = ()) -> BackupCheck:
    """Is this a sound Community Till database? Read only; raises TillError saying why not.
    Given this version's migration sets, a file made by a newer version is refused too."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise TillError(f"{path} is not a file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise TillError(f"{path} cannot be opened: {error}") from None
    try:
        integrity = [row[0] for row in conn.execute("pragma integrity_check")]
        if integrity != ["ok"]:
            raise TillError(f"{path} is damaged: {integrity[0]}")
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if not {"_sqlite_migrations", "sales", "members", "products"} <= tables:
            raise TillError(f"{path} is not a Community Till database")
        known = _known_migrations(migration_sets)
        applied = {(row[0], row[1]) for row in conn.execute("select migration_set, name from _sqlite_migrations")}
        newer = applied - known
        if migration_sets and newer:
            raise TillError(f"{path} was made by a newer version of the till ({sorted(newer)[0][1]}); "
                            "update the till first")
        sales, last = conn.execute("select count(*), max(created_at) from sales").fetchone()
        entries = conn.execute("select count(*) from journal").fetchone()[0] if "journal" in tables else 0
    except sqlite3.DatabaseError as error:
        raise TillError(f"{path} is not a database the till can read: {error}") from None
    finally:
        conn.close()
    return BackupCheck(path=path, sales=sales, last_sale_at=last, journal_entries=entries)


def _known_migrations(migration_sets: Sequence[Migrations]) -> set[tuple[str, str]]:
    empty = Database(memory=True)  # on an empty database every migration this version knows is pending
    return {(m.name, migration.name) for m in migration_sets for migration in m.pending(empty)}


def restore(source: Path, target: Path, *, now: datetime, migration_sets: Sequence[Migrations]) -> Path | None:
    """Replace the books at `target` with the backup `source`, after checking it; the current
    books are first copied aside (returned; None when there were none to keep). Uses SQLite's own backup, so a till that has the
    file open sees the restored books, never a half-written file."""
    source, target = Path(source).expanduser(), Path(target).expanduser()
    if source.resolve() == target.resolve():
        raise TillError("that is the database in use, not a backup")
    check_backup(source, migration_sets)
    aside = target.with_name(f"{target.name}.before-restore-{now:%Y%m%d-%H%M%S}")
    current = None
    if target.exists():
        try:
            current = open_database(target)
            backup(current, aside)
        except (TillError, sqlite3.Error):
            # The books are damaged (the usual reason to restore): keep the files aside as they are.
            if current is not None:
                current.close()
                current = None
            for suffix in ("", "-wal", "-shm"):
                damaged = target.with_name(target.name + suffix)
                if damaged.exists():
                    shutil.move(damaged, aside.with_name(aside.name + suffix))
    try:
        source_conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target_conn = current.conn if current is not None else sqlite3.connect(str(target))
            source_conn.backup(target_conn)
        finally:
            source_conn.close()
    except sqlite3.Error as error:
        raise DatabaseError(f"the restore did not happen: {error}; the books are as they were") from None
    finally:
        if current is not None:
            current.close()
    open_database(target, migration_sets).close()  # an older backup is upgraded to this version's tables now
    return aside if aside.exists() else None
