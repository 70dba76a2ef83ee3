"""Claim an item someone paid forward: one key, no name asked or kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ClaimModal(ModalScreen[int | None]):
    """Returns the product id to give away, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        waiting = self.app.shop.till.paid_forward()
        with Vertical(classes="dialog"):
            yield Label("Paid forward and waiting: pick one, Enter", classes="dialog-title")
            yield OptionList(*[Option(f"{name}  ({count} waiting)", id=str(product_id))
                               for product_id, name, count in waiting], id="claim-list")

    def on_mount(self) -> None:
        listing = self.query_one("#claim-list", OptionList)
        if listing.option_count:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
