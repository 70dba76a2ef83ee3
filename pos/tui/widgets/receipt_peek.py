"""The last sale's receipt, where the empty basket would be, when the printer is the on-screen preview.

It never takes focus and closes itself when the next sale starts, so the entry box keeps the
cursor and the next scan goes straight in: a modal would make the volunteer close it first.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widgets import Static


class ReceiptPeek(ScrollableContainer, can_focus=False):
    DEFAULT_CSS = """
    ReceiptPeek {
        height: 1fr;
        display: none;
        border: round $accent;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        overflow-x: auto;
        overflow-y: auto;
        scrollbar-size: 1 1;
    }
    ReceiptPeek #receipt-text { width: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="receipt-text")

    def show_receipt(self, text: str) -> None:
        self.text = text
        # Text, not markup: a product called "[Special]" must show as typed.
        self.query_one("#receipt-text", Static).update(Text(text, no_wrap=True))
        self.border_title = "Receipt (preview printer)"
        self.border_subtitle = "saved as text; closes with the next sale"
        self.display = True
        self.scroll_home(animate=False)

    def hide(self) -> None:
        self.display = False
