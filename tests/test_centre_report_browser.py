"""The HTML report for the centre, opened in a real headless Chromium: the charts render, nothing
is fetched from the network, and it prints on A4.

`.ci/run` installs Debian's chromium so this always runs in CI; elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from pos.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI_REQUIRE_CHROMIUM"):
    raise RuntimeError("CI asked for the browser test (CI_REQUIRE_CHROMIUM) but chromium is missing")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: "
                                "apt-get install chromium); the HTML report was not checked in a browser")
# The flags that keep a headless Chromium off a closed network and quick to start.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions"]


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    db = folder / "till.db"
    assert main(["--db", str(db), "demo-data", "--days", "21", "--until", "2026-11-22"]) == 0
    out = folder / "centre.html"
    assert main(["--db", str(db), "footfall", "export", "--from", "2026-11-02", "--to", "2026-11-22",
                 "--format", "html", "--out", str(out)]) == 0
    return out


def test_the_charts_render_in_headless_chromium(report, tmp_path):
    html = report.read_text()
    bars = len(re.findall(r'<rect class="bar"', html))
    assert bars >= 4
    assert not re.search(r'(src|href)="(https?:)?//', html)  # self-contained: nothing to fetch
    dom = chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    drawn = re.search(r'data-bars-drawn="(\d+)"', dom)
    assert drawn, "the page's script did not run, or the DOM was not dumped"
    assert int(drawn.group(1)) == bars  # every bar has a real box on the laid-out page


def test_it_prints_on_a4(report, tmp_path):
    pdf = tmp_path / "centre.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    assert boxes and all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in boxes)
