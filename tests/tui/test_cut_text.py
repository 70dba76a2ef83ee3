"""Every label and message on every screen and dialog, at 80×24 and wider, is shown whole or
wrapped at a space: nothing is cut off mid-word at the edge (tests/tui/cut_text.py)."""

from __future__ import annotations

import pytest

from pos.tui.screens.setup import SetupScreen
from tests.tui.conftest import BEANS, MILK, app_for, demo_shop, scan, sign_in
from tests.tui.cut_text import cut_texts

#: What a shift's worth of keys opens from the selling screen: each dialog, or the message said.
SELLING_KEYS = ["f1", "f2", "f3", "f5", "f6", "f7", "f8", "f11", "ctrl+o", "ctrl+n", "ctrl+f", "ctrl+y",
                "ctrl+l", "ctrl+s", "ctrl+w", "ctrl+u", "ctrl+e", "ctrl+b", "ctrl+p", "ctrl+g", "ctrl+k", "ctrl+d"]


class Seen:
    def __init__(self, app) -> None:
        self.app, self.cuts, self.screens = app, [], set()

    async def look(self, pilot) -> None:
        await pilot.pause()
        self.screens.add(type(self.app.screen).__name__)
        self.cuts += [str(cut) for cut in cut_texts(self.app) if str(cut) not in self.cuts]

    async def back_to(self, pilot, screen: str) -> None:
        for _ in range(3):
            if type(self.app.screen).__name__ == screen:
                return
            await pilot.press("escape")
            await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
async def test_no_text_is_cut_on_the_screens_and_dialogs(tmp_path, size):
    app = app_for(demo_shop(tmp_path))
    seen = Seen(app)
    async with app.run_test(size=size) as pilot:
        await seen.look(pilot)
        await sign_in(pilot, "Jo", "3333")  # a volunteer: some keys ask a shift lead to approve
        await pilot.press("f11")
        await seen.look(pilot)
        await seen.back_to(pilot, "SellingScreen")
        await pilot.press("f12")
        await pilot.pause()
        await sign_in(pilot, "Sam", "1111")  # a manager: everything opens
        await seen.look(pilot)
        await scan(pilot, BEANS)
        await scan(pilot, MILK)
        await pilot.press("ctrl+g")  # paid forward: the panel says how many wait
        await seen.look(pilot)
        await pilot.press("f2")
        await seen.look(pilot)
        await pilot.press("f2")  # paid: the change and the receipt
        await seen.look(pilot)
        await scan(pilot, BEANS)
        for key in SELLING_KEYS:
            await pilot.press(key)
            await seen.look(pilot)
            await seen.back_to(pilot, "SellingScreen")
        await pilot.press("f8")  # void the basket (it asks first: Down, Enter says yes), so F10 opens
        await seen.look(pilot)
        await pilot.press("down", "enter")
        await pilot.press("f10")
        await seen.look(pilot)
        for keys in [["f2"], ["f3"], ["f4"], ["f4", "a"], ["f4", "e"], ["f5"], ["f5", "n"], ["f6"]]:
            for key in keys:
                await pilot.press(key)
                await seen.look(pilot)
            await seen.back_to(pilot, "CashUpScreen")
    assert {"SignInScreen", "ApprovalModal", "SellingScreen", "TextModal", "PayModal", "AmountModal",
            "RefundModal", "JoinModal", "FindMemberModal", "TallyModal", "SignpostModal", "PickModal",
            "CashUpScreen", "TeamScreen", "FormModal", "RotaScreen", "ReachScreen"} <= seen.screens
    assert seen.cuts == []


async def test_no_text_is_cut_on_the_first_run_setup(tmp_path, monkeypatch):
    monkeypatch.setenv("TILL_CONFIG", str(tmp_path / "config.toml"))
    app = app_for(demo_shop(tmp_path, empty=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("enter", "enter", "enter", "enter", "enter")  # nothing typed: it says what is missing
        await pilot.pause()
        assert [str(cut) for cut in cut_texts(app)] == []


async def test_the_finder_sees_a_cut(tmp_path):
    """The check itself: a label wider than its dialog and kept to one line is found."""
    from textual.widgets import Label

    from pos.tui.modals.text_view import TextModal

    app = app_for(demo_shop(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(TextModal("Title", "short"))
        await pilot.pause()
        label = Label("Count all the cash in the drawer, float included, and type the total, please")
        label.styles.text_wrap = "nowrap"
        await app.screen.query_one(".dialog").mount(label)
        await pilot.pause()
        assert any(cut.text.startswith("Count all") for cut in cut_texts(app))
