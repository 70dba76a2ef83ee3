"""The board's pages in a real browser (Debian's chromium, tests/web/browser.py), at a phone's width and a
laptop's: Sam Ortiz, a manager on the board as in the demo shop, approves a member's withdrawal and declares a
dividend after its confirmation step. Every page on the way fits the screen and passes axe-core; the queue and
the confirmation are photographed for the README."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.web import browser as harness
from tests.web.browser import LAPTOP, PHONE
from tests.web.conftest import PASSWORD, join
from tests.web.test_board_pages import bought
from tests.web.test_browser_flows import fill, follow, looked_at, main_text, submit, use_code_and_sign_in
from volunteers.people import Role

#: The harness's fixtures, for pytest to find in this module.
browser, served_app = harness.browser, harness.served_app

AT = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def site(browser, served_app, app):
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return served_app(app)


def pick_date(browser, field: str, day: str) -> None:
    """A date field set as a date picker would set it (typing into one depends on the browser's language)."""
    from selenium.webdriver.common.by import By

    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, field), day)


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_a_board_member_approves_a_withdrawal_and_declares_a_dividend(browser, site, shop, products, clock, access,
                                                                      width):
    ada, bea = join(shop, "Ada Able", shares=5), join(shop, "Bea Bold", shares=5)
    bought(shop, ada, 3)
    bought(shop, bea, 1)
    clock.moment += timedelta(days=1)
    asked = shop.membership.shares.request_withdrawal(ada, 2, on=shop.today(), at=shop.till.now(), by="the member")
    sam = shop.volunteers.add("Sam Ortiz", (Role.manager, Role.board_member), at=AT)
    use_code_and_sign_in(browser, site, sam.name, access.issue_staff_code(sam, by="Morgan Test"), width, "board")

    follow(browser, "Withdrawals waiting for the board")
    assert "Ada Able (M0001) asked on 21/11/2026 to withdraw 2 shares." in main_text(browser)
    looked_at(browser, "board-withdrawals", width, for_readme=True)
    submit(browser, "Approve")
    text = main_text(browser)
    assert f"The board's decision on request {asked.id} is recorded." in text
    assert "approved, by Sam Ortiz on 21/11/2026 at 10:00." in text
    looked_at(browser, "board-withdrawal-decided", width)
    assert [(w.decision, w.approved_shares) for w in shop.membership.shares.withdrawals()] == [("approved", 2)]

    follow(browser, "Community Till")
    follow(browser, "The dividend")
    pick_date(browser, "first", "2026-11-01")
    pick_date(browser, "last", "2026-11-20")
    fill(browser, sum="10.00")
    submit(browser, "Preview")
    assert "Preview: £10.00 to 2 members" in main_text(browser)
    looked_at(browser, "board-dividend-preview", width)
    follow(browser, "Go on to declare")
    assert "Members 2" in main_text(browser) and "Total £10.00" in main_text(browser)
    looked_at(browser, "board-dividend-confirm", width, for_readme=True)
    fill(browser, password=PASSWORD)
    submit(browser, "Declare")
    assert "Dividend 1 is declared." in main_text(browser)
    looked_at(browser, "board-dividend-declared", width)
    assert [(r["sum_pence"], r["declared_by"]) for r in shop.membership.dividends.runs()] == [(1000, "Sam Ortiz")]
