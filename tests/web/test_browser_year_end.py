"""The year end in a real browser (Debian's chromium, tests/web/browser.py), over the demo shop's days of trade:
Tomasz Nowicki, shift lead and treasurer, signs in, opens the year end from his start page, chooses the year
ending on the demo's last day and downloads the CSV, which is the command's. The page fits a phone and a
laptop without sideways scrolling, passes axe-core and is photographed into docs/screenshots/ for the README."""

from __future__ import annotations

from datetime import date

import pytest

from pos.year_end import year_end
from pos.year_end_text import render
from tests.web import browser as harness
from tests.web import test_browser_takings as takings
from tests.web.browser import LAPTOP, PHONE, check_accessibility, click_and_wait, scrolls_sideways, set_width
from tests.web.conftest import PASSWORD
from tests.web.test_browser_reach import saved
from tests.web.test_browser_takings import TREASURER, looked_at, main_text

#: The harness's fixtures, and the demo shop the morning of its last day, for pytest to find in this module.
browser, served_app, shop = harness.browser, harness.served_app, takings.shop


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_treasurer_opens_the_year_end_chooses_a_year_and_downloads_the_csv(browser, served_app, app, shop,
                                                                               access, tmp_path, width):
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

    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "The year end"))
    assert "from 01/04/2025 to 31/03/2026" in main_text(browser)  # the last 31 March until another is chosen
    assert not scrolls_sideways(browser)
    check_accessibility(browser)

    # A date box is typed in the browser's own way: set its value as a person's typing would, then show.
    box = browser.find_element(By.ID, "year_ending")
    browser.execute_script("arguments[0].value = '2026-11-20'", box)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.period button[type=submit]"))
    found = year_end(shop.db, shop.settings, date(2026, 11, 20))
    text = main_text(browser)
    assert "from 21/11/2025 to 20/11/2026" in text and "Not known to the till" in text
    assert f"{found.members.at_end}" in text
    looked_at(browser, "treasurer-year-end", width)

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    link = browser.find_element(By.CSS_SELECTOR, 'a[href="/books/year-end.csv?year_ending=2026-11-20"]')
    browser.execute_script("arguments[0].scrollIntoView()", link)
    link.click()
    path = saved(downloads, "year-end-2026-11-20.csv")
    assert path.read_text(encoding="utf-8") == render(found, "csv")
