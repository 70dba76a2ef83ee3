"""The treasurer's takings pages in a real browser (Debian's chromium, tests/web/browser.py), over the demo shop's
days of trade: Tomasz Nowicki, shift lead and treasurer, signs in, reads the week's takings, opens the Z reports
and drills into one to its session's sales. Each page fits a phone and a laptop without sideways scrolling and
passes axe-core; the takings page and a Z are photographed into docs/screenshots/ for the README."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.money import format_pence
from pos.config import Settings
from pos.reports import session_report
from pos.shop import Shop
from tests.conftest import LONDON, FakeClock
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
from tests.web.conftest import PASSWORD

#: The harness's fixtures, for pytest to find in this module.
browser, served_app = harness.browser, harness.served_app

TREASURER = "Tomasz Nowicki"


@pytest.fixture
def shop(demo_db):
    """The demo shop the morning after its last day of trade (Friday 20 November 2026)."""
    shop = Shop.open(Settings(db=demo_db), clock=FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)))
    yield shop
    shop.close()


def looked_at(driver, name: str, width: int) -> None:
    assert not scrolls_sideways(driver), f"{driver.current_url} scrolls sideways at {width} px"
    check_accessibility(driver)
    screenshot(driver, name, width, for_readme=True)
    set_width(driver, width)


def main_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "main").text


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_treasurer_reads_the_takings_and_a_z_and_drills_into_its_session(browser, served_app, app, shop, access,
                                                                            width):
    from selenium.webdriver.common.by import By

    tomasz = shop.volunteers.by_name(TREASURER)
    code = access.issue_staff_code(tomasz, by="Sam Ortiz")
    access.set_password_with_code(TREASURER, code, PASSWORD, PASSWORD, address="127.0.0.1")
    site = served_app(app)
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    set_width(browser, width)
    browser.get(site + "/sign-in")
    browser.find_element(By.ID, "login").send_keys(TREASURER)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))

    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "The takings"))
    text = main_text(browser)
    assert "Sat 14 Nov 2026 to Fri 20 Nov 2026" in text and "Thu 19/11" in text
    looked_at(browser, "treasurer-takings", width)

    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Z reports and cash"))
    assert not scrolls_sideways(browser)
    check_accessibility(browser)
    links = browser.find_elements(By.CSS_SELECTOR, "main a[href^='/books/z/']")
    assert len(links) == 3  # the demo's three days at its one till
    session_id = int(links[-1].get_attribute("href").rsplit("/", 1)[1])
    click_and_wait(browser, links[-1])
    z = session_report(shop.db, [session_id], zone=LONDON, vat_registered=False)
    text = main_text(browser)
    assert f"Z {z.z_numbers[0]}: {z.till}, {z.date}" in text
    assert f"Takings\n{format_pence(z.takings_pence)}" in text or f"Takings {format_pence(z.takings_pence)}" in text
    looked_at(browser, "treasurer-z", width)
    # The session's sales are folded under the figures: unfolded, every sale and refund is there.
    browser.find_element(By.CSS_SELECTOR, "details.sales summary").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "details.sales tbody tr")
    assert len(rows) == z.sales_count + z.refunds_count and rows[-1].is_displayed()
    assert not scrolls_sideways(browser)
    check_accessibility(browser)
