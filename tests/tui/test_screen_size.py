"""The till in a small window: one sentence instead of a crash, and it carries on when it grows."""

from __future__ import annotations

from pos.tui.screens.selling import SellingScreen
from pos.tui.screens.sign_in import SignInScreen
from pos.tui.screens.too_small import TOO_SMALL, TooSmallScreen
from tests.tui.conftest import app_for, demo_shop, sign_in


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_tiny_window_shows_one_sentence_and_carries_on_when_it_grows(tmp_path):
    app = app_for(demo_shop(tmp_path))
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert " ".join(screen_text(app).split()) == TOO_SMALL
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "Jo", "3333")
        assert isinstance(app.screen, SellingScreen)
        for width, height in [(59, 24), (33, 24), (20, 8), (80, 19), (60, 20)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.is_running
            assert isinstance(app.screen, TooSmallScreen) == (width < 60 or height < 20)
        assert isinstance(app.screen, SellingScreen)
        assert app.screen.query_one("#entry").has_focus  # the till is as it was


async def test_at_the_smallest_size_the_sign_in_screen_keeps_room_for_the_names(tmp_path):
    # The name list beside the demo PINs was squeezed to no width, and the till stopped with
    # "range() arg 3 must not be zero".
    app = app_for(demo_shop(tmp_path))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#names").size.width >= 20
