"""The receipts a printer refused, still owed to customers: pick one to print, or print them all."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pos.receipt_queue import OwedReceipt


class OwedReceiptsModal(ModalScreen[list[int] | None]):
    """Returns the sale numbers to print (one, or all listed), or None if closed."""

    BINDINGS = [Binding("escape", "cancel", "Close"), Binding("f2", "print_all", "Print them all")]

    def __init__(self, owed: list[OwedReceipt], zone: ZoneInfo) -> None:
        super().__init__()
        self.owed = owed
        self.zone = zone

    def compose(self) -> ComposeResult:
        count = len(self.owed)
        with Vertical(classes="dialog wide"):
            yield Label(f"{count} receipt{'' if count == 1 else 's'} did not print", classes="dialog-title")
            yield OptionList(*[Option(receipt.describe(self.zone), id=str(receipt.sale_number))
                               for receipt in self.owed], id="owed-list")
            yield Label("Enter prints the chosen one · F2 prints them all · Esc closes", classes="hint")

    def on_mount(self) -> None:
        listing = self.query_one("#owed-list", OptionList)
        listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss([int(event.option.id)])

    def action_print_all(self) -> None:
        self.dismiss([receipt.sale_number for receipt in self.owed])

    def action_cancel(self) -> None:
        self.dismiss(None)
