"""The one sentence shown instead of the till while its window is too small to show it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Label

#: The smallest window the till's screens are laid out for, in columns and lines.
MIN_WIDTH, MIN_HEIGHT = 60, 20
TOO_SMALL = f"Make the window at least {MIN_WIDTH} × {MIN_HEIGHT}"


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen):
    """Covers every screen while the window is too small, so none is laid out squeezed (a box
    squeezed to no width made the till stop), and keys typed blind go nowhere. It goes by
    itself once the window is big enough again; what was under it is as it was."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Label { width: 100%; text-align: center; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Label(TOO_SMALL, id="too-small")

    def on_screen_resume(self) -> None:
        # Back on top (a dialog opened over it has closed) after the window grew: go.
        if not too_small(*self.app.size):
            self.app.pop_screen()
