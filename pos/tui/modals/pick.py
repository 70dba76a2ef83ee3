"""Pick one thing from a short list (a parked basket, an item paid forward): Up/Down, Enter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class PickModal(ModalScreen[int | None]):
    """Returns the chosen option's id, or None if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: list[tuple[int, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(text, id=str(key)) for key, text in self.options], id="pick-list")

    def on_mount(self) -> None:
        listing = self.query_one("#pick-list", OptionList)
        if listing.option_count:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.answer(int(event.option.id)))

    def answer(self, key: int):
        """What the dialog returns for the option picked: its id here; a subclass may say more."""
        return key

    def action_cancel(self) -> None:
        self.dismiss(None)
