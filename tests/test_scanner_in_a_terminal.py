"""A barcode scanner's burst typed into the real till in a real terminal (tmux at 80x24): every
character must arrive, in order, however fast it comes. The pilot tests (tests/tui/test_scanning.py)
cover the screen; this covers the terminal's input path as well.

`.ci/run` installs tmux, so this always runs in CI (CI_REQUIRE_TMUX=1); elsewhere it is skipped
without tmux, saying why."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pos.demo_shop import VOLUNTEERS, demo_barcode

TMUX = shutil.which("tmux")
if TMUX is None and os.environ.get("CI_REQUIRE_TMUX") == "1":
    raise RuntimeError("CI asked for the terminal test (CI_REQUIRE_TMUX=1) but tmux is missing")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it: apt-get install "
                                "tmux); scanner bursts were not typed into a real terminal")

ROOT = Path(__file__).resolve().parent.parent
BEANS = demo_barcode(9)      # Baked beans 415g
MILK = demo_barcode(0)       # Semi-skimmed milk 2 pints
JO = next((name, pin) for name, _, pin in VOLUNTEERS if name.startswith("Jo "))


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, "-L", self.name, *args], capture_output=True, text=True, check=True,
                              timeout=30).stdout

    def send(self, text: str = "", *keys: str) -> None:
        if text:
            self.tmux("send-keys", "-t", self.name, "-l", text)  # literally, in one write: a burst
        if keys:
            self.tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, words: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if words in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{words!r} never appeared; the screen:\n{shown}")
            time.sleep(0.1)


@pytest.fixture
def terminal(tmp_path):
    db = tmp_path / "demo.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TILL_CONFIG": str(tmp_path / "till.toml"),
           "TILL_RECEIPTS_DIR": str(tmp_path / "receipts"), "TERM": "xterm-256color"}
    env.pop("TILL_DB", None)
    subprocess.run([sys.executable, "-c", "import sys; from pos.launch import main; sys.exit(main())",
                    "--db", str(db), "demo-data", "--days", "1"], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=300)
    name = f"till-test-{uuid.uuid4().hex[:8]}"
    term = Terminal(name)
    command = f"{sys.executable} -c 'import sys; from pos.launch import main; sys.exit(main())' --db {db}"
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "80", "-y", "24",
              "-e", f"PYTHONPATH={ROOT}", "-e", f"TILL_CONFIG={env['TILL_CONFIG']}",
              "-e", f"TILL_RECEIPTS_DIR={env['TILL_RECEIPTS_DIR']}", "-c", str(tmp_path), command)
    try:
        yield term, db
    finally:
        subprocess.run([TMUX, "-L", name, "kill-server"], capture_output=True, timeout=30)


def open_basket(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as connection:
        row = connection.execute("select basket_json from open_baskets").fetchone()
    return [(line["name"], line["quantity"]) for line in json.loads(row[0])["lines"]] if row else []


def test_scanner_bursts_arrive_whole_in_a_real_terminal(terminal):
    term, db = terminal
    name, pin = JO
    term.wait_for("PIN")
    term.send(name)  # signing in is typed by a person, a step at a time
    term.wait_for(name)
    time.sleep(0.5)
    term.send("", "Enter")
    time.sleep(0.5)
    term.send(pin, "Enter")
    shown = term.wait_for("float", timeout=30)  # the demo's last day was cashed up: today needs a float
    term.send("", "Enter")
    term.wait_for("Scan, or type")
    term.send(f"{BEANS}\r{MILK}\r{BEANS}\r")  # three scans back to back, one write
    term.wait_for("Added Baked beans")
    deadline = time.monotonic() + 10
    while open_basket(db) != [("Baked beans 415g", 2), ("Semi-skimmed milk 2 pints", 1)]:
        assert time.monotonic() < deadline, (open_basket(db), term.screen())
        time.sleep(0.1)
    for _ in range(3):  # a line chosen, so a "-" taken for the basket's would take one off it
        term.send("till-1/2721")
        shown = term.wait_for("till-1/2721", timeout=10)
        term.send("", "Enter")
        shown = term.wait_for("no sale number 2721 on till-1", timeout=10)
        term.send("", "Escape")  # nothing to close: harmless
    assert open_basket(db) == [("Baked beans 415g", 2), ("Semi-skimmed milk 2 pints", 1)], shown
