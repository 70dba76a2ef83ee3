"""The basket: item, quantity, price and line total, with the chosen line highlighted.

Drawn line by line with cached strips rather than with a DataTable: a DataTable
re-renders every visible cell on each change, which cost a scan tens of
milliseconds (benchmarks/run.py, scan_to_line_ms); here a scan redraws a line.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from core.money import format_pence
from inventory.units import weight_text
from pos.basket import Basket, BasketLine

_QTY, _EACH, _TOTAL = 4, 9, 10


class BasketView(Widget):
    COMPONENT_CLASSES = {"basket-view--header", "basket-view--cursor", "basket-view--even"}
    DEFAULT_CSS = """
    BasketView { height: 1fr; }
    BasketView > .basket-view--header { text-style: bold; background: $panel; }
    BasketView > .basket-view--cursor { background: $accent 40%; text-style: bold; }
    BasketView > .basket-view--even { background: $surface-lighten-1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[tuple[str, str, str, str]] = []
        self.lines_in_basket = 0
        self.cursor_row = 0
        self._top = 0
        self._cache: dict[tuple, Strip] = {}

    # What the screen calls -------------------------------------------------------------

    @staticmethod
    def described(line: BasketLine) -> str:
        """A weighed line with its weight and price per kg: what the volunteer checks against the label."""
        if line.weight_grams is None:
            return line.name
        return f"{line.name} {weight_text(line.weight_grams)} @ {format_pence(line.per_kg_pence or 0)}/kg"

    @staticmethod
    def rows_for(basket: Basket) -> list[tuple[str, str, str, str]]:
        rows = []
        for line in basket.lines:
            name = BasketView.described(line)
            if line.discount_pence:
                name += f" (-{format_pence(line.discount_pence)})"
            if line.overridden_by is not None:
                name += " (price changed)"
            if line.pay_forward:
                name += " (paid forward)"
            rows.append((name, str(line.quantity), format_pence(line.unit_price_pence),
                         format_pence(line.total_pence)))
        if basket.discount_pence:
            rows.append((f"Basket discount ({basket.discount_reason})", "", "",
                         format_pence(-basket.discount_pence)))
        return rows

    def show(self, basket: Basket, *, select: int | None = None) -> None:
        self.rows = self.rows_for(basket)
        self.lines_in_basket = len(basket.lines)
        if select is not None:
            self.cursor_row = select
        self.cursor_row = max(0, min(self.cursor_row, self.lines_in_basket - 1))
        self._scroll_to_cursor()
        self.refresh()

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    # Drawing ------------------------------------------------------------------------------

    def _move(self, step: int) -> None:
        if self.lines_in_basket:
            self.cursor_row = max(0, min(self.cursor_row + step, self.lines_in_basket - 1))
            self._scroll_to_cursor()
            self.refresh()

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.size.height - 1)
        if self.cursor_row < self._top:
            self._top = self.cursor_row
        elif self.cursor_row >= self._top + visible:
            self._top = self.cursor_row - visible + 1
        self._top = max(0, min(self._top, max(0, len(self.rows) - visible)))

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        index = self._top + event.y - 1
        if event.y >= 1 and 0 <= index < self.lines_in_basket:
            self.cursor_row = index
            self.refresh()

    def _text(self, cells: tuple[str, str, str, str], width: int) -> str:
        name_width = max(8, width - _QTY - _EACH - _TOTAL - 3)
        name, qty, each, total = cells
        if len(name) > name_width:
            name = name[: name_width - 1] + "…"
        return f"{name:<{name_width}} {qty:>{_QTY}} {each:>{_EACH}} {total:>{_TOTAL}}"[:width]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            key: tuple = ("header", width)
            cells, style_name = ("Item", "Qty", "Each", "Total"), "basket-view--header"
        else:
            index = self._top + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, self.rich_style)
            cells = self.rows[index]
            if index == self.cursor_row and index < self.lines_in_basket:
                style_name = "basket-view--cursor"
            else:
                style_name = "basket-view--even" if index % 2 else ""
            key = (cells, style_name, width)
        strip = self._cache.get(key)
        if strip is None:
            style: Style = self.rich_style
            if style_name:
                style = style + self.get_component_rich_style(style_name)
            text = self._text(cells, width)
            strip = Strip([Segment(text.ljust(width), style)], width)
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = strip
        return strip
