"""Where money is in someone's hand: a Z under an open screen, voiding and quitting with money
taken, what to give back after a refund, and the share money when someone joins."""

from __future__ import annotations

from pos.shop import Shop
from pos.tui.modals.pay import PayModal
from pos.tui.modals.pick import PickModal
from pos.tui.modals.refund import RefundModal
from pos.tui.screens.selling import SellingScreen
from tests.tui.conftest import BEANS, BREAD, app_for, demo_shop, scan, sign_in, type_text


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def z_from_the_command_line(shop: Shop) -> None:
    """The Z as `till z` would do it: the same file, on a connection of its own."""
    from pos.database import open_database

    other = Shop(settings=shop.settings, db=open_database(shop.settings.db), clock=shop.clock)
    try:
        lead = other.volunteers.by_name("Priya Kell")
        other.till.close_session(0, operator_id=lead.id)
    finally:
        other.close()


async def test_a_z_under_the_open_screen_offers_a_new_float_and_keeps_the_money(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        first = shop.till.current_session().id
        await scan(pilot, "T1")  # £1.20
        await pilot.press("f2")
        await pilot.pause()
        z_from_the_command_line(shop)
        await type_text(pilot, "2.00")
        await pilot.press("enter")  # £2.00 cash in the volunteer's hand
        await pilot.pause()
        # The till says what happened and offers the way on; a shift lead opens it again.
        assert "closed" in text(app, ".dialog-title") and "float" in text(app, ".dialog-title")
        assert "payments taken are kept" in text(app, ".detail")
        await pilot.press("escape")  # not now: back in the pay dialog, the cash still counted
        await pilot.pause()
        assert isinstance(app.screen, PayModal) and [t.amount_pence for t in app.screen.tenders] == [200]
        await pilot.press("enter")  # try again: the offer again
        await pilot.pause()
        await type_text(pilot, "20.00")  # the float ...
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "2222")  # ... and Jo is a volunteer: Priya (first listed) approves
        await pilot.press("enter")
        await pilot.pause()
        session = shop.till.current_session()
        assert session is not None and session.id != first and session.float_pence == 2000
        sale = shop.till.get_sale(1)
        assert sale.session_id == session.id and sale.total_pence == 120 and sale.change_pence == 80
        assert isinstance(app.screen, SellingScreen) and app.screen.basket.is_empty
        assert "0.80" in str(app.screen.query_one("#total").value)


async def test_the_screen_notices_a_z_between_sales_and_keeps_the_basket(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        await scan(pilot, BEANS)
        z_from_the_command_line(shop)
        app.screen.check_session()  # what the screen does every few seconds
        await pilot.pause()
        assert "closed" in text(app, ".dialog-title") and "basket is kept" in text(app, ".detail")
        selling = next(s for s in app.screen_stack if isinstance(s, SellingScreen))
        assert "till was closed" in str(selling.query_one("#message").render())
        await type_text(pilot, "10.00")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SellingScreen) and len(app.screen.basket.lines) == 1
        assert shop.till.current_session().float_pence == 1000
        await pilot.press("f8")  # void works again: the basket belongs to the new session
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.basket.is_empty


async def test_void_asks_first_and_shows_what_to_give_back_in_the_big_panel(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "2*" + BREAD)  # £2.60
        await pilot.press("f2")
        await type_text(pilot, "1.00")
        await pilot.press("f6")  # £1.00 on the card
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        assert "refund £1.00 on the card terminal" in text(app, ".detail")
        await pilot.press("enter")  # the first choice keeps the basket
        await pilot.pause()
        assert isinstance(app.screen, SellingScreen) and app.screen.basket.taken
        assert not shop.db.execute("select count(*) from voids").fetchone()[0]
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.basket.is_empty and shop.db.execute("select count(*) from voids").fetchone()[0] == 1
        assert "Give back" in text(app, "#total-caption") and app.screen.query_one("#total").value == "1.00"
        assert "Refund £1.00 on the card terminal" in text(app, "#change-due")
        await scan(pilot, BEANS)  # the next sale clears it
        assert text(app, "#change-due") == "" and "To pay" in text(app, "#total-caption")


async def test_quitting_with_an_open_basket_asks_first(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, "2*" + BREAD)
        await pilot.press("f2")
        await type_text(pilot, "1.00")
        await pilot.press("enter")  # £1.00 cash taken ...
        await pilot.press("escape")  # ... and back to the basket
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, PickModal) and "£1.00 cash" in text(app, ".detail")
        await pilot.press("enter")  # keep selling
        await pilot.pause()
        assert app.return_code is None and isinstance(app.screen, SellingScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.return_code == 0
    # Nothing lost: the basket and its cash come back with the next start.
    assert [t.amount_pence for t in shop.till.open_basket().taken] == [100]


async def test_refund_shows_its_total_and_what_to_give_back(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        await scan(pilot, "2*" + BEANS)  # £1.90
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f7")
        await type_text(pilot, "1")
        await pilot.press("enter")
        await pilot.pause()
        assert "£1.90" in text(app, "#refund-total")
        await pilot.press("f3")  # one fewer
        assert "£0.95" in text(app, "#refund-total")
        waste = app.screen.query_one("#refund-waste")
        assert "no" in str(waste.label).lower()
        await type_text(pilot, "dented")
        await pilot.press("enter")
        await pilot.pause()
        refund = shop.till.get_sale(2)
        assert refund.total_pence == -95
        assert not shop.db.execute("select count(*) from stock_movements where kind = 'wastage'").fetchone()[0]
        assert "Give back" in text(app, "#total-caption") and app.screen.query_one("#total").value == "0.95"
        assert "Give back £0.95 cash" in text(app, "#change-due")


async def test_the_waste_box_says_which_it_is_and_enter_does_not_tick_it(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, BEANS)
        await pilot.press("f2", "f2")
        await pilot.pause()
        await pilot.press("f7")
        await type_text(pilot, "1")
        await pilot.press("enter")
        await type_text(pilot, "dented")
        await pilot.press("enter")  # Jo needs a lead's PIN ...
        await pilot.pause()
        await pilot.press("escape")  # ... and none is near
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab", "enter")  # Tab does not reach the box, so Enter cannot tick it
        await pilot.pause()
        if not isinstance(app.screen, RefundModal):  # the Enter asked for a lead's PIN again
            await pilot.press("escape")
            await pilot.pause()
        waste = app.screen.query_one("#refund-waste")
        assert waste.value is False and "no" in str(waste.label).lower()
        await pilot.press("f5")  # ticked on purpose
        assert waste.value is True and "yes" in str(waste.label).lower()


async def test_joining_says_to_take_the_share_money_and_shows_the_slip(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        await pilot.press("ctrl+n")
        await type_text(pilot, "Robin Sample")
        await pilot.press("enter")
        await type_text(pilot, "4 Larch Close, Townsville")
        await pilot.press("enter")
        await type_text(pilot, "10")
        await pilot.pause()
        assert "Take £10.00" in text(app, "#join-total")
        await pilot.press("f2")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Take £10.00 for 10 shares into the drawer" in text(app, "#message")
        assert "WELCOME TO THE CO-OP" in app.screen.query_one("#receipt-preview").text
