"""F5: park the basket, with a name to find it by if the volunteer wants one ("table 4", "Amira's")."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from pos.till.parking import LABEL_MAX


class ParkModal(ModalScreen[str | None]):
    """Returns the name typed (empty for none), or None if Esc: the basket stays."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Park this basket", classes="dialog-title")
            yield Label("A name to find it by, if you like (table 4, Amira's), then Enter. Esc keeps it here.",
                        classes="hint")
            yield Input(placeholder="name (optional), then Enter", id="park-label", max_length=LABEL_MAX)

    def on_mount(self) -> None:
        self.query_one("#park-label", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
