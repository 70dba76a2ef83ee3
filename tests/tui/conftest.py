"""Building a till app on a real database, and driving it by the keyboard, for the screen tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pos.config import Settings
from pos.database import open_database
from pos.demo_shop import create_shop, demo_barcode, give_demo_pins
from pos.shop import Shop
from pos.tui.app import TillApp, make_app
from tests.conftest import LONDON, FakeClock

BEANS = demo_barcode(9)      # Baked beans 415g, £0.95
MILK = demo_barcode(0)       # Semi-skimmed milk 2 pints, £1.45
BREAD = demo_barcode(10)     # White bread loaf, £1.30


def demo_shop(folder: Path, *, clock: FakeClock | None = None, empty: bool = False, **settings) -> Shop:
    settings = Settings(db=folder / "till.db", receipts_dir=folder / "receipts", **settings)
    db = open_database(settings.db)
    clock = clock or FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=LONDON))
    pins = {}
    if not empty:
        create_shop(db, at="2026-11-01T09:00:00.000000Z")
        pins = give_demo_pins(db)
    return Shop(settings=settings, db=db, clock=clock, demo_pins=pins)


def app_for(shop: Shop) -> TillApp:
    return make_app(shop)


async def type_text(pilot, text: str) -> None:
    for character in text:
        await pilot.press(character)


async def sign_in(pilot, name: str, pin: str, *, float_amount: str | None = "") -> None:
    """Type a name and PIN; if the till is closed, accept or type the float."""
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await pilot.pause()
    if float_amount is not None and pilot.app.shop.till.current_session() is None:
        if float_amount:
            await type_text(pilot, float_amount)  # the suggested float is selected, so typing replaces it
        await pilot.press("enter")
    await pilot.pause()


async def scan(pilot, code: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")


def count(shop, sql):
    return shop.db.execute(sql).fetchone()[0]
