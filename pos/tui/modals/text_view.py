"""Show a block of text (a receipt preview, a report, the keys) until the volunteer closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class TextModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll():
                yield Static(self.text, markup=False, classes="mono")
            yield Label("Up/Down scroll · Enter or Esc closes", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
