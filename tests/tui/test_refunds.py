"""Refunds at the till: a lead's approval, part of a sale, a scanned receipt."""

from __future__ import annotations

from pos.tui.screens.selling import SellingScreen
from tests.tui.conftest import BEANS, BREAD, MILK, app_for, count, demo_shop, scan, sign_in, type_text


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
