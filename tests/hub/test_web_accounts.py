"""The accounts export page at the office of a real PostgreSQL hub: the journals are every till's, from the
consolidated copy (as `till accounts export --all-tills` reads it), and the audit says so."""

from __future__ import annotations

import re

from accounts.chart import Chart
from accounts.download import download
from accounts.journals import export
from pos.config import Settings, WebSettings
from pos.consolidated import copy_path, open_copy
from pos.shop import Shop
from pos.web.app import create_app
from tests.hub.shared_tills import society
from tests.hub.test_web_takings import CLOCK, _pull, _sell
from tests.web.conftest import SECRET, client_for, csrf, sign_in, sign_up
from volunteers.permissions import Action

DAY = "2026-11-20"


def test_at_the_office_the_export_is_every_tills_journals_from_the_consolidated_copy(tmp_path, hub_url):
    office, till2 = society(tmp_path, hub_url, tills=1)
    till = Shop.open(Settings(db=till2.path, till_id=till2.name), clock=CLOCK)
    taken = _sell(till)
    till.till.close_session(taken, operator_id=till.volunteers.by_name("Sam Ortiz").id)
    till.close()
    till2.sync()

    shop = Shop.open(Settings(db=office.path, till_id=office.name), clock=CLOCK)
    try:
        app = create_app(shop, WebSettings(), SECRET)
        treasurer = client_for(app)
        sign_up(treasurer, app.app.state.web.access, shop.volunteers.by_name("Tomasz Nowicki"), "Tomasz Nowicki")
        sign_in(treasurer, "Tomasz Nowicki")

        def exported():
            token = csrf(treasurer.get("/books/accounts").text)
            return treasurer.post("/books/accounts", data={"csrf": token, "first": DAY, "last": DAY, "format": "csv"})

        assert ",till-2," not in exported().text  # the office's own books: no till 2 yet
        _pull(office, hub_url)
        page = treasurer.get(f"/books/accounts?first={DAY}&last={DAY}").text
        assert "Figures from every till as of 10:00." in page
        answer = exported()
        copy = open_copy(copy_path(office.path), create=False)
        try:
            settings = shop.settings
            chart = Chart(settings.accounts)
            found = export(copy, CLOCK().date(), CLOCK().date(), chart=chart, zone=settings.zone,
                           vat_registered=settings.society.vat_registered,
                           share_value_pence=settings.coop.share_value_pence)
        finally:
            copy.close()
        assert ",till-2," in answer.text
        assert answer.content == download(found, "csv", chart=chart, first=CLOCK().date(), last=CLOCK().date()).content
        details = [row[0] for row in shop.db.execute("select detail from audit_log where action = ?",
                                                     [Action.accounts_export.value])]
        assert details[-1] == f"web back office: accounts export {DAY} to {DAY} as csv for every till"
        assert re.search(r"as csv$", details[0])  # before the pull: the office's own books, not every till's
    finally:
        shop.close()
