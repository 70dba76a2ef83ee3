"""Saving the basket being rung up, off the till screen's way.

The open basket is saved after every change, so a crash or a power cut loses at most the last
keystroke. The save ends in an fsync (synchronous = full), slow on an SD card; done on the
screen's own thread, a scan that came straight after waited for the one before it to reach the
disk. So the screen hands the basket over here, and a thread of our own writes it, with a
database connection of its own.

- Merged: while one save is being written, only the newest basket handed over waits; older ones
  are dropped unwritten (the newest has all they had).
- In order: one save at a time, each newer than the last, so an older basket never overwrites a
  newer one.
- Settled before anything else touches the open basket: completing, voiding or parking the sale
  (which forget it in their own transaction) or a save that must be on disk at once (money taken)
  first call `cancel()`, which drops what waits and lets a save already being written finish.
  A basket from before the sale was finished can never be written after it and come back as open.

The thread runs only while there is something to write (so a till that quits waits for its last
save, and an idle till has no thread); the connection stays open between saves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from core.database import Database, open_database, transaction


def write_open_basket(db: Database, till_id: str, basket_json: str | None, operator_id: int, at: str) -> None:
    """Save the open basket's JSON for the till (None: there is none, forget it)."""
    with transaction(db):
        if basket_json is None:
            db.execute("delete from open_baskets where till_id = ?", [till_id])
        else:
            db.execute(
                "insert into open_baskets (till_id, operator_id, basket_json, updated_at) values (?, ?, ?, ?)"
                " on conflict (till_id) do update set operator_id = excluded.operator_id,"
                " basket_json = excluded.basket_json, updated_at = excluded.updated_at",
                [till_id, operator_id, basket_json, at],
            )


class BasketSaver:
    """Writes the newest basket handed over, in a thread of its own, for one till on one file."""

    def __init__(self, path: Path | str, till_id: str, *,
                 write: Callable[[Database, str, str | None, int, str], None] = write_open_basket) -> None:
        self.path = Path(path)
        self.till_id = till_id
        self._write = write
        self._lock = threading.Condition()
        #: The newest basket waiting: (its JSON or None for empty, operator id, time stamp).
        self._waiting: tuple[str | None, int, str] | None = None
        self._thread: threading.Thread | None = None
        self._db: Database | None = None
        self._failure: BaseException | None = None
        #: How many saves were written and how many dropped for a newer one (for the tests).
        self.written = 0
        self.merged = 0

    def keep(self, basket_json: str | None, *, operator_id: int, at: str) -> BaseException | None:
        """Hand over the basket as it is now (its JSON, None when empty); returns at once. Returns
        what went wrong with an earlier save since the last call, if anything did."""
        with self._lock:
            if self._waiting is not None:
                self.merged += 1
            self._waiting = (basket_json, operator_id, at)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"basket-saver-{self.till_id}")
                self._thread.start()
            failure, self._failure = self._failure, None
        return failure

    def cancel(self) -> None:
        """Drop what is waiting, and wait for a save being written to finish."""
        with self._lock:
            if self._waiting is not None:
                self.merged += 1
            self._waiting = None
            self._lock.wait_for(lambda: self._thread is None)

    def flush(self) -> None:
        """Wait until everything handed over is written."""
        with self._lock:
            self._lock.wait_for(lambda: self._thread is None)

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._waiting = self._waiting, None
                if job is None:
                    self._thread = None
                    self._lock.notify_all()
                    return
            try:
                if self._db is None:
                    self._db = open_database(self.path, create=False)
                self._write(self._db, self.till_id, *job)
                self.written += 1
            except Exception as error:  # said by the screen at the next save, never printed here
                with self._lock:
                    self._failure = error
