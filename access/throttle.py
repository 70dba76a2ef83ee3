"""Repeated failures: each name typed is slowed down, each address is locked out.

The two are apart on purpose. Locking an account would let anyone keep the treasurer out by failing
on purpose; so a name only makes the next try wait (a few seconds, a minute at most), while the
address doing the failing is shut out for a while. Someone guessing then gets 20 tries a quarter
of an hour from one address, and the treasurer, from their own, waits a minute at worst."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from core.clock import stamp
from core.database import transaction
from core.errors import TillError

#: Failures from one address within the window that lock it out until the window has passed.
ADDRESS_FAILURES = 20
ADDRESS_WINDOW = timedelta(minutes=15)
#: Failures on one name before each try must wait, doubling from one second up to the longest wait.
FREE_TRIES = 3
LONGEST_WAIT = timedelta(seconds=60)
#: Failures older than this are forgotten (and deleted as new ones come).
MEMORY = timedelta(days=1)


class TooManyTries(TillError):
    """Refused before the password is even looked at."""


def _count_since(db: Database, column: str, value: str, since: datetime) -> tuple[int, str | None]:
    return db.execute(f"select count(*), max(at) from web_failures where {column} = ? and at >= ?",
                      [value, stamp(since)]).fetchone()


def check(db: Database, *, address: str, login: str, now: datetime) -> None:
    """TooManyTries, saying how long to wait, if this address is locked out or this name must wait."""
    count, _ = _count_since(db, "address", address, now - ADDRESS_WINDOW)
    if count >= ADDRESS_FAILURES:
        minutes = int(ADDRESS_WINDOW.total_seconds() // 60)
        raise TooManyTries(f"Too many failed tries from this connection: try again in {minutes} minutes.")
    wait = account_wait(db, login, now)
    if wait:
        raise TooManyTries(f"Too many failed tries for this name: wait {wait} seconds and try again.")


def account_wait(db: Database, login: str, now: datetime) -> int:
    """Seconds still to wait before this name may be tried again (0: now)."""
    count, last = _count_since(db, "login", login, now - MEMORY)
    if count < FREE_TRIES or last is None:
        return 0
    wait = min(timedelta(seconds=2 ** (count - FREE_TRIES)), LONGEST_WAIT)
    left = datetime.fromisoformat(last.replace("Z", "+00:00")) + wait - now
    return max(0, int(left.total_seconds() + 0.999))


def failed(db: Database, *, address: str, login: str, now: datetime) -> None:
    """Note one failure (inside the caller's transaction), forgetting those past remembering."""
    db.execute("delete from web_failures where at < ?", [stamp(now - MEMORY)])
    db.execute("insert into web_failures (address, login, at) values (?, ?, ?)", [address, login, stamp(now)])


def counted(db: Database, *, address: str, login: str, now: datetime) -> int:
    """Check, then count this try as failed before it is looked at, under one write lock (TooManyTries, with
    nothing counted, if it must wait): tries sent all at once are counted one by one, so they get no more
    than tries sent one after another. The count's row, for `uncount` if the try turns out right."""
    with transaction(db):
        check(db, address=address, login=login, now=now)
        failed(db, address=address, login=login, now=now)
        return db.execute("select last_insert_rowid()").fetchone()[0]


def uncount(db: Database, row: int) -> None:
    """A try `counted` that turned out right is not a failure after all."""
    with transaction(db):
        db.execute("delete from web_failures where id = ?", [row])


def succeeded(db: Database, *, login: str) -> None:
    """The right password: the name's slow-down starts again (the address's count stays)."""
    db.execute("delete from web_failures where login = ?", [login])
