"""Volunteers at the till: training warnings, My volunteering, the team screen and the rota."""

from __future__ import annotations

from pos.tui.modals.approval import ApprovalModal
from tests.tui.conftest import app_for, demo_shop, sign_in, type_text


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


async def test_certificates_and_rota_gaps_are_told_apart_and_leave_the_cash_up_clear(tmp_path):
    from datetime import date

    from pos.tui.app import SIGN_IN_NOTICE_SECONDS
    from pos.tui.screens.cash_up import CashUpScreen

    shop = demo_shop(tmp_path)  # the demo rota leaves gaps in the coming week
    sam = shop.volunteers.by_name("Sam Ortiz")
    shop.certificates.record(sam.id, "First aid", certified_on=date(2023, 11, 1), expires_on=date(2026, 11, 1),
                             by=sam.id, at=shop.till.now())
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Sam", "1111")
        notices = {n.title: n for n in app._notifications}
        assert "Training" not in notices
        assert "Your first aid expired on 01/11/2026" in notices["Certificates"].message
        assert "Rota" not in notices["Certificates"].message
        assert "still need people" in notices["Rota gaps"].message
        assert not notices["Rota gaps"].message.startswith("Rota:")  # the title says it
        assert all(n.timeout <= SIGN_IN_NOTICE_SECONDS <= 6 for n in notices.values())
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, CashUpScreen)
        assert list(app._notifications) == []  # nothing over the X and Z figures
        await pilot.press("f2")
        await pilot.pause()
        assert list(app._notifications) == []


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
        await pilot.press("enter")  # Enter skips the role (volunteer) and office (none) choices to the PIN
        await pilot.pause()
        assert app.focused.id == "field-pin", app.focused
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
        assert isinstance(app.screen, TeamScreen), str(app.screen.query_one("#form-error").render())
        kim = shop.volunteers.by_name("Kim Newcomer")
        assert "Kim Newcomer" in str(app.screen.query_one("#team-detail").render())
        await pilot.press("l")
        await type_text(pilot, "yes")
        await pilot.press("enter")
        await pilot.pause()
        assert not shop.volunteers.get(kim.id).active


async def test_a_manager_gives_someone_a_role_at_the_till_and_an_office_together(tmp_path):
    from pos.tui.modals.form import FormModal
    from pos.tui.screens.team import TeamScreen
    from volunteers.people import Role

    shop = demo_shop(tmp_path)
    priya = shop.volunteers.by_name("Priya Kell")
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Sam", "1111")
        await pilot.press("f10", "f4")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        app.screen.refresh_list(priya.id)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert app.screen.query_one("#field-role").value == Role.shift_lead.value
        assert app.screen.query_one("#field-office").value == "none"
        app.screen.query_one("#field-office").value = f"{Role.treasurer.value},{Role.board_member.value}"
        app.screen.query_one("#field-member").focus()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        assert shop.volunteers.get(priya.id).roles == {Role.shift_lead, Role.treasurer, Role.board_member}
        assert "shift lead, treasurer, board member" in str(app.screen.query_one("#team-detail").render()).lower()
        # Both parts none is refused in a sentence, and nothing changes.
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-role").value = "none"
        app.screen.query_one("#field-office").value = "none"
        app.screen.query_one("#field-member").focus()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert "choose a role at the till" in str(app.screen.query_one("#form-error").render()).lower()
        assert shop.volunteers.get(priya.id).roles == {Role.shift_lead, Role.treasurer, Role.board_member}


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
