"""The hub on the till screen: a few words on the top bar, and a warning at the Z, only when a hub is
configured. The worker pushes from its own thread; the screen never waits on it."""

from __future__ import annotations

import time

from hub.connect import write_credentials
from pos.tui.screens.cash_up import CashUpScreen
from tests.tui.conftest import BEANS, app_for, demo_shop, scan, sign_in


def unreachable(tmp_path):
    # A hub nobody answers at: port 9 on this machine refuses at once.
    return write_credentials(tmp_path / "hub-credentials", "host=127.0.0.1 port=9 dbname=hub user=till_x")


async def test_with_no_hub_the_top_bar_is_as_it_was(tmp_path):
    shop = demo_shop(tmp_path, hub={"credentials": tmp_path / "none"})
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222", float_amount="40")
        assert app.hub_worker is None
        assert "hub" not in str(app.screen.query_one("#title-bar").render())


async def test_an_unreachable_hub_shows_on_the_top_bar_and_selling_goes_on(tmp_path):
    shop = demo_shop(tmp_path, hub={"credentials": unreachable(tmp_path)})
    app = app_for(shop)
    async with app.run_test(size=(100, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222", float_amount="40")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        deadline = time.monotonic() + 10
        while app.hub_worker.rounds < 2 and time.monotonic() < deadline:
            app.hub_worker.poke()
            await pilot.pause(0.05)
        app.show_hub()
        await pilot.pause()
        bar = str(app.screen.query_one("#title-bar").render())
        waiting = shop.db.execute("select count(*) from journal").fetchone()[0]
        assert bar.endswith(f"· hub unreachable now · {waiting} waiting") and waiting > 0


async def test_a_shift_lead_is_warned_at_the_z_when_the_hub_has_been_unreachable_a_day(tmp_path):
    shop = demo_shop(tmp_path, hub={"credentials": unreachable(tmp_path), "push_every_seconds": 3600})
    shop.db.execute("update hub_marks set failing_since = '2026-01-01T09:00:00.000000Z', tried_at = "
                    "'2026-01-01T09:00:00.000000Z'")
    shop.db.conn.commit()
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222", float_amount="40")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, CashUpScreen)
        said = str(app.screen.query_one("#message").render())
        assert said.startswith("The hub has not been reached for ")
