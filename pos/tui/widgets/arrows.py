"""Up and Down move a list while the cursor stays in the box above it (type, then pick)."""

from __future__ import annotations

from textual.widgets import OptionList


def arrows_move(event, options: OptionList) -> None:
    if event.key in ("up", "down"):
        (options.action_cursor_up if event.key == "up" else options.action_cursor_down)()
        event.stop()
