"""A volunteer pays with their own time credits: pick your name, say how many, your PIN."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.tenders import Tender
from pos.tui.widgets.arrows import arrows_move


class TimeCreditsModal(ModalScreen[Tender | None]):
    """Returns the time credits tender, or None if cancelled. The balance is never shown to
    anyone but its owner, after their PIN: the tender says how many were used."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, basket: Basket) -> None:
        super().__init__()
        self.basket = basket

    def compose(self) -> ComposeResult:
        shop = self.app.shop
        categories = ", ".join(sorted(shop.till.time_credits.categories))
        with Vertical(classes="dialog"):
            yield Label("Pay with time credits", classes="dialog-title")
            yield Label(f"One credit for each item from: {categories}", classes="hint")
            yield OptionList(*[Option(v.name, id=str(v.id)) for v in shop.volunteers.all() if v.role.sells],
                             id="spenders")
            yield Input(placeholder="how many credits (empty: as many as will go)", id="credits",
                        restrict=r"[0-9]*", max_length=3)
            yield Input(placeholder="your PIN, then Enter", password=True, id="pin", restrict=r"[0-9]*",
                        max_length=8)
            yield Label("", id="credits-error", classes="error")

    def on_mount(self) -> None:
        options = self.query_one("#spenders", OptionList)
        if options.option_count:
            options.highlighted = 0
        self.query_one("#pin", Input).focus()

    def on_key(self, event) -> None:
        arrows_move(event, self.query_one("#spenders", OptionList))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "credits":
            self.query_one("#pin", Input).focus()
            return
        option = self.query_one("#spenders", OptionList).highlighted_option
        if option is None:
            return
        typed = self.query_one("#credits", Input).value.strip()
        try:
            tender = self.app.shop.till.time_credit_tender(self.basket, int(option.id), event.value,
                                                           int(typed) if typed else None)
        except USER_ERRORS as error:
            self.app.bell()
            message = str(error)
            self.query_one("#credits-error", Label).update(message[:1].upper() + message[1:])
            event.input.value = ""
            return
        self.dismiss(tender)

    def action_cancel(self) -> None:
        self.dismiss(None)
