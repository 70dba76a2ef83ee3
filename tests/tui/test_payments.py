"""Paying at the till: a free basket, rounding up, pay it forward, time credits, money taken before Esc."""

from __future__ import annotations

from pos.tui.screens.selling import SellingScreen
from tests.tui.conftest import BEANS, BREAD, app_for, demo_shop, scan, sign_in, type_text


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
        await pilot.press("f8")  # void, once asked: the big panel says what to give back
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "voided" in str(app.screen.query_one("#message").render())
        assert "Refund £0.50 on the card terminal" in str(app.screen.query_one("#change-due").render())
        assert app.screen.basket.taken == [] and app.screen.basket.is_empty
        assert "after £0.50 card was taken" in shop.db.execute("select reason from voids").fetchone()[0]
