"""The basket as a table: item, quantity, price and line total, with the selected line highlighted."""

from __future__ import annotations

from textual.widgets import DataTable

from pos.basket import Basket
from pos.money import format_pence


class BasketView(DataTable):
    DEFAULT_CSS = """
    BasketView { height: 1fr; overflow-x: hidden; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("Item", key="item")
        self.add_column("Qty", key="qty", width=4)
        self.add_column("Each", key="each", width=9)
        self.add_column("Total", key="total", width=10)

    def show(self, basket: Basket, *, select: int | None = None) -> None:
        keep = self.cursor_row if select is None else select
        self.clear()
        for line in basket.lines:
            name = line.name
            if line.discount_pence:
                name += f"  (-{format_pence(line.discount_pence)})"
            if line.overridden_by is not None:
                name += "  (price changed)"
            self.add_row(name, str(line.quantity), format_pence(line.unit_price_pence),
                         format_pence(line.total_pence))
        if basket.discount_pence:
            self.add_row(f"Basket discount ({basket.discount_reason})", "", "",
                         format_pence(-basket.discount_pence))
        if basket.lines:
            self.move_cursor(row=max(0, min(keep, len(basket.lines) - 1)))
