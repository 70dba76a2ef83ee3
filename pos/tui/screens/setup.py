"""First run on an empty database: the society's name and address, and the first manager."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label

from pos.config import ConfigError, Society, save_society
from pos.errors import USER_ERRORS
from pos.tui.plain_errors import sentence
from pos.tui.widgets.keys_footer import KeysFooter
from volunteers.people import Role
from volunteers.pins import check_shape


class SetupScreen(Screen):
    def compose(self) -> ComposeResult:
        society = self.app.shop.settings.society
        # The made-up name is only an example: as a value, what a person typed went before or
        # after it ("Leys Community CafeCommunity Café" on every receipt).
        example = Society.model_fields["name"].default
        name = "" if society.name == example else society.name
        # Scrolls, with a scrollbar saying there is more, where the window is too short for it all.
        with VerticalScroll(classes="dialog wide form", id="setup"):
            yield Label("Welcome! Let's set up your till.", classes="dialog-title")
            yield Label("Your society's name, as it goes on receipts")
            yield Input(value=name, placeholder=f"for example {example}", id="society-name")
            yield Label("Address (use commas between lines)")
            yield Input(value=", ".join(society.address.splitlines()), id="society-address")
            yield Label("The first manager: your name")
            yield Input(id="manager-name")
            yield Label("Choose a PIN (4 to 8 digits), then type it again")
            yield Input(password=True, restrict=r"[0-9]*", max_length=8, id="pin")
            yield Input(password=True, restrict=r"[0-9]*", max_length=8, id="pin-again")
            yield Button("Start using the till", id="finish", variant="success")
            yield Label("", id="setup-error", classes="error")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#society-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["society-name", "society-address", "manager-name", "pin", "pin-again"]
        index = order.index(event.input.id)
        if index + 1 < len(order):
            self.query_one(f"#{order[index + 1]}", Input).focus()
        else:
            self.finish()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.finish()

    def _fail(self, message: str, field: str) -> None:
        self.app.bell()
        self.query_one("#setup-error", Label).update(message)
        self.query_one(f"#{field}", Input).focus()

    def finish(self) -> None:
        shop = self.app.shop
        value = lambda name: self.query_one(f"#{name}", Input).value.strip()  # noqa: E731
        if not value("society-name"):
            return self._fail("Please give the society's name.", "society-name")
        if not value("manager-name"):
            return self._fail("Please give the first manager's name.", "manager-name")
        try:
            pin = check_shape(value("pin"))
        except USER_ERRORS as error:
            return self._fail(sentence(error), "pin")
        if value("pin-again") != pin:
            self.query_one("#pin", Input).value = ""
            self.query_one("#pin-again", Input).value = ""
            return self._fail("The two PINs are different; please type them again.", "pin")
        address = "\n".join(part.strip() for part in value("society-address").split(",") if part.strip())
        society = shop.settings.society.model_copy(update={"name": value("society-name"), "address": address})
        try:
            manager = shop.volunteers.add(value("manager-name"), Role.manager, at=shop.till.now(), pin=pin)
        except USER_ERRORS as error:
            return self._fail(sentence(error), "manager-name")
        shop.settings = shop.settings.model_copy(update={"society": society})
        try:
            save_society(society)
        except ConfigError as error:
            self.app.notify(f"{error} The till will use these details until it restarts.", severity="warning")
        self.app.notify(f"Welcome, {manager.name}. Sign in with your PIN.")
        self.app.show_sign_in()
