"""A year and a bit of simulated demo trade (pos/demo_trade.py), built once per test run and shared by the
VAT return's, the year end's and the accounts export's tests: simulating it takes half a minute. Tests read
it, never change it."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from tests.conftest import LONDON

UNTIL = date(2026, 11, 19)
DAYS = 400  # from 16/10/2025: a whole year before the year end below, with members who joined before it
YEAR_ENDING = date(2026, 10, 31)


@functools.cache
def demo_year(folder: Path) -> Path:
    from pos.database import open_database
    from pos.demo_shop import give_demo_pins
    from pos.demo_trade import simulate

    path = folder / "year.db"
    db = open_database(path)
    simulate(db, days=DAYS, seed=19, until=UNTIL, till_id="till-1", zone=LONDON)
    give_demo_pins(db)
    db.close()
    return path


def year_path(tmp_path_factory) -> Path:
    """The shared database's path, made on first use (the pytest base folder lives for the whole run)."""
    return demo_year(tmp_path_factory.getbasetemp())
