"""axe-core on every page the web back office has, in Debian's chromium at a phone's and a laptop's width:
walked signed out, as a member, as a volunteer, as a shift lead and as a manager, with no serious or critical
violation. The pages are taken from the app's own routes, so a page added later is walked too (or this
test says nobody could open it), and the error pages and refusals people meet are walked as well."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from pos.config import WebSettings
from pos.web.pages import PAGES
from tests.web import browser as harness
from tests.web.browser import LAPTOP, PHONE, check_accessibility, click_and_wait, set_width
from tests.web.conftest import PASSWORD, join
from volunteers.certificates import Certificates
from volunteers.offers import Offers
from volunteers.people import Role

#: The harness's fixtures, for pytest to find in this module.
browser, served_app = harness.browser, harness.served_app

AT = "2026-01-01T00:00:00+00:00"
NEXT_TUESDAY = date(2026, 11, 24)


@pytest.fixture
def web_settings() -> WebSettings:
    # The email reset's pages exist only where the settings name a mail server: name one (nothing is sent
    # here), so that they are walked too.
    return WebSettings(smtp_host="127.0.0.1", smtp_port=2525, smtp_starttls=False, mail_from="till@example.org",
                       public_url="https://backoffice.example.org")


def pages_to_walk() -> list[str]:
    """Every page a browser can open by its address (GET, no part of the path to fill in)."""
    routes = [route for name in PAGES for route in importlib.import_module(name).ROUTES]
    return sorted({route.path for route in routes if "GET" in (route.methods or ()) and "{" not in route.path})


@pytest.fixture
def people(shop, access):
    """A member, a volunteer, a shift lead and a manager with web passwords, and a rota with a gap, an offer
    waiting and a certificate running out, so every part of every page has something in it."""
    boss = shop.volunteers.by_name("Morgan Test")
    val = shop.volunteers.by_name("Val Test")
    lead = shop.volunteers.add("Lee Lead", Role.shift_lead, at=AT)
    member = join(shop, "Ada Able", shares=5)
    offers = Offers(shop.till)
    slot = offers.rota.add_slot("tue", "09:00", "13:00", needed=2, label="Café morning", operator_id=boss.id)
    offers.rota.put_on(slot.id, lead.id, week_of=None, operator_id=boss.id)
    offers.offer(slot.id, NEXT_TUESDAY, volunteer_id=val.id)
    Certificates(shop.db).record(val.id, "Food hygiene", certified_on=date(2023, 12, 1),
                                 expires_on=date(2026, 12, 1), by=boss.id, at=AT)
    logins = {"member": (member.number, access.issue_member_code(member, by=boss.name, today=shop.today())),
              "volunteer": (val.name, access.issue_staff_code(val, by=boss.name)),
              "shift lead": (lead.name, access.issue_staff_code(lead, by=boss.name)),
              "manager": (boss.name, access.issue_staff_code(boss, by=boss.name))}
    for login, code in logins.values():
        access.set_password_with_code(login, code, PASSWORD, PASSWORD, address="127.0.0.1")
    return {who: login for who, (login, _) in logins.items()}


def sign_in(browser, site: str, login: str) -> None:
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.get(site + "/sign-in")
    browser.find_element(By.ID, "login").send_keys(login)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))
    assert browser.current_url == site + "/", f"{login} could not sign in"


def walk(browser, site: str, paths: list[str], checked: dict[str, str]) -> None:
    """Open each page, check it, and note where it went (a refusal or the sign-in page are pages too)."""
    for path in paths:
        browser.get(site + path)
        check_accessibility(browser)
        checked[path] = browser.title


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_every_page_for_everyone_has_no_serious_accessibility_problem(browser, served_app, app, people, width):
    from selenium.webdriver.common.by import By

    site = served_app(app)
    set_width(browser, width)
    paths = pages_to_walk()
    opened: set[str] = set()

    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    signed_out: dict[str, str] = {}
    walk(browser, site, [*paths, "/no-such-page"], signed_out)
    assert signed_out["/no-such-page"].startswith("404")
    # A refusal in a sentence: a wrong password on the sign-in page.
    browser.get(site + "/sign-in")
    browser.find_element(By.ID, "login").send_keys(people["member"])
    browser.find_element(By.ID, "password").send_keys("not the password")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))
    assert browser.find_elements(By.CSS_SELECTOR, ".problem")
    check_accessibility(browser)

    for who, login in people.items():
        sign_in(browser, site, login)
        seen: dict[str, str] = {}
        walk(browser, site, paths, seen)
        opened |= {path for path, title in seen.items() if not title.startswith(("Sign in", "403", "404", "500"))}
        if who == "volunteer":  # the rota after an offer, with its thank-you notice and a take-back button
            browser.get(site + "/rota")
            click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/rota/offer'] button"))
            assert browser.find_elements(By.CSS_SELECTOR, ".notice")
            check_accessibility(browser)
        if who == "member":  # a page refused to them
            browser.get(site + "/rota/offers")
            assert browser.title.startswith("403")
            check_accessibility(browser)
    unopened = set(paths) - {"/sign-in", "/use-code"} - opened  # those two are walked signed out
    assert not unopened, f"nobody could open {sorted(unopened)}: walk it as someone who can"
