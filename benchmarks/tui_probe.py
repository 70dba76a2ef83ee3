"""Run one measured thing in a fresh process, for benchmarks/run.py.

    python benchmarks/tui_probe.py minimal         # a bare Textual app: start, first screen, exit
    python benchmarks/tui_probe.py startup DB      # the till: start, sign-in screen ready, exit
    python benchmarks/tui_probe.py session DB      # sign in, scan 200 items back to back, park, scan 60 items
                                                   # 0.3 s apart, X report; prints timings and peak memory
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The till as a café installs it: numpy is not among its dependencies, but the developers' venv has it
# (scipy, for the privacy tests' exact attacker), and sqlite-utils imports numpy whenever it can, which
# would add some 50 ms to every start-up measured here that a café's till never pays.
sys.modules.setdefault("numpy", None)


def minimal() -> None:
    from textual.app import App
    from textual.widgets import Footer, Label

    class Minimal(App):
        def compose(self):
            yield Label("ready")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Minimal().run(headless=True, size=(80, 24))


def _shop(db_path: str):
    from zoneinfo import ZoneInfo

    from pos.config import Settings
    from pos.database import open_database
    from pos.shop import Shop

    settings = Settings(db=Path(db_path), receipts_dir=Path(db_path).parent / "receipts")
    # A fixed clock, not pos.demo_trade's SimulatedClock: importing the demo generator (and with it the
    # co-op, membership and reports) is no part of the till's start, which is what is measured.
    moment = datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    return Shop(settings=settings, db=open_database(settings.db), clock=lambda: moment)


def startup(db_path: str) -> None:
    from pos.launch import prepare

    prepare()  # as the `till` command starts
    from pos.tui.app import TillApp

    class Probe(TillApp):
        def on_mount(self) -> None:
            # Textual calls TillApp.on_mount too (handlers run for each class); it pushes the sign-in screen.
            self.call_after_refresh(self.exit)

    Probe(_shop(db_path)).run(headless=True, size=(80, 24))


async def session(db_path: str) -> None:
    from pos.launch import prepare

    prepare()  # as the `till` command starts
    from pos.tui.app import make_app

    shop = _shop(db_path)
    volunteer = shop.volunteers.all()[0]
    shop.volunteers.set_pin(volunteer.id, "4321")
    codes = [p.barcodes[0] for p in shop.catalogue.all(active_only=True) if p.barcodes]
    app = make_app(shop)
    timings, handled = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        for key in volunteer.name:
            await pilot.press(key)
        await pilot.press("enter", *"4321", "enter")
        await pilot.pause()
        if shop.till.current_session() is None:
            await pilot.press("enter")
            await pilot.pause()
        screen = app.screen
        entry = screen.query_one("#entry")
        loop = asyncio.get_running_loop()

        def items() -> int:
            return sum(line.quantity for line in screen.basket.lines)

        async def scan(index: int, timings: list[float], handled: list[float]) -> None:
            entry.value = codes[index % len(codes)]  # as a scanner types it; then its Enter
            before = items()
            painted = loop.create_future()
            # Timed from the Enter reaching the app to the screen repainted with the new line.
            # (Pilot.press is not used for timing: it adds its own idle-waiting of tens of ms.)
            started = time.perf_counter()
            app.simulate_key("enter")
            while items() == before:
                await asyncio.sleep(0)
            handled.append(time.perf_counter() - started)
            app.call_after_refresh(lambda done=painted: done.set_result(time.perf_counter()))
            timings.append(await painted - started)

        # Back to back: each scan as soon as the last line is painted (a queue of shopping
        # scanned as fast as it goes), so each meets the saving of the one before.
        for index in range(200):
            await scan(index, timings, handled)
        await pilot.press("f5", "enter")  # park it (no name): a new basket
        await pilot.pause()
        # Realistic: a scan every 0.3 s, as a volunteer passes items over the scanner.
        calm, calm_handled = [], []
        for index in range(60):
            await asyncio.sleep(0.3)
            await scan(index, calm, calm_handled)
        await pilot.press("f8")  # void the basket, then the X report
        await pilot.press("f10", "f2")
        await pilot.pause()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95)] * 1000

    print(json.dumps({
        "scan_to_line_ms": statistics.median(timings) * 1000,
        "scan_to_line_p95_ms": p95(timings),
        "scan_handled_ms": statistics.median(handled) * 1000,
        "scan_handled_p95_ms": p95(handled),
        "scan_to_line_calm_ms": statistics.median(calm) * 1000,
        "scan_to_line_calm_p95_ms": p95(calm),
        "peak_mib": peak_kib / 1024,
    }))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "minimal":
        minimal()
    elif mode == "startup":
        startup(sys.argv[2])
    else:
        asyncio.run(session(sys.argv[2]))
