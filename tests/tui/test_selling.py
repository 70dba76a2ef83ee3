"""Selling at the till: scanning, searching, parking, discounts, a basket back after a crash, training, the keys."""

from __future__ import annotations

from pos.tui.modals.approval import ApprovalModal
from pos.tui.screens.selling import SellingScreen
from pos.tui.screens.sign_in import SignInScreen
from tests.tui.conftest import BEANS, BREAD, MILK, app_for, count, demo_shop, scan, sign_in, type_text


async def test_sign_in_scan_three_pay_cash_see_change_receipt_printed(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "Jo", "3333")
        assert isinstance(app.screen, SellingScreen)
        assert shop.till.current_session().float_pence == 5000
        for code in (BEANS, MILK, BREAD):
            await scan(pilot, code)
        assert [l.name for l in app.screen.basket.lines] == ["Baked beans 415g", "Semi-skimmed milk 2 pints",
                                                            "White bread loaf"]
        await pilot.press("f2")
        await type_text(pilot, "10")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        sale = shop.till.get_sale(1)
        assert sale.total_pence == 95 + 145 + 130 and sale.change_pence == 1000 - 370
        assert str(app.screen.query_one("#total").value) == "6.30"
        assert app.screen.basket.is_empty
        assert shop.till.receipts.waiting() == []  # the preview printer took it
        preview = (tmp_path / "receipts" / "till-1-1.txt").read_text()
        assert "Baked beans" in preview and "£6.30" in preview
        assert count(shop, "select count(*) from shifts where ended_at is null") == 1


async def test_unknown_barcode_says_so_and_leaves_the_basket(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await scan(pilot, "4006381333931")
        message = str(app.screen.query_one("#message").render())
        assert "Unknown barcode 4006381333931" in message and "Nothing was added" in message
        assert len(app.screen.basket.lines) == 1
        await scan(pilot, "1000*" + BEANS)
        assert "more than the till allows" in str(app.screen.query_one("#message").render())
        assert app.screen.basket.lines[0].quantity == 1


async def test_search_by_name_quick_keys_and_quantity_keys(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await type_text(pilot, "latte")
        await pilot.pause()
        assert app.screen.query_one("#results").display
        await pilot.press("enter")
        await pilot.press("1", "enter")  # quick key 1 on the first menu (Cakes and snacks)
        await pilot.press("plus", "plus")
        lines = {l.name: l.quantity for l in app.screen.basket.lines}
        first_quick = shop.catalogue.quick_keys()
        expected = next(iter(first_quick.values()))[0].name
        assert lines == {"Latte": 1, expected: 3}
        await pilot.press("delete")
        assert [l.name for l in app.screen.basket.lines] == ["Latte"]
        await pilot.press("f4")
        assert app.screen.basket.eat_in


async def test_a_typed_code_wins_over_the_name_search(tmp_path):
    from inventory.products import ProductDetails

    shop = demo_shop(tmp_path)
    shop.catalogue.add(ProductDetails(name="Toastie special", category="Hot food"), price_pence=300,
                       at=shop.till.now(), codes=["TOAST"])
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "toast")  # the live search also lists "Toast and jam"
        assert [l.name for l in app.screen.basket.lines] == ["Toastie special"]
        await type_text(pilot, "toast")
        await pilot.pause()
        await pilot.press("down", "up")  # moving through the results means: that one
        await pilot.press("enter")
        assert [l.name for l in app.screen.basket.lines] == ["Toastie special", "Toast and jam"]


async def test_clicking_a_search_result_adds_it_and_the_next_scan_still_lands(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await type_text(pilot, "latte")
        await pilot.pause()
        results = app.screen.query_one("#results")
        assert results.display and results.get_option_at_index(0).prompt.startswith("Latte")
        await pilot.click("#results", offset=(3, 1))  # the first result, inside the border
        await pilot.pause()
        assert [l.name for l in app.screen.basket.lines] == ["Latte"]
        assert not results.display and app.screen.query_one("#entry").value == ""
        assert app.focused is app.screen.query_one("#entry")
        await scan(pilot, BEANS)  # the scanner types into whatever has focus
        assert [l.name for l in app.screen.basket.lines] == ["Latte", "Baked beans 415g"]


async def test_park_and_resume(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, MILK)
        await scan(pilot, MILK)
        await pilot.press("f5", "enter")  # no name: Enter parks it all the same
        assert app.screen.basket.is_empty and len(shop.till.parked()) == 1
        await scan(pilot, BREAD)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [(l.name, l.quantity) for l in app.screen.basket.lines] == [("Semi-skimmed milk 2 pints", 2)]
        assert shop.till.parked() == []


async def test_a_volunteers_big_discount_waits_for_a_lead(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "C2")  # latte £2.20
        await pilot.press("f3")
        await type_text(pilot, "50%")
        await pilot.press("enter")
        await type_text(pilot, "cold")
        await pilot.press("enter")
        await pilot.pause()
        selling = app.screen_stack[-2]
        assert isinstance(app.screen, ApprovalModal) and selling.basket.total_pence == 220  # not yet
        await type_text(pilot, "2222")
        await pilot.press("enter")
        await pilot.pause()
        assert selling.basket.total_pence == 110


async def test_after_a_crash_the_open_basket_comes_back(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await scan(pilot, "2*T1")
    # The app is gone without a sale, a void or a park, as after a power cut. A new one starts:
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        assert [(l.name, l.quantity) for l in app.screen.basket.lines] == [("Baked beans 415g", 1), ("Tea", 2)]
        assert "is back" in str(app.screen.query_one("#message").render())
        await pilot.press("f2", "f2")
        await pilot.pause()
        assert shop.till.open_basket() is None and shop.till.get_sale(1).total_pence == 95 + 240


async def test_an_unexpected_fault_is_logged_not_shown(tmp_path, monkeypatch, isolated_dirs, capsys):
    shop = demo_shop(tmp_path)
    app = app_for(shop)

    def broken(text):
        raise RuntimeError("disk on fire")

    with __import__("pytest").raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, "Jo", "3333")
            monkeypatch.setattr(shop.catalogue, "find", broken)  # what a scanned code is looked up with
            await scan(pilot, BEANS)
            await pilot.pause()
    shown = capsys.readouterr().err
    assert "unexpected problem" in shown and "Traceback" not in shown and "3333" not in shown
    log = next(isolated_dirs.rglob("errors.log")).read_text()
    assert "disk on fire" in log


async def test_training_mode_sells_on_a_copy_and_says_so(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("enter")  # the training till opens with its own (pretend) float
        await pilot.pause()
        assert app.shop is not shop and app.shop.practising
        assert "TRAINING" in str(app.screen.query_one("#title-bar").render())
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        practice = app.shop
        assert practice.till.get_sale(1).total_pence == 95
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "TRAINING - NOT A RECEIPT" in app.last_preview
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.shop is shop and isinstance(app.screen, SellingScreen)
        assert "TRAINING" not in str(app.screen.query_one("#title-bar").render())
        assert shop.db.execute("select count(*) from sales").fetchone()[0] == 0
        assert not practice.settings.db.exists()


async def test_the_footer_shows_the_main_keys_at_80_columns_and_f1_lists_every_key(tmp_path):
    from textual.widgets._footer import FooterKey

    from pos.tui.app import TillApp
    from pos.tui.modals.pay import PayModal
    from pos.tui.screens.selling import KEYS_HELP
    from pos.tui.widgets.keys_footer import KeysFooter

    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.pause()
        def shown() -> dict[str, str]:
            """The footer's keys, each checked to be whole on the screen (the footer cuts off)."""
            keys = {}
            for key in app.screen.query_one(KeysFooter).query(FooterKey):
                assert app.screen.region.contains_region(key.region), (key.key_display, key.region)
                keys[key.key_display] = key.description
            return keys

        footer = app.screen.query_one(KeysFooter)
        assert shown() == {"F1": "Keys", "F2": "Pay", "F3": "Discount", "F4": "Eat in", "F5": "Park",
                         "F6": "Resume", "F8": "Void", "F12": "Sign out"}
        # Every key of the selling screen (and Ctrl+Q) is in the F1 list, shown in the footer or not.
        for binding in [*SellingScreen.BINDINGS, *TillApp.BINDINGS]:
            display = app.get_key_display(binding)
            assert any(word.strip(",") == display for line in KEYS_HELP.splitlines() for word in line.split()), \
                (binding.key, display)
        assert all(len(line) <= 70 for line in KEYS_HELP.splitlines())  # the help box is 70 wide
        # A dialog has keys of its own: the footer beneath it must not offer the selling keys.
        await scan(pilot, BEANS)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PayModal) and not footer.visible
        await pilot.press("escape")
        await pilot.pause()
        assert footer.visible
        await pilot.press("f8")  # void, once asked
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("f10")  # the other screens' footers fit too
        await pilot.pause()
        assert "Esc" in shown() and len(shown()) == 6
        await pilot.press("f5")
        await pilot.pause()
        assert "Esc" in shown() and "PgDn" in shown()
