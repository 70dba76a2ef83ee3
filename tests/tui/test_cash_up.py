"""Cashing up at the till: a blind count to the Z, and a till left open overnight."""

from __future__ import annotations

from pos.tui.screens.cash_up import CashUpScreen
from pos.tui.screens.sign_in import SignInScreen
from tests.tui.conftest import BEANS, app_for, demo_shop, scan, sign_in, type_text


async def test_blind_cash_up_to_z(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222", float_amount="40")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f10")
        assert isinstance(app.screen, CashUpScreen)
        assert "Expected" not in str(app.screen.query_one("#report").render())  # blind: nothing shown yet
        await pilot.press("f3")
        await type_text(pilot, "40.90")
        await pilot.press("enter")
        await pilot.pause()
        session = shop.db.execute("select counted_pence, z_number, closed_by from till_sessions").fetchone()
        assert session == (4090, 1, shop.volunteers.by_name("Priya Kell").id)
        shown = str(app.screen.query_one("#report").render())
        assert "Z REPORT" in shown and "-£0.05 (short)" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.volunteer is None


async def test_a_till_left_open_overnight_asks_for_the_z_first(tmp_path):
    from datetime import timedelta

    shop = demo_shop(tmp_path)
    lead = shop.volunteers.by_name("Priya Kell")
    shop.till.open_session(5000, operator_id=lead.id)
    shop.clock.moment += timedelta(days=1)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        assert isinstance(app.screen, CashUpScreen)
        assert "still open from 2026-11-20" in str(app.screen.query_one("#message").render())
        await pilot.press("f2")  # a volunteer's X report hides the cash figures: the count stays blind
        shown = str(app.screen.query_one("#report").render())
        assert "X REPORT" in shown and "Expected" not in shown and "TENDERS" not in shown
