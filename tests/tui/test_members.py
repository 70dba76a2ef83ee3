"""Co-op members at the till: joining, member prices, My shares, till credit, shares in and dividends out."""

from __future__ import annotations

from pos.basket import Basket
from pos.tenders import Tender, TenderKind
from pos.tui.screens.sign_in import SignInScreen
from tests.tui.conftest import app_for, demo_shop, scan, sign_in, type_text


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
        # The welcome slip shows on screen; the till keeps no file of it (it carries the card's code).
        assert "WELCOME TO THE CO-OP" in app.screen.query_one("#receipt-preview").text
        assert not list((tmp_path / "receipts").glob("member-*"))


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
    board = shop.volunteers.by_name("Sam Ortiz")  # a dividend is the board's (a shift lead may not declare one)
    membership.declare_dividend(day, day, 300, operator_id=board.id)
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
