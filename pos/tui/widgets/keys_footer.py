"""The footer of keys, hidden while a dialog is open over its screen."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """A dialog has keys of its own (F7 is Healthy Start in the pay dialog, not Refund), so the
    footer of the screen beneath it would tell the volunteer the wrong thing: it goes while
    a dialog is open and comes back with its screen."""

    def __init__(self, *, compact: bool = True, **kwargs) -> None:
        # Compact (less space between keys) by default: a screen's keys must fit 80 columns, as
        # the footer is one line and cuts off whatever is past the edge.
        super().__init__(compact=compact, **kwargs)

    def on_mount(self) -> None:
        # Textual calls Footer's own on_mount too (handlers run for each class in the MRO).
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, screen: Screen) -> None:
        self.visible = screen is self.screen  # keeps its line, so nothing beneath moves
