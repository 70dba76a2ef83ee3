"""The till screen's push worker: a background thread with its own SQLite connection (never the
screen's), so selling never waits on the hub, which may be unreachable for days."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from core.clock import stamp, system_clock

#: Seconds between pushes when nothing new asks for one sooner.
EVERY = 30.0


def sync_once(db_path: Path, credentials: Path, *, clock: Callable[[], datetime] = system_clock, db=None,
              keep: dict | None = None):
    """One push from the database at `db_path` (or the open `db`), then a pull of the society's shared
    records (hub/pull.py), its outcome kept in the till's marks:
    the Pushed, or None when no hub is configured or it could not be reached (said in the marks).
    With `keep` (a dict), the connection is kept there for the next round instead of closed."""
    import psycopg

    from core.database import open_database
    from hub import HubError, local
    from hub.connect import connect, read_credentials
    from hub.pull import pull
    from hub.push import push
    from hub.sealed import key_path

    own, once = db is None, keep is None
    db = open_database(db_path, create=False) if own else db
    keep = {} if once else keep
    try:
        try:
            conn = keep.get("conn")
            if conn is None or conn.closed:
                conninfo = read_credentials(credentials)
                if conninfo is None:
                    return None
                conn = keep["conn"] = connect(conninfo)
            pushed = push(db, conn, at=stamp(clock()))
            # After the push: the hub's answer includes this till's changes.
            pull(db, conn, at=stamp(clock()), office_key=key_path(credentials))
            return pushed
        except (HubError, psycopg.Error, OSError) as error:
            if keep.get("conn") is not None:
                keep.pop("conn").close()
            local.failed(db, stamp(clock()), str(error).strip().splitlines()[0] if str(error).strip() else
                         type(error).__name__)
            return None
    finally:
        if once and keep.get("conn") is not None:
            keep["conn"].close()
        if own:
            db.close()


class PushWorker:
    """Pushes every `every` seconds, and soon after `poke()` (a sale just made), until `stop()`."""

    def __init__(self, db_path: Path, credentials: Path, *, every: float = EVERY,
                 clock: Callable[[], datetime] = system_clock):
        self.db_path, self.credentials, self.every, self.clock = Path(db_path), Path(credentials), every, clock
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-push", daemon=True)
        self.rounds = 0

    def start(self) -> PushWorker:
        self._thread.start()
        return self

    def poke(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        from core.database import open_database

        db = open_database(self.db_path, create=False)  # its own connection, in its own thread
        # It writes only the hub's mark, which may lag safely (a record sent twice is taken once): no
        # fsync of its own; the next sale's commit makes it durable with the rest.
        db.execute("pragma synchronous = normal")
        keep: dict = {}  # one hub connection kept from round to round, made again after a failure
        try:
            while not self._stopping.is_set():
                try:
                    sync_once(self.db_path, self.credentials, clock=self.clock, db=db, keep=keep)
                except Exception:  # noqa: BLE001 - a fault here must never reach the screen; it is logged
                    from core.crash_log import log_unexpected

                    log_unexpected()
                self.rounds += 1
                self._wake.wait(self.every)
                self._wake.clear()
        finally:
            if keep.get("conn") is not None:
                keep["conn"].close()
            db.close()
