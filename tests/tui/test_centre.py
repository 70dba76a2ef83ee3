"""The children's centre at the till: people counted in, signposting, the reach figures under disclosure control."""

from __future__ import annotations

from datetime import date, datetime

from pos.tui.screens.sign_in import SignInScreen
from tests.conftest import LONDON, FakeClock
from tests.tui.conftest import BEANS, app_for, demo_shop, scan, sign_in, type_text


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
        assert isinstance(app.screen, SignpostModal)  # recorded; now what to tell them
        details = str(app.screen.query_one("#signpost-contact").render())
        assert "Phone: 01632 960102" in details and "Open: Mon, Wed, Fri 10:00-14:00" in details
        assert "14 Market Parade" in details and "Web: https://example.org/credit-union" in details
        await pilot.press("f4")  # a slip for them, on the receipt printer (here the preview one)
        await app.workers.wait_for_complete()
        await pilot.pause()
        from pos.tui.modals.text_view import TextModal

        assert isinstance(app.screen, TextModal)
        slip = str(app.screen.query_one(".mono").render())
        assert "Estate Credit Union" in slip and "01632 960102" in slip
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignpostModal)
        await pilot.press("enter")
        await pilot.pause()
        assert "Signposted to Estate Credit Union" in str(app.screen.query_one("#message").render())
        await pilot.press("ctrl+s", "enter", "enter")  # the one used last comes first
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

    clock = FakeClock(datetime(2026, 11, 13, 10, 0, tzinfo=LONDON))  # Friday of last week
    shop = demo_shop(tmp_path, clock=clock)
    jo = shop.volunteers.by_name("Jo Beckford")
    for _ in range(3):  # three under-5s in: too few to show as a number outside the café
        shop.footfall.tap("under5", volunteer_id=jo.id)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)  # centre staff see only ended weeks and months
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


async def test_centre_staff_export_a_week_to_a_folder_from_their_screen(tmp_path):
    from pos.tui.modals.centre_export import CentreExportModal, default_folder
    from pos.tui.screens.reach import ReachScreen

    shop = demo_shop(tmp_path)  # Friday 20 November 2026
    app = app_for(shop)
    usb = tmp_path / "USB STICK"
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Chris", "7777", float_amount=None)
        assert isinstance(app.screen, ReachScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CentreExportModal)
        folder = app.screen.query_one("#export-folder")
        assert folder.value == str(default_folder())  # the documents folder, until another is typed
        await pilot.press("ctrl+a", "ctrl+k")  # the box is cleared, then the USB stick's folder typed
        await type_text(pilot, str(usb))
        await pilot.press("down", "enter")  # the week before last: Mon 2 to Sun 8 November
        await pilot.pause()
        assert isinstance(app.screen, ReachScreen)
        said = str(app.screen.query_one("#reach-said").render())
        assert f"are in {usb}" in said and "Mon 02 Nov to Sun 08 Nov 2026" in said
        assert sorted(p.name for p in usb.iterdir()) == [f"centre-figures-2026-11-02-to-2026-11-08.{s}"
                                                         for s in ("csv", "html", "json")]


async def test_centre_staff_at_the_office_are_told_when_every_tills_figures_went_out_for_those_days(tmp_path):
    from centre.export import prepare
    from centre.figures import gather
    from pos.tui.screens.reach import ReachScreen

    clock = FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=LONDON))
    shop = demo_shop(tmp_path, clock=clock)
    # The office released every till's figures for October and November (`till footfall export --all-tills`).
    first, last = date(2026, 10, 1), date(2026, 11, 30)
    prepare(shop.db, gather(shop.db, first, last, zone=LONDON), threshold=5, society="S",
            generated_at=clock.moment, kind="export (all tills)")
    releases = shop.db.execute("select count(*) from centre_releases").fetchone()[0]
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Chris", "7777", float_amount=None)
        await pilot.pause()
        assert isinstance(app.screen, ReachScreen)
        shown = str(app.screen.query_one("#reach").render())
        assert "every till's were released for some of these days already" in shown, shown
        assert "Choose other weeks or months." in shown
    assert shop.db.execute("select count(*) from centre_releases").fetchone()[0] == releases
