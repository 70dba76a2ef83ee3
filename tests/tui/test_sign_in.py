"""Signing in at the till: a wrong or empty PIN, and the first run's setup."""

from __future__ import annotations

from pos.tui.modals.approval import ApprovalModal
from pos.tui.screens.selling import SellingScreen
from pos.tui.screens.setup import SetupScreen
from pos.tui.screens.sign_in import SignInScreen
from tests.tui.conftest import app_for, count, demo_shop, sign_in, type_text


async def test_wrong_pin_is_refused_with_a_message(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "9999", float_amount=None)
        assert isinstance(app.screen, SignInScreen)
        assert "not right" in str(app.screen.query_one("#sign-in-error").render())
        assert count(shop, "select count(*) from shifts") == 0


async def test_enter_on_an_empty_pin_asks_for_it_and_uses_no_try(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "Jo")
        await pilot.press("enter")
        for _ in range(6):  # more than the five wrong PINs that lock someone out
            await pilot.press("enter")
        assert "Type the PIN" in str(app.screen.query_one("#sign-in-error").render())
        await type_text(pilot, "3333")  # and Jo's PIN still works
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the suggested float
        await pilot.pause()
        assert isinstance(app.screen, SellingScreen)
        await pilot.press("f11")  # the drawer with no sale: a lead approves
        await pilot.pause()
        assert isinstance(app.screen, ApprovalModal)
        for _ in range(6):
            await pilot.press("enter")
        assert "Type the PIN" in str(app.screen.query_one("#approval-error").render())
        await type_text(pilot, "0000")
        await pilot.press("enter")
        assert "4 more tries" in str(app.screen.query_one("#approval-error").render())


async def test_first_run_asks_for_the_society_and_first_manager(tmp_path, monkeypatch):
    monkeypatch.setenv("TILL_CONFIG", str(tmp_path / "config.toml"))
    shop = demo_shop(tmp_path, empty=True)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        await type_text(pilot, "Estate Cafe")
        await pilot.press("enter")
        await type_text(pilot, "1 Green Walk, Townsville")
        await pilot.press("enter")
        await type_text(pilot, "Robin Sample")
        await pilot.press("enter")
        await type_text(pilot, "4321")
        await pilot.press("enter")
        await type_text(pilot, "4322")
        await pilot.press("enter")
        assert "different" in str(app.screen.query_one("#setup-error").render())
        assert shop.volunteers.all() == []
        await type_text(pilot, "4321")
        await pilot.press("enter")
        await type_text(pilot, "4321")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert shop.volunteers.by_name("Robin Sample").role == "manager"
        assert 'name = "Estate Cafe"' in (tmp_path / "config.toml").read_text()
        await sign_in(pilot, "Robin", "4321")
        assert isinstance(app.screen, SellingScreen)


async def test_a_treasurer_who_does_not_work_the_till_is_sent_to_the_web_and_starts_no_shift(tmp_path):
    from volunteers.people import Role

    shop = demo_shop(tmp_path)
    shop.volunteers.add("Ruth Adebayo", (Role.treasurer, Role.board_member), at=shop.till.now(), pin="8888")
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Ruth", "8888", float_amount=None)
        assert isinstance(app.screen, SignInScreen) and app.volunteer is None
        assert any("web back office" in n.message for n in app._notifications)
        assert count(shop, "select count(*) from shifts") == 0
        await sign_in(pilot, "Sam", "1111")  # a manager who is also on the board works the till as a manager
        assert isinstance(app.screen, SellingScreen)
