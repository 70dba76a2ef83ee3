"""A volunteer pays with their own time credits: your name (whoever is signed in, to start with), your
PIN, and how many credits if not as many as will go."""

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
            # The PIN box, then the number of credits: the order Tab goes in. The list takes no
            # focus, so a click on a name leaves the cursor in the PIN box for the PIN.
            yield Input(placeholder="your PIN, then Enter", password=True, id="pin", restrict=r"[0-9]*",
                        max_length=8)
            yield Input(placeholder="how many credits (Tab; empty: as many as will go)", id="credits",
                        restrict=r"[0-9]*", max_length=3)
            yield Label("", id="credits-error", classes="error")

    def on_mount(self) -> None:
        options = self.query_one("#spenders", OptionList)
        options.can_focus = False
        me = self.app.volunteer
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        if me is not None and str(me.id) in ids:
            options.highlighted = ids.index(str(me.id))
        elif ids:
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
