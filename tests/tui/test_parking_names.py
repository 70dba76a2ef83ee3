"""F5 parks the basket under a name if the volunteer gives one, and F6 lists the parked ones by it."""

from __future__ import annotations

from pos.tui.modals.park import ParkModal
from pos.tui.modals.pick import PickModal
from tests.tui.conftest import BEANS, BREAD, MILK, app_for, demo_shop, scan, sign_in, type_text


async def test_a_parked_basket_named_when_parked_is_found_by_its_name(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, MILK)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ParkModal)
        await type_text(pilot, "Amira's")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.basket.is_empty
        assert "Basket parked as Amira's" in str(app.screen.query_one("#message").render())
        await scan(pilot, BREAD)
        await pilot.press("f5", "escape")  # Esc: not parked after all
        await pilot.pause()
        assert [l.name for l in app.screen.basket.lines] == ["White bread loaf"]
        await pilot.press("f5", "enter")  # no name is fine
        await scan(pilot, BEANS)
        await pilot.press("f5")
        await type_text(pilot, "table 4")
        await pilot.press("enter")
        await pilot.pause()
        assert [p.label for p in shop.till.parked()] == ["Amira's", None, "table 4"]
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        shown = [str(app.screen.query_one("OptionList").get_option_at_index(i).prompt) for i in range(3)]
        assert shown[0].startswith("Amira's") and "1 line  £1.45" in shown[0]
        assert shown[1].startswith("(no name)") and shown[2].startswith("table 4")
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert [l.name for l in app.screen.basket.lines] == ["Baked beans 415g"]
