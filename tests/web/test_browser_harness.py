"""The browser harness itself, proved on a tiny app made here: a form that works at a phone's and a
laptop's width, and a page bad enough that the accessibility check must fail on it."""

from __future__ import annotations

import html
import socket
import subprocess

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.web import browser as harness
from tests.web.browser import (
    ARTEFACTS,
    CHROMEDRIVER,
    CHROMIUM,
    LAPTOP,
    PHONE,
    NotAccessible,
    check_accessibility,
    click_and_wait,
    page_width,
    png_size,
    require_browser,
    screenshot,
    scrolls_sideways,
    serving,
    set_width,
)

#: The harness's fixtures, for pytest to find in this module.
browser, served_app = harness.browser, harness.served_app

#: What the back office's pages will send: no script or style from anywhere but the page's own site.
POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


async def ask(request):
    if request.method == "POST":
        form = await request.form()
        body = f"<p id='thanks'>Thank you, {html.escape(str(form.get('name', '')))}.</p>"
        return HTMLResponse(PAGE.format(title="Thank you", body=body), headers={"Content-Security-Policy": POLICY})
    body = ("<form method='post' action='/'><p><label for='name'>Your name</label> "
            "<input id='name' name='name' autocomplete='name'></p><p><button type='submit'>Send</button></p></form>")
    return HTMLResponse(PAGE.format(title="Offer to help", body=body), headers={"Content-Security-Policy": POLICY})


async def careless(request):
    # An input nobody can name, and grey on white too faint to read: both serious to axe-core.
    body = ("<p style='color:#ccc;background:#fff'>Fine print nobody can read</p>"
            "<form method='post' action='/'><input type='text' name='name'></form>")
    return HTMLResponse(PAGE.format(title="Careless", body=body))


APP = Starlette(routes=[Route("/", ask, methods=["GET", "POST"]), Route("/careless", careless)])


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_a_form_is_filled_in_and_sent_at_a_phones_and_a_laptops_width(browser, served_app, width):
    from selenium.webdriver.common.by import By

    address = served_app(APP)
    set_width(browser, width)
    browser.get(address + "/")
    assert page_width(browser) == width
    assert not scrolls_sideways(browser)
    check_accessibility(browser)  # a page made with care passes, under the same policy as the real pages
    browser.find_element(By.ID, "name").send_keys("Val <Volunteer>")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert browser.find_element(By.ID, "thanks").text == "Thank you, Val <Volunteer>."
    shot = screenshot(browser, "harness-thanks", width)
    assert shot.parent == ARTEFACTS
    assert png_size(shot)[0] == width


def test_an_unlabelled_input_and_faint_text_fail_the_accessibility_check(browser, served_app):
    browser.get(served_app(APP) + "/careless")
    with pytest.raises(NotAccessible) as failed:
        check_accessibility(browser)
    said = str(failed.value)
    assert "- label (critical): Form elements must have labels" in said
    assert "- color-contrast (serious)" in said
    assert "Fine print nobody can read" in said  # it says where, so a person can find it


def test_the_browser_is_debians_own_driven_by_debians_driver(browser):
    assert browser.service.path == str(CHROMEDRIVER)
    version = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=True).stdout
    assert browser.capabilities["browserVersion"] in version
    assert browser.capabilities["chrome"]["chromedriverVersion"].split()[0] in subprocess.run(
        [str(CHROMEDRIVER), "--version"], capture_output=True, text=True, check=True).stdout


def test_the_server_stops_when_the_test_is_done():
    with serving(APP) as address:
        port = int(address.rsplit(":", 1)[1])
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_a_missing_browser_is_skipped_with_a_reason_but_fails_in_ci(tmp_path):
    nowhere = tmp_path / "chromedriver"
    with pytest.raises(pytest.skip.Exception, match="chromium-driver.*not installed.*apt-get install"):
        require_browser(driver=nowhere, required=False)
    with pytest.raises(pytest.fail.Exception, match="CI_REQUIRE_CHROMIUM=1"):
        require_browser(driver=nowhere, required=True)
