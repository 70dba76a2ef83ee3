"""Reorder: what to order now, by supplier; P prints it on the receipt printer, C writes it as CSV."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from pos.errors import USER_ERRORS
from pos.tui.screens.shop_floor import FloorScreen


class ReorderScreen(FloorScreen):
    TITLE_TEXT = "Shop floor: reorder"
    COLUMNS = ("Order", "Product", "Supplier", "On hand", "Level", "A week")
    BINDINGS = [Binding("p", "print", "Print"), Binding("c", "csv", "CSV file"), *FloorScreen.BINDINGS]

    def starting(self) -> None:
        self.query_one("#floor-entry", Input).display = False
        self.lines = self.floor.reorder()
        self.rows([(ln.order, ln.name, ln.supplier, ln.on_hand, "" if ln.reorder_level is None else ln.reorder_level,
                    f"{ln.weekly_rate:.1f}") for ln in self.lines])
        self.query_one("#floor-table").focus()
        self.say(f"{len(self.lines)} to order." if self.lines else "Nothing needs ordering.")

    def action_print(self) -> None:
        try:
            self.floor.print_reorder(self.lines)
        except USER_ERRORS as error:
            self.fail(error)
            return
        self.say("The reorder list is printing.")

    def action_csv(self) -> None:
        try:
            path = self.floor.reorder_file(self.lines)
        except (*USER_ERRORS, OSError) as error:
            self.fail(error)
            return
        self.say(f"Saved as {path}")
