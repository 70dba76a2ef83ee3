"""The Reports screen's footer says what Esc does: signs centre staff out, takes anyone else back."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from pos.tui.screens.reach import ReachScreen
from pos.tui.screens.sign_in import SignInScreen
from tests.tui.conftest import app_for, demo_shop, sign_in


def footer(screen) -> dict[str, str]:
    return {key.action: key.description for key in screen.query(FooterKey)}


async def test_the_footer_says_esc_signs_centre_staff_out_and_takes_a_lead_back(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Chris", "7777", float_amount=None)
        await pilot.pause()
        assert isinstance(app.screen, ReachScreen)
        keys = footer(app.screen)
        assert keys.get("sign_out") == "Sign out" and "back" not in keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.volunteer is None
        await sign_in(pilot, "Priya", "2222")
        await pilot.press("f10", "f6")
        await pilot.pause()
        assert isinstance(app.screen, ReachScreen)
        keys = footer(app.screen)
        assert keys.get("back") == "Back" and "sign_out" not in keys
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReachScreen) and app.volunteer is not None
