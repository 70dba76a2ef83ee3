"""Signing in: pick or type your name, then your PIN. Signing in starts your shift."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pos.errors import USER_ERRORS
from pos.tui.widgets.keys_footer import KeysFooter


class SignInScreen(Screen):
    def compose(self) -> ComposeResult:
        shop = self.app.shop
        yield Label(f" {shop.settings.society.name} · {shop.settings.till_id}", id="title-bar")
        with Horizontal(id="sign-in"):
            with Vertical(id="sign-in-form"):
                yield Label("Who are you? Type or pick your name", classes="dialog-title")
                yield Label("Members: scan a card for My shares", classes="hint")
                yield Input(placeholder="your name", id="who")
                yield OptionList(id="names")
                yield Label("Your PIN, then Enter")
                yield Input(password=True, restrict=r"[0-9]*", max_length=8, id="pin")
                yield Label("", id="sign-in-error", classes="error")
            if shop.demo_pins:
                lines = ["[b]Demo shop[/b]: try anyone", ""]
                for volunteer in shop.volunteers.all():
                    pin = shop.demo_pins.get(volunteer.id, "")
                    lines.append(f"{volunteer.name[:15]:<15} {volunteer.role.label:<12} {pin}")
                lines += ["", "Volunteers sell; shift leads", "and managers approve refunds,", "paid outs and the Z report;",
                          "centre staff read the reports."]
                yield Static("\n".join(lines), id="demo-pins")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#who", Input).focus()

    def fill(self, text: str) -> None:
        names = self.query_one("#names", OptionList)
        names.clear_options()
        wanted = text.strip().casefold()
        for volunteer in self.app.shop.volunteers.all():
            if wanted in volunteer.name.casefold():
                names.add_option(Option(f"{volunteer.name}  ({volunteer.role.label})", id=str(volunteer.id)))
        if names.option_count:
            names.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "who":
            self.fill(event.value)

    def on_key(self, event) -> None:
        if event.key in ("up", "down") and self.focused is self.query_one("#who", Input):
            names = self.query_one("#names", OptionList)
            (names.action_cursor_up if event.key == "up" else names.action_cursor_down)()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "who" and event.value.strip().upper().startswith("MEMBER:"):
            # A member scanning their card with no one signed in: their own statement, nothing else.
            event.input.value = ""
            membership = self.app.shop.membership
            member = membership.find(event.value)
            if member is None:
                self._fail("That card is not valid any more; ask a volunteer for a new one.")
                return
            from pos.tui.modals.my_shares import MySharesModal

            self.app.push_screen(MySharesModal(membership.statement(member)))
            return
        if event.input.id == "who":
            if self.query_one("#names", OptionList).highlighted_option is None:
                self._fail("No one by that name; check the spelling or ask a manager.")
                return
            self.query_one("#pin", Input).focus()
            return
        option = self.query_one("#names", OptionList).highlighted_option
        if option is None:
            self._fail("Pick your name first.")
            self.query_one("#who", Input).focus()
            return
        try:
            volunteer = self.app.shop.till.sign_in(int(option.id), event.value)
        except USER_ERRORS as error:
            event.input.value = ""
            self._fail(str(error))
            return
        event.input.value = ""
        self.query_one("#who", Input).value = ""
        self.query_one("#sign-in-error", Label).update("")
        self.app.signed_in(volunteer)

    def _fail(self, message: str) -> None:
        self.app.bell()
        self.query_one("#sign-in-error", Label).update(message)
