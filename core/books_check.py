"""Checking the books: a database's integrity, its journal's chain (`core.journal.verify`), each Z's seal and
the journal references printed on Zs, on the open database or on a file opened read only (a backup on a
write-protected stick). What `till verify` and the restore checks call."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.journal import Problem, adopt, head, verify


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
    from core.witness import check_seals

    problems = verify(db) + check_seals(db)  # each Z's seal, kept beside the journal
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
    from core.clock import stamp, system_clock

    adopt(db, stamp(system_clock()))  # as the upgrade itself would
    return db
