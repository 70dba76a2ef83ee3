"""The web back office in a real browser (Debian's chromium, tests/web/browser.py), at a phone's width and
a laptop's: a member signs up with the code the till prints, reads their statement and asks to withdraw; a volunteer offers
to cover a gap in the rota. Every page on the way is checked with axe-core and photographed (the member's
statement into docs/screenshots/ for the README, the rest into tmp/screenshots/ for review)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web import browser as harness
from tests.web.browser import (
    LAPTOP,
    PHONE,
    check_accessibility,
    click_and_wait,
    screenshot,
    scrolls_sideways,
    set_width,
)
from tests.web.conftest import PASSWORD, join
from volunteers.offers import Offers
from volunteers.people import Role

#: The harness's fixtures, for pytest to find in this module.
browser, served_app = harness.browser, harness.served_app

AT = "2026-01-01T00:00:00+00:00"
NEXT_TUESDAY = date(2026, 11, 24)


@pytest.fixture
def site(browser, served_app, app):
    """The back office served on this machine, with a browser that has never been there (the one chromium
    is shared by every test, and cookies do not care about the port)."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return served_app(app)


def fill(browser, **fields: str) -> None:
    from selenium.webdriver.common.by import By

    for name, value in fields.items():
        box = browser.find_element(By.ID, name)
        box.clear()
        box.send_keys(value)


def submit(browser, label: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    buttons = [b for b in browser.find_elements(By.CSS_SELECTOR, "main button[type=submit]")
               if label is None or b.text.startswith(label)]
    click_and_wait(browser, buttons[0])


def follow(browser, text: str) -> None:
    from selenium.webdriver.common.by import By

    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, text))


def looked_at(browser, name: str, width: int, *, for_readme: bool = False) -> None:
    """The page fits the screen, passes axe-core and is kept as a picture."""
    assert not scrolls_sideways(browser), f"{browser.current_url} scrolls sideways at {width} px"
    check_accessibility(browser)
    screenshot(browser, name, width, for_readme=for_readme)
    set_width(browser, width)


def main_text(browser) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.TAG_NAME, "main").text


def use_code_and_sign_in(browser, site: str, login: str, code: str, width: int, name: str) -> None:
    """The slip's (or the manager's) code on /use-code, then the new password on the sign-in page."""
    set_width(browser, width)
    browser.get(site + "/use-code")
    fill(browser, login=login, code=code, password=PASSWORD, repeated=PASSWORD)
    looked_at(browser, f"{name}-use-code", width)
    submit(browser)
    assert "Your password is set" in main_text(browser)
    fill(browser, password=PASSWORD)
    looked_at(browser, f"{name}-sign-in", width)
    submit(browser)
    assert browser.current_url == site + "/"


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_a_member_signs_up_with_the_printed_code_reads_their_statement_and_asks_to_withdraw(
        browser, site, shop, access, width):
    member = join(shop, "Ada Able", shares=5)
    # As `till members web-code` does before printing the slip.
    code = access.issue_member_code(member, by="Morgan Test", today=shop.today())
    use_code_and_sign_in(browser, site, member.number, code, width, "member")
    looked_at(browser, "member-home", width)
    follow(browser, "My statement")
    text = main_text(browser)
    assert "Ada Able, member " + member.number in text and "Bought" in text
    looked_at(browser, "member-statement", width, for_readme=True)
    browser.get(site + "/")
    follow(browser, "Ask to withdraw shares")
    fill(browser, shares="2", password=PASSWORD)
    submit(browser, "Send my request")
    assert "Your request to withdraw 2 shares is with the board" in main_text(browser)
    looked_at(browser, "member-withdraw", width)
    assert [w.shares for w in shop.membership.shares.withdrawals(member.id)] == [2]


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_a_volunteer_offers_to_cover_a_gap(browser, site, shop, access, width):
    boss = shop.volunteers.by_name("Morgan Test").id
    kim = shop.volunteers.add("Kim Regular", Role.volunteer, at=AT)
    offers = Offers(shop.till)
    slot = offers.rota.add_slot("tue", "09:00", "13:00", needed=2, label="Café morning", operator_id=boss)
    offers.rota.put_on(slot.id, kim.id, week_of=None, operator_id=boss)
    code = access.issue_staff_code(shop.volunteers.by_name("Val Test"), by="Morgan Test")
    use_code_and_sign_in(browser, site, "Val Test", code, width, "volunteer")
    follow(browser, "The rota")
    assert "Needs 1 more." in main_text(browser)
    looked_at(browser, "volunteer-rota", width)
    submit(browser, "I can cover this")
    assert "Thank you: a shift lead will answer." in main_text(browser)
    looked_at(browser, "volunteer-offered", width)
    assert [(o.name, o.on) for o in offers.waiting()] == [("Val Test", NEXT_TUESDAY)]
    follow(browser, "Community Till")
    follow(browser, "My volunteering")
    assert "Tue 24 Nov, 09:00 to 13:00: Café morning (waiting for a shift lead)" in main_text(browser)
    looked_at(browser, "volunteer-volunteering", width)
