"""A barcode scanner types a whole code and Enter in one burst, faster than the screen can paint:
every character must reach the entry box, in order, and every Enter must send just its own code."""

from __future__ import annotations

from textual import events
from textual.app import _character_to_key

from tests.tui.conftest import BEANS, BREAD, MILK, app_for, demo_shop, scan, sign_in, type_text


def burst(app, text: str, *keys: str) -> None:
    """Every key of `text` (a newline is Enter), then `keys` (Textual's names), handed to the app at
    once, as a scanner sends them: none waits for the one before it to be dealt with (pilot.press does)."""
    sent = [events.Key("enter", "\r") if character == "\n" else
            events.Key(character if character.isalnum() else _character_to_key(character), character)
            for character in text]
    for event in [*sent, *(events.Key(key, None) for key in keys)]:
        event.set_sender(app)
        app._driver.send_message(event)


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


def lines(app):
    return [(line.name, line.quantity) for line in app.screen.basket.lines]


async def test_a_receipt_scanned_in_a_burst_arrives_whole_with_a_basket_open(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BREAD)
        await pilot.press("f2", "f2")  # sale 1, paid by card
        await settle(pilot)
        await scan(pilot, BEANS)
        await scan(pilot, MILK)  # a line chosen: "-" in an empty box would take one off it
        for _ in range(3):
            burst(app, "till-1/2721")
            await settle(pilot)
            assert app.screen.query_one("#entry").value == "till-1/2721"
            app.screen.query_one("#entry").value = ""
        burst(app, "till-1/1\n")
        await settle(pilot)
        assert "Receipt till-1/1: sale of £1.30" in str(app.screen.query_one("#message").render())
        assert lines(app) == [("Baked beans 415g", 1), ("Semi-skimmed milk 2 pints", 1)]
        assert app.screen.receipt == ("till-1", 1)


async def test_barcodes_scanned_back_to_back_are_each_added_once(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        burst(app, f"{BEANS}\n{MILK}\n{BREAD}\n3*{BEANS}\n")
        await settle(pilot)
        assert lines(app) == [("Baked beans 415g", 4), ("Semi-skimmed milk 2 pints", 1), ("White bread loaf", 1)]
        assert app.screen.query_one("#entry").value == ""


async def test_basket_keys_in_a_burst_act_in_their_turn(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        # "+" after an Enter is the basket's (the box is empty then), a "-" inside a code is the code's.
        burst(app, f"{BEANS}\n++{MILK}\n+-12-3")
        await settle(pilot)
        assert lines(app) == [("Baked beans 415g", 3), ("Semi-skimmed milk 2 pints", 1)]
        assert app.screen.query_one("#entry").value == "12-3"
        await pilot.press("home", "delete")  # Delete in a box with something in it is the box's
        assert app.screen.query_one("#entry").value == "2-3"
        app.screen.query_one("#entry").value = ""
        burst(app, "", "delete")  # nothing typed: the chosen line (milk, the last added) goes
        await settle(pilot)
        assert lines(app) == [("Baked beans 415g", 3)]
        await type_text(pilot, "latte")
        await pilot.press("down")  # Up and Down choose a search result while one is listed
        await pilot.press("enter")
        await settle(pilot)
        assert [name for name, _ in lines(app)][0] == "Baked beans 415g" and len(lines(app)) == 2
