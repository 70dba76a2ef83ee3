"""The treasurer's and the board's pages in a real browser (Debian's chromium, tests/web/browser.py), at a
phone's width and a laptop's: the treasurer changes a price, seeing the old beside the new, and finds it
current; a board member reads the volunteers' hours. Every page on the way fits the screen, passes axe-core
and is photographed (the catalogue, the confirmation and the hours into docs/screenshots/ for the README)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import LONDON, make_products
from tests.web import browser as harness
from tests.web.browser import LAPTOP, PHONE
from tests.web.test_browser_flows import fill, follow, looked_at, main_text, site, submit, use_code_and_sign_in
from volunteers.people import Role

#: The harness's fixtures and the flows' site, for pytest to find in this module.
browser, served_app, site = harness.browser, harness.served_app, site

AT = "2026-01-01T00:00:00+00:00"


def words(browser) -> str:
    """The page's text with its table cells' and lines' breaks as single spaces."""
    return " ".join(main_text(browser).split())


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_treasurer_changes_a_price_and_sees_it_current(browser, site, shop, access, width):
    milk = make_products(shop.db)["milk"]
    tomasz = shop.volunteers.add("Tomasz Nowicki", {Role.shift_lead, Role.treasurer}, at=AT)
    code = access.issue_staff_code(tomasz, by="Morgan Test")
    use_code_and_sign_in(browser, site, "Tomasz Nowicki", code, width, "treasurer")
    follow(browser, "The catalogue")
    assert "Milk 2 pints £1.45 zero rate 0" in words(browser)
    looked_at(browser, "catalogue", width, for_readme=True)
    follow(browser, "Milk 2 pints")
    fill(browser, price="1.55")
    submit(browser, "Check the new price")
    text = main_text(browser)
    assert "Change the price of Milk 2 pints?" in text and "£1.45" in text and "£1.55" in text
    looked_at(browser, "catalogue-confirm", width, for_readme=True)
    assert shop.catalogue.get(milk.id).price_pence == 145  # not until it is confirmed
    submit(browser, "Change it to £1.55")
    assert "The new price is current from now on" in main_text(browser)
    assert "Price now £1.55" in words(browser)
    looked_at(browser, "catalogue-changed", width)
    assert shop.catalogue.get(milk.id).price_pence == 155


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_a_board_member_reads_the_volunteers_hours(browser, site, shop, clock, access, width):
    val = shop.volunteers.by_name("Val Test").id
    clock.moment = datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)
    shop.till.start_shift(val)
    clock.moment = datetime(2026, 11, 18, 12, 30, tzinfo=LONDON)
    shop.till.sign_out(val)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    bea = shop.volunteers.add("Bea Board", Role.board_member, at=AT)
    code = access.issue_staff_code(bea, by="Morgan Test")
    use_code_and_sign_in(browser, site, "Bea Board", code, width, "board")
    follow(browser, "Volunteers' hours")
    text = main_text(browser)
    assert "Val Test" in text and "2026-11" in text and "3:30" in text
    looked_at(browser, "team-hours", width, for_readme=True)
    browser.get(site + "/")
    follow(browser, "Training that has run out")
    looked_at(browser, "team-training", width)
    browser.get(site + "/")
    follow(browser, "The rota and its gaps")
    looked_at(browser, "team-rota", width)
