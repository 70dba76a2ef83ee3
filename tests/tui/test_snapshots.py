"""Pictures of the main screens at 80x24. Review the report before `pytest --snapshot-update`."""

from __future__ import annotations

import pytest

from tests.tui.conftest import BEANS, MILK, app_for, demo_shop, scan, sign_in, type_text

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path):
    return app_for(demo_shop(tmp_path))


async def _quiet(pilot) -> None:
    from textual.widgets import Input

    pilot.app.clear_notifications()
    # A blinking cursor is caught on or off at random: hold it on, so the pictures are stable.
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def test_sign_in_screen_shows_demo_pins(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=_quiet)


def test_selling_screen_with_a_basket(app, snap_compare):
    async def run_before(pilot):
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await scan(pilot, MILK)
        await scan(pilot, "2*T1")
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_pay_dialog(app, snap_compare):
    async def run_before(pilot):
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, MILK)
        await scan(pilot, BEANS)
        await pilot.press("f2")
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_cash_up_x_report(app, snap_compare):
    async def run_before(pilot):
        await sign_in(pilot, "Priya", "2222")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f10", "f2")
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_change_shown_after_a_sale(app, snap_compare):
    async def run_before(pilot):
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await pilot.press("f2")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
