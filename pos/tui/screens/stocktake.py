"""Stocktake: carry on the open one, or start one of the whole shop or a category; scan to count one more
(12* for twelve more), or type =12*barcode to say there are twelve; expected against counted as you go.
Counts are saved as made, so leaving and coming back carries on; F2 finishes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from core.money import format_pence
from pos.errors import USER_ERRORS
from pos.tui.screens.shop_floor import FloorScreen


class StocktakeScreen(FloorScreen):
    TITLE_TEXT = "Shop floor: stocktake"
    PLACEHOLDER = "Scan to count one more, 12*barcode for twelve more, =12*barcode for twelve"
    COLUMNS = ("Expected", "Counted", "Product", "Difference")
    BINDINGS = [Binding("f2", "finish", "Finish and save", priority=True), *FloorScreen.BINDINGS]

    def __init__(self) -> None:
        super().__init__()
        self.take = None
        self.setting = False

    def extra(self) -> ComposeResult:
        yield Input(placeholder="Category to count (blank: the whole shop), Enter", id="category")

    def starting(self) -> None:
        from inventory.stocktakes import Stocktakes

        found = Stocktakes(self.app.shop.db).open()
        if found is None:
            self.query_one("#category", Input).focus()
            self.say("Type a category, or Enter for the whole shop.")
        else:
            self._show(found)
            self.say(f"Carrying on stocktake {found.id} of {found.scope}.")

    def _show(self, take) -> None:
        self.take = take
        self.query_one("#category", Input).display = False
        self.query_one("#title-bar").update(f" Shop floor: stocktake {take.id} of {take.scope}")
        self.refresh_lines()
        self.query_one("#floor-entry", Input).focus()

    def refresh_lines(self) -> None:
        lines = self.floor.count_lines(self.take.id)
        self.rows([(ln.expected, "" if ln.counted is None else ln.counted, ln.name,
                    "" if ln.counted is None else f"{ln.variance:+d}") for ln in lines])

    def other_box(self, box: Input) -> None:
        try:
            self._show(self.floor.stocktake(category=box.value.strip() or None, by=self.me.id))
        except USER_ERRORS as error:
            self.fail(error)

    def typed(self, text: str) -> None:
        self.setting = text.startswith("=")
        super().typed(text.removeprefix("="))

    def scanned(self, quantity: int, code: str) -> None:
        if self.take is None:
            self.say("Choose what to count first.", error=True)
            return
        product = self.app.shop.till.catalogue.lookup(code)
        before = next((ln.counted for ln in self.floor.count_lines(self.take.id) if ln.product_id == product.id), None)
        counted = quantity if self.setting or before is None else before + quantity
        line = self.floor.count(self.take.id, product.id, counted, by=self.me.id)
        self.refresh_lines()
        self.say(f"{line.name}: counted {line.counted}, expected {line.expected} ({line.variance:+d}).")

    def action_finish(self) -> None:
        if self.take is None:
            return
        try:
            done = self.floor.finish(self.take.id, by=self.me.id)
        except USER_ERRORS as error:
            self.fail(error)
            return
        self.take = None
        self.say(f"Saved: {done.counted} counted, {done.uncounted} not counted (left as they were), "
                 f"{done.variance_units:+d} items, {format_pence(done.variance_pence)} at cost.")
