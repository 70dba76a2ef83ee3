"""The first-run setup and the short forms: an example is not a value, and nothing is below the edge."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, Input

from pos.tui.modals.form import FormField, FormModal
from pos.tui.screens.setup import SetupScreen
from pos.tui.screens.sign_in import SignInScreen
from tests.tui.conftest import app_for, demo_shop, type_text


def on_screen(app, widget) -> bool:
    region = app.screen.find_widget(widget).region
    return app.screen.region.contains_region(region)


async def test_the_society_name_is_an_example_not_something_typed_into(tmp_path, monkeypatch):
    monkeypatch.setenv("TILL_CONFIG", str(tmp_path / "config.toml"))
    shop = demo_shop(tmp_path, empty=True)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        name = app.screen.query_one("#society-name", Input)
        assert name.value == ""
        assert "Community Café" in name.placeholder
        await pilot.click("#society-name")  # a click puts the cursor where it lands, as a person would
        await type_text(pilot, "Leys Community Cafe")
        assert name.value == "Leys Community Cafe"
        for field, text in [("#manager-name", "Robin Sample"), ("#pin", "4321"), ("#pin-again", "4321")]:
            app.screen.query_one(field, Input).focus()
            await type_text(pilot, text)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert shop.settings.society.name == "Leys Community Cafe"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_setup_field_and_its_button_are_on_screen(tmp_path, monkeypatch, size):
    monkeypatch.setenv("TILL_CONFIG", str(tmp_path / "config.toml"))
    app = app_for(demo_shop(tmp_path, empty=True))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for widget in [*app.screen.query(Input), app.screen.query_one("#finish", Button)]:
            assert on_screen(app, widget), widget.id


async def test_a_form_taller_than_the_window_scrolls_and_shows_it(tmp_path):
    app = app_for(demo_shop(tmp_path))
    fields = [FormField(f"f{number}", f"Box number {number}") for number in range(1, 10)]
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(FormModal("A long form", fields, lambda answers: None))
        await pilot.pause()
        form = app.screen.query_one(VerticalScroll)
        assert form.max_scroll_y > 0 and form.show_vertical_scrollbar  # a sign that there is more
        for _ in fields[1:]:
            await pilot.press("tab")
        await pilot.pause()
        assert app.screen.focused.id == "field-f9"
        await pilot.press("tab")  # on to Save, which scrolls into sight
        await pilot.pause()
        assert isinstance(app.screen.focused, Button)
        assert on_screen(app, app.screen.focused)
