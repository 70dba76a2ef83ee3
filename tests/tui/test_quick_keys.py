"""The quick keys: every menu paged through, every key seen and clicked at 80x24."""

from __future__ import annotations

from tests.tui.conftest import BEANS, app_for, demo_shop, scan, sign_in


def _quantities(basket) -> dict[str, int]:
    return {line.name: line.quantity for line in basket.lines}


def _added(before: dict[str, int], basket) -> str | None:
    """The one item whose quantity went up by one since `before`, if exactly one did."""
    after = _quantities(basket)
    grown = [name for name, quantity in after.items() if quantity == before.get(name, 0) + 1]
    return grown[0] if len(grown) == 1 and sum(after.values()) == sum(before.values()) + 1 else None


async def test_paging_through_every_quick_key_menu_then_a_number_adds_that_menus_item(tmp_path):
    from pos.tui.widgets.quick_keys import QuickKeys

    shop = demo_shop(tmp_path)
    menus = len(shop.catalogue.quick_keys())  # the demo's categories each fit on one menu
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)  # a sale in progress must survive the paging
        # Round every menu and back again: the keys were once remounted with the same ids and
        # PgDn crashed the till (DuplicateIds).
        for key in ["pagedown"] * (menus + 1) + ["pageup"] * (menus + 1):
            await pilot.press(key)
            await pilot.pause()
            products = app.screen.query_one(QuickKeys).products
            assert products[0].category[:14] in str(app.screen.query_one("#quick-category").render())
            before = _quantities(app.screen.basket)
            await pilot.press(str(len(products)), "enter")  # the last key on the menu
            assert _added(before, app.screen.basket) == products[-1].name
            assert app.focused is app.screen.query_one("#entry")
        assert app.screen.basket.lines[0].name == "Baked beans 415g"


async def test_every_quick_key_can_be_seen_and_clicked_at_80_by_24(tmp_path):
    from inventory.products import ProductDetails
    from pos.tui.widgets.quick_keys import QuickKeys

    shop = demo_shop(tmp_path)
    for n in range(1, 8):  # Hot drinks: six in the demo, thirteen now, more than the nine keys 1-9
        shop.catalogue.add(ProductDetails(name=f"Herbal tea number {n}", category="Hot drinks"),
                           price_pence=100 + n, at=shop.till.now(), codes=[f"ZQ{n}"])
    menu = shop.catalogue.quick_keys()
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        keys = app.screen.query_one(QuickKeys)
        screen = app.screen.region
        shown = []
        for _ in keys.pages:
            for number, product in enumerate(keys.products, 1):
                button = app.screen.query_one(f"#quick-{number}")
                assert button.visible and screen.contains_region(button.region), (product.name, button.region)
                assert app.screen.get_widget_at(*button.region.offset)[0] is button  # nothing covers it
                before = _quantities(app.screen.basket)
                await pilot.click(f"#quick-{number}")
                assert _added(before, app.screen.basket) == product.name
                assert app.focused is app.screen.query_one("#entry")
                shown.append(product.name)
            await pilot.press("pagedown")
            await pilot.pause()
        # Nothing left off: every item with a short code is on some page, once.
        assert sorted(shown) == sorted(p.name for products in menu.values() for p in products)
        assert [(p.part, p.parts) for p in keys.pages if p.category == "Hot drinks"] == [(1, 2), (2, 2)]
