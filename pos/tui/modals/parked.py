"""Choose a parked basket to bring back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pos.clock import local
from pos.money import format_pence


class ParkedModal(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        shop = self.app.shop
        options = []
        for parked in shop.till.parked():
            when = local(parked.parked_at, shop.settings.zone).strftime("%H:%M")
            label = f" – {parked.label}" if parked.label else ""
            options.append(Option(
                f"{when}  {len(parked.basket.lines)} lines  {format_pence(parked.basket.total_pence)}{label}",
                id=str(parked.id),
            ))
        with Vertical(classes="dialog"):
            yield Label("Parked baskets: pick one and press Enter", classes="dialog-title")
            yield OptionList(*options, id="parked-list")

    def on_mount(self) -> None:
        listing = self.query_one("#parked-list", OptionList)
        if listing.option_count:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
