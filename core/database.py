"""Opening the one database file: pragmas, upgrades (with a backup first) and write transactions.

The foundation knows how to apply migration sets, not which there are: the shop that assembles the
packages hands them over (pos.database), so this module imports none of them."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.errors import TillError

#: How long a write waits for another till to finish before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000


class DatabaseError(TillError):
    """The database file cannot be opened or written."""


class NoDatabase(DatabaseError):
    """There is no till database where one was expected."""


class NewerDatabase(DatabaseError):
    """The database was made by a newer version of the till: this one must not write to it."""


#: Said when this version is asked to write to a database a newer version made.
NEWER = ("This database was made by a newer version of Community Till, so this one only reads it "
         "(reports, exports and checks) and changes nothing; install the newer version on this till to sell")

#: Said when SQLite finds the file itself broken ("database disk image is malformed").
DAMAGED = "The database file is damaged; restore the last good backup with `till restore FILE`"


def open_database(path: Path | str, migration_sets: Sequence[Migrations] = (), *, create: bool = True,
                  read_newer: bool = False) -> Database:
    """Open (creating if need be) a till database, upgraded by `migration_sets`, in their order.

    With `create=False` the database must already exist (NoDatabase otherwise), and
    nothing is made: not the file, not its folder.

    Before a database made by an older version is upgraded, a copy of it is
    written beside it (`till.db.before-upgrade-YYYYMMDD-HHMMSS`).

    A database that a newer version has upgraded (it records migrations none of `migration_sets`
    has) is refused with NewerDatabase: selling on tables this version does not understand would
    write rows the newer one cannot trust. With `read_newer`, it is opened read only instead (for
    reports, exports and checks): every write transaction is then refused with NEWER.
    """
    path = Path(path).expanduser()
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        else:
            conn = _connect_existing(path)
        db = TillDatabase(conn)
        db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("pragma journal_mode = wal")
        db.execute("pragma synchronous = full")
        db.execute("pragma foreign_keys = on")
        if migration_sets and _newer(db, migration_sets):
            if not read_newer:
                db.close()
                raise NewerDatabase(f"{NEWER} ({path})")
            db.execute("pragma query_only = on")
        elif migration_sets:
            _upgrade(db, path, migration_sets)
        if not is_read_only(db):
            from core.records import watch

            watch(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"The database {path} cannot be used: {plain(error)}") from None
    except OSError as error:
        raise DatabaseError(f"The database {path} cannot be opened: {error.strerror}") from None
    return db


def _connect_existing(path: Path) -> sqlite3.Connection:
    missing = NoDatabase(f"there is no till database at {path}")
    try:
        # mode=rw: SQLite opens the file only if it is there, and makes neither it nor its folder.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.OperationalError:
        if path.exists():
            raise  # there is a file, but SQLite cannot open it: say that, not "there is none"
        raise missing from None
    try:
        # An empty file has no books in it; the migrations would turn it into a new database.
        empty = conn.execute("select count(*) from sqlite_master").fetchone()[0] == 0
    except sqlite3.DatabaseError:
        conn.close()
        raise
    if empty:
        conn.close()
        raise missing
    return conn


def _newer(db: Database, sets: Sequence[Migrations]) -> list[str]:
    """The migrations this database records that none of `sets` knows: a newer version applied them."""
    if "_sqlite_migrations" not in db.table_names():
        return []
    known = {(m.name, migration.name) for m in sets for migration in m._migrations}
    rows = db.execute("select migration_set, name from _sqlite_migrations").fetchall()
    return [f"{set_name}.{name}" for set_name, name in rows if (set_name, name) not in known]


def is_read_only(db: Database) -> bool:
    """Whether the database was opened only to read (see `open_database`'s read_newer)."""
    return bool(db.execute("pragma query_only").fetchone()[0])


def plain(error: sqlite3.Error) -> str:
    """SQLite's own words for a few failures, said in the till's."""
    text = str(error)
    if "malformed" in text or "not a database" in text:
        return DAMAGED
    if "readonly" in text:
        return NEWER
    return text


def _upgrade(db: Database, path: Path, sets: Sequence[Migrations]) -> None:
    tables = set(db.table_names())
    if tables and "_sqlite_migrations" not in tables:
        raise DatabaseError(f"{path} is not a Community Till database; nothing was changed")
    pending = [m for m in sets if m.pending(db)]
    if not pending:
        return
    if any(m.applied(db) for m in sets):
        backup(db, path.with_name(f"{path.name}.before-upgrade-{datetime.now():%Y%m%d-%H%M%S}"))
    # BEGIN IMMEDIATE: two tills opening a new file at once must not both create tables.
    with transaction(db):
        for migrations in sets:
            migrations.apply(db)
        _adopt(db)


def _adopt(db: Database) -> None:
    """Rows of kinds the journal did not cover before this upgrade get their first entry."""
    from core.clock import stamp, system_clock
    from core.journal import adopt

    adopt(db, stamp(system_clock()))


def _seal(db: Database) -> None:
    """Chain whatever this transaction recorded into the journal before it commits."""
    from core.clock import stamp, system_clock
    from core.journal import seal

    try:
        seal(db, stamp(system_clock()))
    except BaseException:
        db.conn.execute("rollback")
        raise


def backup(db: Database, destination: Path) -> Path:
    """A consistent copy through SQLite's online backup, safe while tills are selling."""
    target = sqlite3.connect(str(destination))
    try:
        with target:
            db.conn.backup(target)
        # The copy inherits WAL mode, so whoever opened it next (our own check, even read only) would leave
        # -wal and -shm files beside it; a copy on a USB stick should be one file that stands alone.
        target.execute("pragma journal_mode = delete")
    finally:
        target.close()
    return destination


class TillDatabase(Database):
    """A database opened by `open_database`: a write with sqlite-utils' atomic() that is not inside a
    transaction commits through `transaction` as well, so the journal seals it (core.journal.seal)."""

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
        else:
            with transaction(self):
                yield self


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """A write transaction that takes the write lock up front (BEGIN IMMEDIATE).

    Taking the lock first means a second till waits its turn (up to the busy
    timeout) instead of failing half-way. Inside another transaction this is
    a savepoint, so a day of demo trade can be one commit.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    if is_read_only(db):
        raise NewerDatabase(NEWER)
    try:
        db.execute("begin immediate")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseError(
                "Another till is busy writing to the database; please try again in a moment"
            ) from None
        raise
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("rollback")
        raise
    else:
        _seal(db)
        db.conn.execute("commit")
