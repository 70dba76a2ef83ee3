"""'My shares': one member's own statement, which clears itself after a short while."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pos.membership import MemberStatement, statement_rows

#: Long enough to read, short enough that the next person in the queue never sees it.
SHOW_FOR_SECONDS = 45


def statement_text(statement: MemberStatement) -> str:
    lines = [
        f"{statement.name} · member {statement.number} since {statement.admitted_on:%d/%m/%Y}",
        "",
        *(f"{label:<30}{value:>12}" for label, value in statement_rows(statement)),
    ]
    if statement.pending_withdrawals:
        lines += ["", "Withdrawals:", *(f"  {w}" for w in statement.pending_withdrawals)]
    return "\n".join(lines)


class MySharesModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close"), Binding("f2", "print", "Print it")]

    def __init__(self, statement: MemberStatement) -> None:
        super().__init__()
        self.statement = statement

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("My shares", classes="dialog-title")
            yield Static(statement_text(self.statement), id="statement", markup=False)
            yield Label(f"F2 prints it · Enter or Esc closes · it clears itself after {SHOW_FOR_SECONDS} seconds",
                        classes="hint")

    def on_mount(self) -> None:
        self.set_timer(SHOW_FOR_SECONDS, self.action_close)

    def action_print(self) -> None:
        from pos.receipts import statement_receipt

        self.app.print_other(statement_receipt(self.statement, self.app.shop.settings),
                             f"statement-{self.statement.number}")

    def action_close(self) -> None:
        if self.is_attached and self.app.screen is self:
            self.dismiss(None)
