"""Receipts at the till: printers that are off or silent, previews, reprints, receipts waiting to print."""

from __future__ import annotations

from pos.tui.screens.selling import SellingScreen
from tests.tui.conftest import BEANS, BREAD, MILK, app_for, demo_shop, scan, sign_in, type_text


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
