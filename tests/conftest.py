"""Every test gets its own database, settings and data folders: a developer's own files never count."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.clock import SimulatedClock, stamp
from inventory.products import Catalogue, ProductDetails, VatClass
from pos.database import open_database
from pos.till import Till
from volunteers.people import Role, Volunteers

LONDON = ZoneInfo("Europe/London")
#: The last trading day of the command-line tests' demo shop.
DEMO_UNTIL = "2026-11-19"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    isolate(monkeypatch, home)
    return home


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No TILL_ settings and a made-up home: for fixtures wider than one test, which the autouse one misses."""
    for name in list(__import__("os").environ):
        if name.startswith("TILL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    # The member card key: the data folder above unless a test names one (never an earlier test's).
    monkeypatch.setattr("coop.cards._key_file", None)


class FakeClock(SimulatedClock):
    """A clock the test moves by hand."""

    def set(self, text: str) -> None:
        self.moment = datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "till.db"


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=LONDON))


@pytest.fixture
def staff(db):
    volunteers = Volunteers(db)
    at = stamp(datetime(2026, 1, 1, tzinfo=LONDON))
    return {
        "manager": volunteers.add("Morgan Test", Role.manager, at=at),
        "volunteer": volunteers.add("Val Test", Role.volunteer, at=at),
    }


def make_products(db) -> dict:
    """A small catalogue: barcoded shop goods, café items with short codes, a pass-through."""
    catalogue = Catalogue(db)
    at = stamp(datetime(2026, 1, 1, tzinfo=LONDON))
    add = catalogue.add
    return {
        "milk": add(ProductDetails(name="Milk 2 pints", category="Dairy", vat_class=VatClass.zero,
                                   healthy_start=True), price_pence=145, at=at, barcodes=["5000000000012"]),
        "beans": add(ProductDetails(name="Baked beans", category="Cupboard", vat_class=VatClass.zero),
                     price_pence=95, at=at, barcodes=["5000000000029"]),
        "crisps": add(ProductDetails(name="Crisps", category="Treats", vat_class=VatClass.standard),
                      price_pence=80, at=at, barcodes=["96385074"]),
        "tea": add(ProductDetails(name="Tea", category="Hot drinks", vat_class=VatClass.standard,
                                  served_hot=True, catering=True, stock_tracked=False),
                   price_pence=120, at=at, codes=["T1"]),
        "cake": add(ProductDetails(name="Slice of cake", category="Cakes", vat_class=VatClass.zero,
                                   catering=True, stock_tracked=False),
                    price_pence=180, at=at, codes=["K2"]),
        "stamp": add(ProductDetails(name="First class stamp", category="Services", vat_class=VatClass.exempt,
                                    pass_through=True, stock_tracked=False),
                     price_pence=165, at=at, codes=["STAMP"]),
    }


@pytest.fixture
def products(db):
    return make_products(db)


@pytest.fixture
def till(db, clock, staff, products) -> Till:
    """An open till with a £50 float, on a Friday morning."""
    t = Till(db, till_id="till-1", clock=clock, zone=LONDON)
    t.open_session(5000, operator_id=staff["manager"].id)
    return t


@pytest.fixture(scope="session")
def demo_shop(tmp_path_factory):
    """One three-day demo shop for every command-line test: setting the demo PINs (scrypt) is too slow
    to repeat per test or per module. Tests never change it; they get their own copy (demo_db)."""
    from pos.cli import main

    folder = tmp_path_factory.mktemp("demo-shop")
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, folder / "home")
        assert main(["--db", str(folder / "demo.db"), "demo-data", "--days", "3", "--seed", "5",
                     "--until", DEMO_UNTIL]) == 0
    return folder / "demo.db"


@pytest.fixture
def demo_db(demo_shop, tmp_path):
    """Each test's own copy of the demo shop, to change as it likes."""
    import sqlite3
    from contextlib import closing

    path = tmp_path / "demo.db"
    with closing(sqlite3.connect(demo_shop)) as shop, closing(sqlite3.connect(path)) as copy:
        shop.backup(copy)
    return path
