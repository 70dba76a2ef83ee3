"""Paying with time credits: the picker starts on whoever is signed in, and a PIN always lands in the PIN box."""

from __future__ import annotations

from datetime import timedelta

from pos.tui.modals.time_credits import TimeCreditsModal
from tests.tui.conftest import app_for, demo_shop, scan, sign_in, type_text


def earned_credits(shop, name: str):
    volunteer = shop.volunteers.by_name(name)
    shop.till.start_shift(volunteer.id)
    shop.clock.moment += timedelta(hours=2, minutes=10)
    shop.till.sign_out(volunteer.id)
    return volunteer


async def test_the_picker_starts_on_the_volunteer_signed_in_and_the_pin_goes_in_the_pin_box(tmp_path):
    shop = demo_shop(tmp_path, time_credit_categories=["Hot drinks"])
    jo = earned_credits(shop, "Jo Beckford")
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "T1")
        await pilot.press("f2", "f10")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, TimeCreditsModal)
        spenders = modal.query_one("#spenders")
        assert spenders.highlighted_option.prompt == "Jo Beckford"
        assert app.focused is modal.query_one("#pin")
        # The name list takes no focus (a click picks a name, Up/Down move it): the PIN box and the
        # optional number of credits are the only stops, in the order they are shown.
        assert [widget.id for widget in modal.focus_chain] == ["pin", "credits"]
        await pilot.click("#spenders", offset=(3, 1))  # someone clicks a name, then types their PIN
        await pilot.pause()
        assert app.focused is modal.query_one("#pin")
        await pilot.press("down", "up")
        await type_text(pilot, "3333")
        assert modal.query_one("#pin").value == "3333" and modal.query_one("#credits").value == ""
        assert spenders.highlighted_option.prompt == spenders.get_option_at_index(0).prompt
        await pilot.press("tab")  # how many credits, then Enter: back to the PIN
        assert app.focused is modal.query_one("#credits")
        await type_text(pilot, "1")
        await pilot.press("enter")
        assert app.focused is modal.query_one("#pin")
        while spenders.highlighted_option.prompt != "Jo Beckford":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TimeCreditsModal)
        await app.workers.wait_for_complete()
        await pilot.pause()
        sale = shop.till.get_sale(1)  # the tea, paid in full with one credit
        assert [t.kind for t in sale.tenders] == ["time_credits"]
        assert shop.till.time_credits.balance(jo.id, shop.today()) == 1
