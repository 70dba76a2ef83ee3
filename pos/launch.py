"""The `till` command's first lines, before anything heavy is imported.

Loading the screens (Textual, pydantic's models, the catalogue) makes hundreds of thousands of
objects that live as long as the program. Python's cyclic garbage collector would scan them over
and over while they load, about a fifth of the till's start-up, and again in every later
collection. So it is held off while the program loads; the till screen then freezes what was
loaded (gc.freeze: never scanned again, still freed normally) and turns it back on
(pos.tui.app.TillApp.on_mount). Every other command, `till demo` with its simulation
included, turns it back on at once (pos.cli.main).

Textual repaints at most 60 times a second, so a scanned line could wait most of a frame
(17 ms) to appear; the till allows 120. Repaints happen only when something changed, so an
idle till costs nothing more. TEXTUAL_FPS set by hand still wins.
"""

from __future__ import annotations

import gc
import os


def prepare() -> None:
    """Before the first import of Textual (benchmarks/tui_probe.py starts the same way)."""
    os.environ.setdefault("TEXTUAL_FPS", "120")
    gc.disable()


def main() -> int:
    prepare()
    try:
        from pos.cli import main as till

        return till()
    finally:
        gc.enable()
