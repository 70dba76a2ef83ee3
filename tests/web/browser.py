"""A real browser for the web back office's tests: Debian's chromium, driven by Selenium through Debian's
chromedriver, over a page served by uvicorn on this machine.

What a test module gets (after `from tests.web import browser as harness`, the line
`browser, served_app = harness.browser, harness.served_app` lets pytest find the fixtures in it):

- `served_app(app)`: serves any ASGI app with uvicorn in a thread on a free local port and gives its
  address; the server stops when the test ends.
- `browser`: one headless chromium for the whole run; `set_width(browser, 360)` makes its page a phone's
  width (1280: a laptop's), exactly, whatever the window around it would be.
- `check_accessibility(browser)`: axe-core (shipped inside axe-selenium-python) run in the page; any
  serious or critical violation fails the test with a list a person can read.
- `screenshot(browser, name, width)`: the whole page as a PNG, kept under `tmp/screenshots/` for review,
  or under `docs/screenshots/` for the ones the README shows (`for_readme=True`).

`.ci/run` installs chromium and chromium-driver, and sets CI_REQUIRE_CHROMIUM=1: there a missing browser
fails the tests. Elsewhere they are skipped, saying what to install.

Nothing is fetched from the internet: the driver is named (Selenium Manager never runs, and SE_OFFLINE
keeps it offline if anything asks for it), and the browser's own background traffic is switched off.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Every screenshot a run takes, for a person to look over (not kept in git).
ARTEFACTS = ROOT / "tmp" / "screenshots"
#: The screenshots the README shows.
README_SHOTS = ROOT / "docs" / "screenshots"
PHONE, LAPTOP = 360, 1280
#: What axe-core calls bad enough to fail a page.
FAILING_IMPACTS = ("serious", "critical")
_AXE = Path(__import__("axe_selenium_python").__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


def require_browser(chromium: Path = CHROMIUM, driver: Path = CHROMEDRIVER,
                    required: bool | None = None) -> None:
    """Skip the test when the browser or its driver is missing, saying what to install; fail it in CI."""
    missing = [f"{path} (Debian's {package})" for path, package in ((chromium, "chromium"), (driver, "chromium-driver"))
               if not path.exists()]
    if not missing:
        return
    if required is None:
        required = os.environ.get("CI_REQUIRE_CHROMIUM") == "1"
    said = f"{' and '.join(missing)} not installed: `apt-get install chromium chromium-driver`"
    if required:
        pytest.fail(f"CI asked for the browser tests (CI_REQUIRE_CHROMIUM=1) but {said}", pytrace=False)
    pytest.skip(f"{said}; the web pages were not checked in a real browser")


# Serving an app ---------------------------------------------------------------------------------------

@contextmanager
def serving(app) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1 at a port nobody else has; its address, e.g. http://127.0.0.1:41234."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # bound before uvicorn starts, so the port cannot be taken in between
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    failed: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as error:  # noqa: B036 - handed to the test's thread below
            failed.append(error)

    thread = threading.Thread(target=run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    # Waits on the server's own flag, not on a clock: a slow machine only makes this slower.
    while not server.started:
        if failed or not thread.is_alive():
            raise RuntimeError(f"the test web server did not start: {failed[0] if failed else 'it stopped'}")
        thread.join(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@pytest.fixture
def served_app() -> Iterator[Callable[..., str]]:
    with_stack: list = []

    def serve(app) -> str:
        context = serving(app)
        address = context.__enter__()
        with_stack.append(context)
        return address

    yield serve
    for context in reversed(with_stack):
        context.__exit__(None, None, None)


# The browser ------------------------------------------------------------------------------------------

def chromium_options(profile: Path):
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                 # No traffic of its own: the machine may have no internet, and a test must not depend on it.
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}",
                 f"--window-size={LAPTOP},900"):
        options.add_argument(flag)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # chromium's sandbox refuses to run as root (CI runs as root)
    return options


def start_browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager would look for (and download) a driver when none is named; ours is named, and this
    # keeps it offline should anything ask.
    os.environ["SE_OFFLINE"] = "true"
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=chromium_options(profile))
    driver.set_script_timeout(60)  # axe-core on a long page, on a busy machine
    return driver


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    require_browser()
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


def set_width(driver, width: int, height: int = 800) -> None:
    """The page's width in CSS pixels, exactly (a real window has a minimum width and borders)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def click_and_wait(driver, element, timeout: float = 60) -> None:
    """Click a link or a form's button and wait for the next page to have loaded (a click returns at once)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    page = driver.find_element("tag name", "html")
    element.click()

    def gone(_driver) -> bool:
        # Selenium's staleness_of knows only StaleElementReferenceException; caught in the middle of the
        # navigation, chromedriver may instead say the node "does not belong to the document": gone all the same.
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    wait = WebDriverWait(driver, timeout)
    wait.until(gone)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def page_width(driver) -> int:
    return driver.execute_script("return window.innerWidth")


def scrolls_sideways(driver) -> bool:
    """True when the page is wider than the screen (a phone user would have to scroll sideways)."""
    return driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth")


# Accessibility ----------------------------------------------------------------------------------------

class NotAccessible(AssertionError):
    pass


def accessibility_violations(driver) -> list[dict]:
    """axe-core's violations on the page the browser shows (WCAG 2 A and AA rules and best practice)."""
    driver.execute_script(_AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));")
    result = json.loads(found)
    if isinstance(result, dict):
        raise RuntimeError(f"axe-core could not check the page: {result['error']}")
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:120]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def check_accessibility(driver) -> list[dict]:
    """Fail on any serious or critical violation in the page; the lesser ones are given back to look at."""
    violations = accessibility_violations(driver)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        raise NotAccessible(f"{driver.current_url} is not accessible enough:\n{describe(failing)}")
    return violations


# Screenshots ------------------------------------------------------------------------------------------

def screenshot(driver, name: str, width: int, *, for_readme: bool = False) -> Path:
    """The whole page at `width` as `<name>-<width>.png` (the full length of the page, not only the screen)."""
    set_width(driver, width)
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    set_width(driver, width, max(height, 1))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
    set_width(driver, width)
    folder = README_SHOTS if for_readme else ARTEFACTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{width}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    data = path.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", data[16:24])
