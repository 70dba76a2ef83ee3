"""Joining the co-op at the till: the register's details and the first shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label

from coop.register import MemberDetails
from core.errors import TillError
from core.money import format_pence
from pos.errors import USER_ERRORS
from pos.tui.plain_errors import sentence


@dataclass
class JoinAnswer:
    details: MemberDetails
    shares: int


class JoinModal(ModalScreen[JoinAnswer | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "register", "Register", priority=True)]

    def compose(self) -> ComposeResult:
        coop = self.app.shop.settings.coop
        with VerticalScroll(classes="dialog wide tall"):
            yield Label("A new member joins (F2 registers them, Esc cancels)", classes="dialog-title")
            yield Label("", id="join-error", classes="error")
            yield Input(placeholder="full name", id="join-name")
            yield Input(placeholder="postal address (commas between lines)", id="join-address")
            yield Input(value=str(max(1, coop.min_shares)), restrict=r"[0-9]*", max_length=6, id="join-shares")
            yield Label(f"shares at {format_pence(coop.share_value_pence)} each, paid in cash now "
                        f"(at least {coop.min_shares})", classes="hint")
            yield Label("", id="join-total")
            yield Label("Optional, each with what it may be used for:", classes="hint")
            with Horizontal(classes="pair"):
                yield Input(placeholder="email", id="join-email")
                yield Input(placeholder="used for (e.g. AGM notices)", id="join-email-purpose")
            with Horizontal(classes="pair"):
                yield Input(placeholder="phone", id="join-phone")
                yield Input(placeholder="used for", id="join-phone-purpose")
            yield Checkbox("Household with children under 5", id="join-under5")
            yield Checkbox("Happy to be contacted about the co-op", id="join-consent")
            yield Input(placeholder="date of birth, only if under 16 (DD/MM/YYYY)", id="join-born")
            yield Button("Register and take the money (F2)", id="join-go", variant="success")

    def on_mount(self) -> None:
        self.query_one("#join-name", Input).focus()
        self._show_total()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "join-shares":
            self._show_total()

    def _show_total(self) -> None:
        """What to take in cash for the shares, as the number is typed."""
        shares = int(self.query_one("#join-shares", Input).value or 0)
        pence = shares * self.app.shop.settings.coop.share_value_pence
        self.query_one("#join-total", Label).update(
            f"Take {format_pence(pence)} in cash for {shares} share{'s' if shares != 1 else ''}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_register()

    def action_register(self) -> None:
        value = lambda name: self.query_one(f"#{name}", Input).value  # noqa: E731
        try:
            details = MemberDetails.checked(
                name=value("join-name"),
                address="\n".join(p.strip() for p in value("join-address").split(",") if p.strip()),
                email=value("join-email"), email_purpose=value("join-email-purpose"),
                phone=value("join-phone"), phone_purpose=value("join-phone-purpose"),
                under5_household=self.query_one("#join-under5", Checkbox).value,
                consent_contact=self.query_one("#join-consent", Checkbox).value,
            )
            shares = int(value("join-shares") or 0)
            born = value("join-born").strip()
            if born:
                try:
                    details.date_of_birth = datetime.strptime(born, "%d/%m/%Y").date()
                except ValueError:
                    raise TillError("write the date of birth as DD/MM/YYYY") from None
        except USER_ERRORS as error:
            self.app.bell()
            self.query_one("#join-error", Label).update(sentence(error))
            return
        self.dismiss(JoinAnswer(details, shares))

    def action_cancel(self) -> None:
        self.dismiss(None)
