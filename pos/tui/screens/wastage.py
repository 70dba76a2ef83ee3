"""Wastage: choose the reason, scan what is wasted (12* for twelve); each is saved at once with its value lost."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Select

from core.money import format_pence
from pos.tui.screens.shop_floor import FloorScreen

REASONS = ["out of date", "damaged", "staff use", "spilt or broken", "stolen"]


class WastageScreen(FloorScreen):
    TITLE_TEXT = "Shop floor: wastage"
    COLUMNS = ("Qty", "Product", "Reason", "Lost at cost")

    def __init__(self) -> None:
        super().__init__()
        self.done: list[tuple] = []

    def extra(self) -> ComposeResult:
        yield Select([(reason, reason) for reason in REASONS], value=REASONS[0], allow_blank=False, id="reason")

    def scanned(self, quantity: int, code: str) -> None:
        product = self.app.shop.till.catalogue.lookup(code)
        reason = str(self.query_one("#reason", Select).value)
        lost = self.floor.waste(product.id, quantity, reason=reason, by=self.me.id)
        self.done.insert(0, (quantity, product.name, reason, format_pence(lost)))
        self.rows(self.done)
        self.say(f"{quantity} × {product.name} written off ({reason}): {format_pence(lost)} at cost.")
