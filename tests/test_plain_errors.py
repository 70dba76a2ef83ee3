"""Errors said in plain words: the first letter raised, a product's or a person's name left as it is."""

from __future__ import annotations

from core.errors import TillError
from pos.tui.plain_errors import saying_errors, sentence
from tests.tui.conftest import app_for, demo_shop, scan, sign_in


def test_only_the_first_letter_is_raised():
    assert sentence(TillError("oat Milk Latte is no longer sold")) == "Oat Milk Latte is no longer sold"
    assert sentence(TillError("M0001 is no longer a member")) == "M0001 is no longer a member"
    assert sentence("") == ""


def test_a_user_error_is_said_once_and_the_block_goes_no_further():
    said: list[str] = []
    with saying_errors(said.append, then="Nothing was added.") as attempt:
        raise TillError("the basket is full")
    assert attempt.failed and said == ["The basket is full. Nothing was added."]
    with saying_errors(said.append) as attempt:
        pass
    assert not attempt.failed and len(said) == 1


def test_other_errors_are_not_swallowed():
    try:
        with saying_errors(print):
            raise ValueError("a bug, for a developer")
    except ValueError:
        pass
    else:
        raise AssertionError("a programming error must not be shown as a volunteer's mistake")


async def test_a_product_name_keeps_its_capitals_in_the_message(tmp_path):
    from inventory.products import ProductDetails

    shop = demo_shop(tmp_path)
    latte = shop.catalogue.add(ProductDetails(name="Oat Milk Latte", category="Hot drinks"), price_pence=320,
                               at="2026-11-01T09:00:00.000000Z", codes=["OML"])
    shop.catalogue.retire(latte.id)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "OML")
        await pilot.pause()
        message = str(app.screen.query_one("#message").render())
        assert message == "Oat Milk Latte is no longer sold. Nothing was added."
