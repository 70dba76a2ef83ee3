"""Ask for an amount of money (and, when it matters, a reason): floats, paid out, discounts, counts."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from core.money import MoneyError, parse_pence
from pos.tui.plain_errors import sentence


@dataclass
class AmountAnswer:
    #: The amount in pence, or None when a percentage was given instead.
    pence: int | None
    reason: str
    percent: int | None = None


class AmountModal(ModalScreen[AmountAnswer | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, *, reason: str | None = None, default: str = "", percent: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.reason_prompt = reason
        self.default = default
        self.percent = percent

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            hint = "e.g. 1.50 or 10%" if self.percent else "e.g. 1.50 or £1.50"
            yield Input(value=self.default, placeholder=hint, id="amount")
            if self.reason_prompt:
                yield Input(placeholder=self.reason_prompt, id="reason")
            yield Label("", id="amount-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#amount", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "amount" and self.reason_prompt:
            self.query_one("#reason", Input).focus()
            return
        text = self.query_one("#amount", Input).value.strip()
        reason = self.query_one("#reason", Input).value.strip() if self.reason_prompt else ""
        error = self.query_one("#amount-error", Label)
        percent = None
        try:
            if self.percent and text.endswith("%"):
                number = text[:-1].strip()
                if not (number.isascii() and number.isdigit()) or not 0 < int(number) <= 100:
                    raise MoneyError("a percentage is a whole number from 1 to 100")
                pence, percent = None, int(number)
            else:
                pence = parse_pence(text)
        except MoneyError as problem:
            self.app.bell()
            error.update(sentence(problem))
            self.query_one("#amount", Input).focus()
            return
        if self.reason_prompt and not reason:
            self.app.bell()
            error.update("Please say why.")
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(AmountAnswer(pence=pence, reason=reason, percent=percent))

    def action_cancel(self) -> None:
        self.dismiss(None)
