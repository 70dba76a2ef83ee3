"""Whole flows at the till, driven by the keyboard only, on a real database."""

from __future__ import annotations

from pos.basket import Basket
from pos.tenders import Tender, TenderKind
from pos.tui.modals.approval import ApprovalModal
from pos.tui.screens.cash_up import CashUpScreen
from pos.tui.screens.selling import SellingScreen
from pos.tui.screens.setup import SetupScreen
from pos.tui.screens.sign_in import SignInScreen
from tests.tui_helpers import BEANS, BREAD, MILK, app_for, demo_shop, scan, sign_in, type_text


def count(shop, sql):
    return shop.db.execute(sql).fetchone()[0]


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


async def test_wrong_pin_is_refused_with_a_message(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "9999", float_amount=None)
        assert isinstance(app.screen, SignInScreen)
        assert "not right" in str(app.screen.query_one("#sign-in-error").render())
        assert count(shop, "select count(*) from shifts") == 0


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


async def test_refund_needs_and_gets_a_shift_leads_pin(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")  # pay, exact cash
        await pilot.pause()
        await pilot.press("f7")
        await type_text(pilot, "1")
        await pilot.press("enter")
        await type_text(pilot, "dented tin")
        await pilot.press("enter")
        await pilot.pause()
        # Jo is a volunteer: the approval dialog asks for a lead. First listed is Priya Kell.
        await type_text(pilot, "0000")
        await pilot.press("enter")
        assert "not right" in str(app.screen.query_one("#approval-error").render())
        await type_text(pilot, "2222")
        await pilot.press("enter")
        await pilot.pause()
        refund = shop.till.get_sale(2)
        assert refund.kind == "refund" and refund.total_pence == -95
        priya = shop.volunteers.by_name("Priya Kell").id
        assert count(shop, f"select count(*) from audit_log where action = 'refund' and approver_id = {priya}") == 1
        assert isinstance(app.screen, SellingScreen)


async def test_park_and_resume(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, MILK)
        await scan(pilot, MILK)
        await pilot.press("f5")
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


async def test_blind_cash_up_to_z(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222", float_amount="40")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f10")
        assert isinstance(app.screen, CashUpScreen)
        assert "Expected" not in str(app.screen.query_one("#report").render())  # blind: nothing shown yet
        await pilot.press("f3")
        await type_text(pilot, "40.90")
        await pilot.press("enter")
        await pilot.pause()
        session = shop.db.execute("select counted_pence, z_number, closed_by from till_sessions").fetchone()
        assert session == (4090, 1, shop.volunteers.by_name("Priya Kell").id)
        shown = str(app.screen.query_one("#report").render())
        assert "Z REPORT" in shown and "-£0.05 (short)" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.volunteer is None


async def test_first_run_asks_for_the_society_and_first_manager(tmp_path, monkeypatch):
    monkeypatch.setenv("TILL_CONFIG", str(tmp_path / "config.toml"))
    shop = demo_shop(tmp_path, empty=True)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        await type_text(pilot, "Estate Cafe")
        await pilot.press("enter")
        await type_text(pilot, "1 Green Walk, Townsville")
        await pilot.press("enter")
        await type_text(pilot, "Robin Sample")
        await pilot.press("enter")
        await type_text(pilot, "4321")
        await pilot.press("enter")
        await type_text(pilot, "4322")
        await pilot.press("enter")
        assert "different" in str(app.screen.query_one("#setup-error").render())
        assert shop.volunteers.all() == []
        await type_text(pilot, "4321")
        await pilot.press("enter")
        await type_text(pilot, "4321")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert shop.volunteers.by_name("Robin Sample").role == "manager"
        assert 'name = "Estate Cafe"' in (tmp_path / "config.toml").read_text()
        await sign_in(pilot, "Robin", "4321")
        assert isinstance(app.screen, SellingScreen)


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_printer_that_is_off_never_loses_or_blocks_a_sale(tmp_path):
    from pos.config import PrinterSettings

    shop = demo_shop(tmp_path, printer=PrinterSettings(spec=f"network:127.0.0.1:{_closed_port()}", timeout_seconds=1))
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        # The sale is done before the printer is even tried; the next customer can be served at once.
        assert shop.till.get_sale(1).total_pence == 95
        await scan(pilot, MILK)
        assert len(app.screen.basket.lines) == 1
        await app.workers.wait_for_complete()
        await pilot.pause()
        waiting = shop.till.receipts.waiting()
        assert [(r.status, "127.0.0.1" in (r.last_error or "")) for r in waiting] == [("failed", True)]
        assert any("Receipt not printed" in n.title for n in app._notifications)


async def test_a_listener_that_never_answers_does_not_hold_the_till(tmp_path):
    import socket

    from pos.config import PrinterSettings

    with socket.socket() as silent:  # accepts connections (the kernel does) but never reads
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        shop = demo_shop(tmp_path, printer=PrinterSettings(spec=f"network:127.0.0.1:{port}", timeout_seconds=0.5))
        app = app_for(shop)
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, "Jo", "3333")
            for _ in range(2):
                await scan(pilot, BEANS)
                await pilot.press("f2", "f2")
                await pilot.pause()
            assert [shop.till.get_sale(n).total_pence for n in (1, 2)] == [95, 95]
            await app.workers.wait_for_complete()


async def test_reprint_shows_the_preview_receipt(tmp_path):
    from pos.tui.modals.text_view import TextModal

    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("f9")
        assert "No sale to reprint" in str(app.screen.query_one("#message").render())
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f9")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TextModal) and "COPY" in app.screen.text
        await pilot.press("escape")
        await scan(pilot, MILK)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await type_text(pilot, "1")
        await pilot.press("f9")  # a typed number reprints that sale, not the last one
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "#1" in app.screen.text and "Baked beans" in app.screen.text


async def test_a_sale_shows_its_preview_receipt_and_the_next_scan_still_works(tmp_path):
    from textual.widgets import Input

    shop = demo_shop(tmp_path)  # no printer set: the preview printer
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SellingScreen)  # not a modal: nothing to close before the next sale
        panel = app.screen.query_one("#receipt-preview")
        assert panel.display and panel.region.height >= 8 and panel.region.width >= 44
        assert "Baked beans" in panel.text and "£0.95" in panel.text and "till-1 #1" in panel.text
        shown = app.screen.query_one("#receipt-text").render()
        assert "Baked beans" in str(shown)
        assert app.focused is app.screen.query_one("#entry", Input)
        await scan(pilot, MILK)  # the next customer's first scan goes straight in
        assert [l.name for l in app.screen.basket.lines] == ["Semi-skimmed milk 2 pints"]
        assert not panel.display and app.screen.query_one("#basket").display
        await pilot.press("f2", "f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert panel.display and "till-1 #2" in panel.text and "Baked beans" not in panel.text


async def test_a_late_preview_does_not_cover_the_next_sale(tmp_path):
    from pos.tui.messages import ReceiptPrinted

    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        app.post_message(ReceiptPrinted(None, "a member's card", False, shop))  # not a sale's receipt
        await pilot.pause()
        assert not app.screen.query_one("#receipt-preview").display
        await scan(pilot, BEANS)
        # The last sale's receipt arriving after the next customer's first scan stays off the basket.
        app.post_message(ReceiptPrinted(None, "the last sale's receipt", False, shop, just_sold=True))
        await pilot.pause()
        assert not app.screen.query_one("#receipt-preview").display and app.last_preview == "the last sale's receipt"
        assert app.screen.query_one("#basket").display


async def test_receipts_a_printer_refused_are_listed_and_printed_from_the_till(tmp_path):
    from pos.config import PrinterSettings
    from pos.tui.modals.owed_receipts import OwedReceiptsModal
    from pos.tui.modals.text_view import TextModal

    shop = demo_shop(tmp_path, printer=PrinterSettings(spec=f"network:127.0.0.1:{_closed_port()}", timeout_seconds=1))
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("ctrl+w")
        assert "No receipts are waiting to print" in str(app.screen.query_one("#message").render())
        for code in (BEANS, MILK, BREAD):
            await scan(pilot, code)
            await pilot.press("f2", "f2")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert len(shop.receipt_queue.owed()) == 3
        assert any("Ctrl+W" in n.message for n in app._notifications if n.title == "Receipt not printed")
        shop.settings = shop.settings.model_copy(update={"printer": PrinterSettings()})  # the printer is sorted
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert isinstance(app.screen, OwedReceiptsModal)
        listed = app.screen.query_one("#owed-list")
        assert listed.option_count == 3 and "127.0.0.1" in str(listed.get_option_at_index(0).prompt)
        assert str(listed.get_option_at_index(1).prompt).startswith("Sale 2 ")
        await pilot.press("down", "enter")  # the chosen one
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TextModal) and "till-1 #2" in app.screen.text and "COPY" not in app.screen.text
        await pilot.press("escape")
        assert [r.sale_number for r in shop.receipt_queue.owed()] == [1, 3]
        await pilot.press("ctrl+w")
        await pilot.pause()
        await pilot.press("f2")  # all of them
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shop.receipt_queue.owed() == [] and isinstance(app.screen, SellingScreen)
        assert (tmp_path / "receipts" / "till-1-3.txt").exists()
        await scan(pilot, BEANS)  # selling goes on
        assert len(app.screen.basket.lines) == 1


async def test_signing_in_says_receipts_are_waiting_and_the_key_that_lists_them(tmp_path):
    from pos.config import PrinterSettings

    shop = demo_shop(tmp_path, printer=PrinterSettings(auto_print=False))
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
    shop.till.receipt_failed(shop.till.get_sale(1).id, "printer off")
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        warning = [n.message for n in app._notifications if "did not print" in n.message]
        assert warning and "Ctrl+W" in warning[0] and warning[0].startswith("1 receipt did not print")


async def test_an_unexpected_fault_is_logged_not_shown(tmp_path, monkeypatch, isolated_dirs, capsys):
    shop = demo_shop(tmp_path)
    app = app_for(shop)

    def broken(text):
        raise RuntimeError("disk on fire")

    with __import__("pytest").raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, "Jo", "3333")
            monkeypatch.setattr(shop.catalogue, "lookup", broken)
            await scan(pilot, BEANS)
            await pilot.pause()
    shown = capsys.readouterr().err
    assert "unexpected problem" in shown and "Traceback" not in shown and "3333" not in shown
    log = next(isolated_dirs.rglob("errors.log")).read_text()
    assert "disk on fire" in log


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


async def test_a_free_basket_can_be_completed(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        await scan(pilot, "T1")
        await pilot.press("f3")
        await type_text(pilot, "100%")
        await pilot.press("enter")
        await type_text(pilot, "loyalty card full")
        await pilot.press("enter")
        assert app.screen.basket.total_pence == 0
        await pilot.press("f2", "enter")
        await pilot.pause()
        sale = shop.till.get_sale(1)
        assert sale.total_pence == 0 and sale.tenders == []


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


async def test_a_till_left_open_overnight_asks_for_the_z_first(tmp_path):
    from datetime import timedelta

    shop = demo_shop(tmp_path)
    lead = shop.volunteers.by_name("Priya Kell")
    shop.till.open_session(5000, operator_id=lead.id)
    shop.clock.moment += timedelta(days=1)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        assert isinstance(app.screen, CashUpScreen)
        assert "still open from 2026-11-20" in str(app.screen.query_one("#message").render())
        await pilot.press("f2")  # a volunteer's X report hides the cash figures: the count stays blind
        shown = str(app.screen.query_one("#report").render())
        assert "X REPORT" in shown and "Expected" not in shown and "TENDERS" not in shown


async def test_refund_one_of_several(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        await scan(pilot, "3*" + BEANS)
        await scan(pilot, MILK)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f7")
        await type_text(pilot, "1")
        await pilot.press("enter")
        await pilot.press("f3", "f3")     # beans: 3 → 1
        await pilot.press("down", "f2")   # milk: left out
        await type_text(pilot, "dented")
        await pilot.press("enter")
        await pilot.pause()
        refund = shop.till.get_sale(2)
        assert [(l.product_name, l.quantity) for l in refund.lines] == [("Baked beans 415g", -1)]


def _member(shop, name="Ada Example", shares=10):
    from coop.register import MemberDetails

    lead = shop.volunteers.by_name("Priya Kell")
    if shop.till.current_session() is None:
        shop.till.open_session(5000, operator_id=lead.id)
    return shop.membership.join(MemberDetails(name=name, address="1 Green Walk"), shares, operator_id=lead.id)


async def test_joining_at_the_till_with_a_leads_approval(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("ctrl+n")
        await type_text(pilot, "Robin Sample")
        await pilot.press("enter")
        await type_text(pilot, "4 Larch Close, Townsville")
        await pilot.press("enter")
        await type_text(pilot, "5")  # replaces the suggested number of shares
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "2222")  # Jo is a volunteer: Priya approves
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        member = shop.membership.register.by_number("M0001")
        assert member.name == "Robin Sample" and member.address == "4 Larch Close\nTownsville"
        assert shop.membership.shares.held(member.id) == 5
        assert shop.current_report().share_capital_in_pence == 500
        assert shop.current_report().net_sales_pence == 0
        card = (tmp_path / "receipts" / "member-M0001.txt").read_text()
        assert "WELCOME TO THE CO-OP" in card and member.card_code in card


async def test_a_card_scanned_mid_basket_gives_member_prices(tmp_path):
    shop = demo_shop(tmp_path)
    member = _member(shop)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "K2")
        await scan(pilot, member.card_code)       # after one item ...
        await scan(pilot, "K2")                   # ... and before another
        basket = app.screen.basket
        assert basket.member_number == "M0001" and basket.member_savings_pence == 2 * 180 * 5 // 100
        await pilot.press("f2", "f2")
        await pilot.pause()
        sale = shop.till.get_sale(1)
        assert {l.member_number for l in sale.lines} == {"M0001"} and sale.total_pence == 360 - 18
        await scan(pilot, "MEMBER:not-a-real-card")
        assert "not valid" in str(app.screen.query_one("#message").render())


async def test_my_shares_from_the_sign_in_screen_shows_one_member(tmp_path):
    from pos.tui.modals import my_shares

    shop = demo_shop(tmp_path)
    member = _member(shop, shares=25)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, member.card_code)
        await pilot.pause()
        assert isinstance(app.screen, my_shares.MySharesModal)
        shown = str(app.screen.query_one("#statement").render())
        assert "Ada Example" in shown and "£25.00" in shown
        assert "Val" not in shown and "Jo Beckford" not in shown
        await pilot.press("escape")
        assert isinstance(app.screen, SignInScreen)


async def test_my_shares_clears_itself(tmp_path, monkeypatch):
    from pos.tui.modals import my_shares

    # A short timer makes the modal's life too brief to catch by polling on a slow CI machine,
    # so record each one shown and check it was dismissed by the timer.
    shown: list[my_shares.MySharesModal] = []
    original_mount = my_shares.MySharesModal.on_mount

    def recording_mount(self):
        shown.append(self)
        original_mount(self)

    monkeypatch.setattr(my_shares, "SHOW_FOR_SECONDS", 0.3)
    monkeypatch.setattr(my_shares.MySharesModal, "on_mount", recording_mount)
    shop = demo_shop(tmp_path)
    member = _member(shop, shares=25)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, member.card_code)
        for _ in range(100):  # the timer fires after 0.3 s; allow a busy machine up to 10 s
            await pilot.pause(0.1)
            if shown and isinstance(app.screen, SignInScreen):
                break
        assert len(shown) == 1 and shown[0] not in app.screen_stack
        assert isinstance(app.screen, SignInScreen)


async def test_a_typed_member_number_shows_no_name_and_no_statement(tmp_path):
    from pos.tui.modals.my_shares import MySharesModal

    shop = demo_shop(tmp_path)
    member = _member(shop, name="Private Person")
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "M0001")
        message = str(app.screen.query_one("#message").render())
        assert "M0001" in message and "Private" not in message
        await pilot.press("ctrl+e")
        assert not isinstance(app.screen, MySharesModal)
        await scan(pilot, member.card_code)     # the card proves the member is here
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, MySharesModal)


async def test_sign_in_warns_about_training_running_out(tmp_path):
    from datetime import date

    shop = demo_shop(tmp_path)
    jo, priya = shop.volunteers.by_name("Jo Beckford"), shop.volunteers.by_name("Priya Kell")
    shop.certificates.record(jo.id, "Food hygiene", certified_on=date(2023, 11, 1), expires_on=date(2026, 11, 1),
                         by=priya.id, at=shop.till.now())
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        messages = [n.message for n in app._notifications]
        assert any("Your food hygiene expired on 01/11/2026" in m and "tell the shift lead" in m for m in messages)
        await pilot.press("f12")
        shop.till.start_shift(jo.id)  # Jo still on shift (say, in the kitchen) when Priya signs in
        await sign_in(pilot, "Priya", "2222")  # the lead is told about everyone on shift
        messages = [n.message for n in app._notifications]
        assert any("Jo Beckford: Food hygiene expired on 01/11/2026" in m for m in messages)


async def test_my_volunteering_shows_my_hours_and_training(tmp_path):
    from datetime import date, timedelta

    from pos.tui.modals.text_view import TextModal

    shop = demo_shop(tmp_path)
    jo = shop.volunteers.by_name("Jo Beckford")
    shop.certificates.record(jo.id, "Till training", certified_on=date(2026, 1, 1), expires_on=None,
                         by=jo.id, at=shop.till.now())
    shop.till.start_shift(jo.id)
    shop.clock.moment += timedelta(hours=2, minutes=30)
    shop.till.sign_out(jo.id)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert isinstance(app.screen, TextModal)
        assert "2:30 hours" in app.screen.text and "Till training" in app.screen.text
        assert "2 earned" in app.screen.text


async def test_round_up_for_the_community_fund(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await pilot.press("ctrl+d")
        assert app.screen.basket.donation_pence == 5 and app.screen.basket.total_pence == 100
        await type_text(pilot, "0.50")
        await pilot.press("ctrl+d")
        assert app.screen.basket.donation_pence == 50
        await pilot.press("f2", "f2")
        await pilot.pause()
        assert shop.till.get_sale(1).donation_pence == 50
        assert shop.till.community_fund_pence() == 50


async def test_pay_it_forward_and_claim_with_one_key(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "2*T1")
        await pilot.press("ctrl+g")
        await pilot.press("f2", "f2")
        await pilot.pause()
        assert "waiting: 2" in str(app.screen.query_one("#pool").render())
        await pilot.press("ctrl+k")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("f2", "enter")  # nothing to pay
        await pilot.pause()
        claim = shop.till.get_sale(2)
        assert claim.total_pence == 0 and claim.lines[0].claimed
        assert "waiting: 1" in str(app.screen.query_one("#pool").render())


async def test_a_volunteer_pays_for_a_tea_with_a_time_credit(tmp_path):
    from datetime import timedelta

    from pos.tui.modals.time_credits import TimeCreditsModal

    shop = demo_shop(tmp_path, time_credit_categories=["Hot drinks"])
    jo = shop.volunteers.by_name("Jo Beckford")
    shop.till.start_shift(jo.id)
    shop.clock.moment += timedelta(hours=2, minutes=10)
    shop.till.sign_out(jo.id)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Sam", "1111")
        await scan(pilot, "T1")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f10")
        await pilot.pause()
        assert isinstance(app.screen, TimeCreditsModal)
        for _ in range(10):
            if app.screen.query_one("#spenders").highlighted_option.prompt == "Jo Beckford":
                break
            await pilot.press("down")
        await type_text(pilot, "9999")
        await pilot.press("enter")
        assert "PIN is not right" in str(app.screen.query_one("#credits-error").render())
        await type_text(pilot, "3333")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f2")  # the beans in cash
        await pilot.pause()
        sale = shop.till.get_sale(1)
        assert {t.kind: t.amount_pence for t in sale.tenders}["time_credits"] == 120
        assert shop.till.time_credits.balance(jo.id, shop.today()) == 1


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


async def test_a_manager_adds_and_retires_a_volunteer_from_the_till(tmp_path):
    from pos.tui.modals.form import FormModal
    from pos.tui.screens.team import TeamScreen

    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Sam", "1111")
        await pilot.press("f10", "f4")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await type_text(pilot, "Kim Newcomer")
        await pilot.press("enter")  # Enter skips the role choice (volunteer) to the PIN
        await type_text(pilot, "5678")
        await pilot.press("enter")
        await type_text(pilot, "5679")
        await pilot.press("enter")
        assert "different" in str(app.screen.query_one("#form-error").render())
        assert "Kim Newcomer" not in [v.name for v in shop.volunteers.all()]
        app.screen.query_one("#field-again").value = ""
        await type_text(pilot, "5678")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        kim = shop.volunteers.by_name("Kim Newcomer")
        assert "Kim Newcomer" in str(app.screen.query_one("#team-detail").render())
        await pilot.press("l")
        await type_text(pilot, "yes")
        await pilot.press("enter")
        await pilot.pause()
        assert not shop.volunteers.get(kim.id).active


async def test_a_volunteer_needs_a_manager_to_see_the_volunteers(tmp_path):
    from pos.tui.screens.team import TeamScreen

    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("f10", "f4")
        await pilot.pause()
        assert isinstance(app.screen, ApprovalModal)
        names = [str(o.prompt) for o in app.screen.query_one("#approvers")._options]
        assert names == ["Sam Ortiz (Manager)"]  # shift leads cannot approve this
        await pilot.press("escape")
        assert not isinstance(app.screen, TeamScreen)
        await pilot.press("f4")
        await type_text(pilot, "1111")  # Sam approves reading the list ...
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("p")  # ... but each change asks again
        await pilot.pause()
        assert isinstance(app.screen, ApprovalModal)


async def test_the_rota_shows_gaps_and_a_volunteer_covers_one(tmp_path):
    from pos.tui.screens.rota import RotaScreen

    shop = demo_shop(tmp_path)  # Friday 20 November 2026; the demo rota leaves gaps
    jo = shop.volunteers.by_name("Jo Beckford")
    assert any(w.startswith("Rota:") for w in shop.sign_in_warnings(shop.volunteers.by_name("Sam Ortiz")))
    assert not any(w.startswith("Rota:") for w in shop.sign_in_warnings(jo))
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("f10", "f5")
        await pilot.pause()
        assert isinstance(app.screen, RotaScreen)
        await pilot.press("pagedown")  # next week: all of it is still to come
        await pilot.pause()
        shown = app.screen.shown
        wednesday_pm = next(i for i, p in enumerate(shown) if p.on.weekday() == 2 and p.slot.starts == "13:00")
        assert shown[wednesday_pm].gap == 1
        app.screen.query_one("#rota-list").highlighted = wednesday_pm
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.shown[wednesday_pm].covering == [(jo.id, "Jo Beckford")], \
            str(app.screen.query_one("#message").render())
        await pilot.press("n")  # planning needs a shift lead
        await pilot.pause()
        assert isinstance(app.screen, ApprovalModal)


async def test_counting_people_in_and_signposting_during_a_sale(tmp_path):
    from pos.tui.modals.signpost import SignpostModal
    from pos.tui.modals.tally import TallyModal

    shop = demo_shop(tmp_path)  # the demo directory is imported with the demo shop
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)  # a sale in progress
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, TallyModal)
        await pilot.press("1", "3", "3", "backspace", "f")  # an adult and an under-5 (one tap undone)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.basket.family_under5  # the mark is on this sale
        assert "Family with under-5s" in str(app.screen.query_one("#basket-flags").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SignpostModal)
        await type_text(pilot, "credit")
        await pilot.press("enter")
        await pilot.pause()
        assert "Signposted to Estate Credit Union" in str(app.screen.query_one("#message").render())
        await pilot.press("ctrl+s", "enter")  # two keys: the one used last comes first
        await pilot.pause()
        assert app.screen.basket.lines  # the sale was never disturbed
        await pilot.press("f2", "f2")
        await pilot.pause()
        sale = shop.till.get_sale(1)
        db = shop.db
        assert db.execute("select family_under5 from sales where id = ?", [sale.id]).fetchone()[0] == 1
        assert shop.footfall.today() == {"adult": 1, "child": 0, "under5": 1, "visits": 1}
        rows = db.execute("select s.name, p.family_under5, p.contact_member from signposts p"
                          " join services s on s.id = p.service_ref").fetchall()
        assert rows == [("Estate Credit Union", 1, None), ("Estate Credit Union", 1, None)]


async def test_centre_staff_see_the_reports_under_disclosure_control_and_nothing_else(tmp_path):
    from pos.tui.screens.reach import ReachScreen

    shop = demo_shop(tmp_path)
    jo = shop.volunteers.by_name("Jo Beckford")
    for _ in range(3):  # three under-5s in today: too few to show as a number outside the café
        shop.footfall.tap("under5", volunteer_id=jo.id)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Chris", "7777", float_amount=None)
        await pilot.pause()
        assert isinstance(app.screen, ReachScreen)
        shown = str(app.screen.query_one("#reach").render())
        assert "under-5s <5" in shown and "disclosure control" in shown
        assert shop.till.current_session() is None and shop.till.shifts.on_shift("till-1") == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.volunteer is None
        await sign_in(pilot, "Priya", "2222")  # a shift lead sees the true figures from F10
        await pilot.press("f10", "f6")
        await pilot.pause()
        assert isinstance(app.screen, ReachScreen)
        assert "under-5s 3" in str(app.screen.query_one("#reach").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, ReachScreen)


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


async def test_till_credit_needs_the_card_not_a_typed_number(tmp_path):
    shop = demo_shop(tmp_path)
    member = _member(shop)
    with shop.db.atomic():
        shop.db.execute("insert into member_credit (member_id, at, amount_pence, kind, reference)"
                        " values (?, '2026-01-01T00:00:00Z', 500, 'dividend', 'dividend 1')", [member.id])
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "M0001")  # typed: anyone could
        await scan(pilot, "K2")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert "card" in str(app.screen.query_one("#pay-error").render())
        assert shop.membership.dividends.credit_balance(member.id) == 500
        await pilot.press("escape")
        await pilot.pause()
        await scan(pilot, member.card_code)  # the card itself
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f9", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert shop.membership.dividends.credit_balance(member.id) == 500 - 171  # K2 £1.80 less 5%


async def test_member_money_at_the_till_shares_in_and_a_cash_dividend_out(tmp_path):
    from datetime import timedelta

    from pos.tui.modals.pick import PickModal

    shop = demo_shop(tmp_path)
    member = _member(shop)
    lead = shop.volunteers.by_name("Priya Kell")
    membership = shop.membership
    membership.update_member(member, {"dividend_payout": "cash"}, operator_id=lead.id)
    basket = Basket()
    shop.till.scan(basket, "K2")
    membership.attach(basket, member, card=True)
    shop.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                            operator_id=lead.id)
    day = shop.today()
    shop.clock.moment += timedelta(days=1)
    membership.declare_dividend(day, day, 300, operator_id=lead.id)
    shop.clock.moment -= timedelta(days=1)  # back to the day's trade: no cash-up waiting
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert not isinstance(app.screen, PickModal)  # no card scanned: nobody's money is shown
        await scan(pilot, member.card_code)
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await pilot.press("enter")  # buy more shares
        await pilot.pause()
        await type_text(pilot, "5")
        await pilot.press("enter")
        await pilot.pause()
        assert membership.shares.held(member.id) == 15
        assert "Take £5.00" in str(app.screen.query_one("#message").render())
        await pilot.press("ctrl+u")
        await pilot.pause()
        labels = [str(o.prompt) for o in app.screen.query_one("#pick-list").options]
        assert any("in cash: £3.00" in label for label in labels)
        await pilot.press(*["down"] * next(i for i, label in enumerate(labels) if "in cash" in label), "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert membership.dividends.owed() == []
        report = shop.current_report()
        assert (report.share_capital_in_pence, report.dividend_paid_pence) == (1000 + 500, 300)


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


async def test_money_taken_before_esc_in_the_pay_dialog_is_kept_until_paid_or_voided(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "2*" + BREAD)  # £2.60
        await pilot.press("f2")
        await type_text(pilot, "1.00")
        await pilot.press("f6")  # £1.00 on the card terminal ...
        await pilot.pause()
        # On disk at once: had the till stopped here, the card payment would come back with the basket.
        assert [(t.kind, t.amount_pence) for t in shop.till.open_basket().taken] == [("card", 100)]
        await pilot.press("escape")  # ... then back: the customer wants a tea too
        await pilot.pause()
        assert isinstance(app.screen, SellingScreen)
        assert "£1.00 card already taken is kept" in str(app.screen.query_one("#message").render())
        assert "Already paid £1.00" in str(app.screen.query_one("#basket-flags").render())
        # Saved with the open basket: a crash now would not forget the card payment.
        assert [(t.kind, t.amount_pence) for t in shop.till.open_basket().taken] == [("card", 100)]
        await pilot.press("f5")  # parking would leave the payment behind
        assert "F8 to void" in str(app.screen.query_one("#message").render()) and not shop.till.parked()
        await scan(pilot, "T1")  # £1.20
        await pilot.press("f2")
        await pilot.pause()
        summary = str(app.screen.query_one("#pay-summary").render())
        assert "Card" in summary and "£1.00" in summary and "Still to pay        £2.80" in summary
        await pilot.press("f2")  # the rest in cash
        await pilot.pause()
        sale = shop.till.get_sale(1)
        assert sorted((t.kind, t.amount_pence) for t in sale.tenders) == [("card", 100), ("cash", 280)]
        assert sale.total_pence == 380
        # Finished: nothing is carried on to the next basket.
        await scan(pilot, BEANS)
        await pilot.press("f2")
        await pilot.pause()
        assert "Card" not in str(app.screen.query_one("#pay-summary").render())
        await type_text(pilot, "0.50")
        await pilot.press("f6")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("delete")  # the last line cannot go while money is held for it
        assert app.screen.basket.lines and app.screen.basket.taken
        await pilot.press("f8")  # void: the message says what to give back
        message = str(app.screen.query_one("#message").render())
        assert "voided" in message and "refund £0.50 on the card terminal" in message
        assert app.screen.basket.taken == [] and app.screen.basket.is_empty
        assert "after £0.50 card was taken" in shop.db.execute("select reason from voids").fetchone()[0]


async def test_enter_on_an_empty_pin_asks_for_it_and_uses_no_try(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "Jo")
        await pilot.press("enter")
        for _ in range(6):  # more than the five wrong PINs that lock someone out
            await pilot.press("enter")
        assert "Type the PIN" in str(app.screen.query_one("#sign-in-error").render())
        await type_text(pilot, "3333")  # and Jo's PIN still works
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the suggested float
        await pilot.pause()
        assert isinstance(app.screen, SellingScreen)
        await pilot.press("f11")  # the drawer with no sale: a lead approves
        await pilot.pause()
        assert isinstance(app.screen, ApprovalModal)
        for _ in range(6):
            await pilot.press("enter")
        assert "Type the PIN" in str(app.screen.query_one("#approval-error").render())
        await type_text(pilot, "0000")
        await pilot.press("enter")
        assert "4 more tries" in str(app.screen.query_one("#approval-error").render())


async def test_a_receipt_scanned_at_the_till_is_what_f9_reprints_and_f7_refunds(tmp_path):
    from pos.tui.modals.refund import RefundModal
    from pos.tui.modals.text_view import TextModal

    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        for code in (BEANS, MILK):
            await scan(pilot, code)
            await pilot.press("f2", "f2")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await scan(pilot, "till-1/1")  # what the receipt's barcode holds
        message = str(app.screen.query_one("#message").render())
        assert "Receipt till-1/1" in message and "F9 reprints it, F7 refunds it" in message
        assert "Unknown" not in message and app.screen.basket.is_empty
        await pilot.press("f9")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TextModal) and "#1" in app.screen.text and "Baked beans" in app.screen.text
        await pilot.press("escape")
        await scan(pilot, "till-1/1")
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, RefundModal) and app.screen.sale.sale_number == 1
        assert app.focused is app.screen.query_one("#refund-reason")  # found: only the reason is asked
        await type_text(pilot, "dented")
        await pilot.press("enter")
        await pilot.pause()
        assert shop.till.get_sale(3).kind == "refund" and shop.till.get_sale(3).total_pence == -95
        # Scanning something else forgets the receipt: F9 is the last sale's again.
        await scan(pilot, "till-1/1")
        await scan(pilot, BREAD)
        await pilot.press("f9")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TextModal) and "#3" in app.screen.text
        await pilot.press("escape")
        await scan(pilot, "till-1/99")
        assert "no sale number 99" in str(app.screen.query_one("#message").render())


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
        await pilot.press("f8", "f10")  # the other screens' footers fit too
        await pilot.pause()
        assert "Esc" in shown() and len(shown()) == 6
        await pilot.press("f5")
        await pilot.pause()
        assert "Esc" in shown() and "PgDn" in shown()
