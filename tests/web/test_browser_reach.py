"""The reach dashboard in a real browser (Debian's chromium, tests/web/browser.py), at a phone's width and a
laptop's: centre staff sign in with the code a manager gave them, open the dashboard, step a week back and
download last week's figures as CSV; the file the browser saved is the released export. Every page is checked
with axe-core and photographed (the dashboard into docs/screenshots/ for the README)."""

from __future__ import annotations

import csv
import time

import pytest

from tests.web import browser as harness
from tests.web.browser import LAPTOP, PHONE
from tests.web.test_browser_flows import follow, looked_at, main_text, use_code_and_sign_in
from tests.web.test_reach_pages import db_path, traded  # noqa: F401 - ten weeks of the demo's trade
from volunteers.people import Role

browser, served_app = harness.browser, harness.served_app


@pytest.fixture
def site(browser, served_app, app):
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return served_app(app)


def saved(folder, name: str, timeout: float = 60):
    """The file the browser downloaded, once it is whole (chromium writes .crdownload until then)."""
    path = folder / name
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), sorted(p.name for p in folder.iterdir())
    return path


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_centre_staff_open_the_dashboard_and_download_last_weeks_figures(browser, site, shop, access, tmp_path,
                                                                          width):
    from selenium.webdriver.common.by import By

    person = shop.volunteers.by_name("Chris Lowe")  # the demo's centre staff
    assert person.roles == {Role.centre_staff}
    code = access.issue_staff_code(person, by="Morgan Test")
    use_code_and_sign_in(browser, site, "Chris Lowe", code, width, "centre")
    follow(browser, "Reach")
    text = main_text(browser)
    assert "Mon 09 Nov 2026 to Sun 15 Nov 2026" in text and "as released to the centre" in text
    assert "By hour of the day" not in text
    looked_at(browser, "reach-dashboard", width, for_readme=True)
    follow(browser, "Earlier")
    assert "Mon 02 Nov 2026 to Sun 08 Nov 2026" in main_text(browser)
    looked_at(browser, "reach-earlier", width)

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    link = browser.find_element(By.CSS_SELECTOR, 'a[href="/reach/export?from=2026-11-09&to=2026-11-15&format=csv"]')
    browser.execute_script("arguments[0].scrollIntoView()", link)
    link.click()
    path = saved(downloads, "centre-figures-2026-11-09-to-2026-11-15.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {row["period"] for row in rows} == {"day", "week", "total"}
    visits = [row["value"] for row in rows if row["period"] == "total" and row["measure"] == "visits"]
    # The week as the dashboard showed it on the first page: the same released figure.
    browser.get(site + "/reach")
    shown = browser.find_element(By.XPATH, '//th[text()="Visits (every sale)"]/following-sibling::td').text
    assert visits == [shown]
    assert "Chris Lowe" not in path.read_text(encoding="utf-8")
