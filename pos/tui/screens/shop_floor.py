"""The Shop floor (Ctrl+X from the till): goods in and wastage for any volunteer, stocktakes and the reorder
list for shift leads and managers. Each part is a screen of its own on `FloorScreen`; the rules are in
inventory/, reached through pos.shop_floor.Floor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label

from pos.errors import USER_ERRORS
from pos.shop_floor import Floor, split_quantity
from pos.tui.plain_errors import sentence
from pos.tui.widgets.keys_footer import KeysFooter
from pos.tui.widgets.message_line import MessageLine


class FloorScreen(Screen):
    """A title, a box to scan into (`12*` for twelve), a table and a message line; Esc goes back."""

    TITLE_TEXT = ""
    PLACEHOLDER = "Scan, or type 12*barcode for twelve, Enter"
    COLUMNS: tuple[str, ...] = ()
    BINDINGS = [Binding("escape", "back", "Back")]

    floor: Floor

    @property
    def me(self):
        return self.app.volunteer

    def compose(self) -> ComposeResult:
        yield Label(f" {self.TITLE_TEXT}", id="title-bar")
        yield from self.extra()
        yield Input(placeholder=self.PLACEHOLDER, id="floor-entry")
        table = DataTable(id="floor-table", cursor_type="row")
        table.add_columns(*self.COLUMNS)
        yield table
        yield MessageLine(id="message")
        yield KeysFooter()

    def extra(self) -> ComposeResult:
        return iter(())

    #: The box the part starts in.
    FIRST = "#floor-entry"

    def on_mount(self) -> None:
        self.floor = Floor(self.app.shop)
        self.starting()

    def starting(self) -> None:
        """What the part shows first, and the one box it focuses (a second focus would race the first)."""
        self.query_one(self.FIRST).focus()

    def say(self, text: str, *, error: bool = False) -> None:
        self.query_one(MessageLine).say(text, error=error)

    def fail(self, error: BaseException) -> None:
        self.say(sentence(error), error=True)

    def rows(self, rows: list[tuple]) -> None:
        table = self.query_one("#floor-table", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*[str(cell) for cell in row])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "floor-entry":
            self.other_box(event.input)
            return
        if not event.value.strip():
            return
        text = event.value
        event.input.value = ""
        try:
            self.typed(text)
        except USER_ERRORS as error:
            self.fail(error)

    def typed(self, text: str) -> None:
        self.scanned(*split_quantity(text))

    def scanned(self, quantity: int, code: str) -> None:
        raise NotImplementedError

    def other_box(self, box: Input) -> None:
        """Enter in a box of the part's own (`extra`): by default, on to the scanning box."""
        self.query_one("#floor-entry", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()


class ShopFloorScreen(Screen):
    BINDINGS = [
        Binding("g", "open('goods_in')", "Goods in"),
        Binding("w", "open('wastage')", "Wastage"),
        Binding("s", "open('stocktake')", "Stocktake"),
        Binding("r", "open('reorder')", "Reorder"),
        Binding("escape", "back", "Back to the till"),
    ]

    def compose(self) -> ComposeResult:
        yield Label(" Shop floor", id="title-bar")
        yield Label("G  Goods in: a delivery, scanned item by item\n"
                    "W  Wastage: out of date, damaged, staff use\n"
                    "S  Stocktake: count the shop or a shelf (shift leads)\n"
                    "R  Reorder: what to order now, by supplier (shift leads)", id="floor-menu")
        yield MessageLine(id="message")
        yield KeysFooter()

    def action_open(self, part: str) -> None:
        if part in ("stocktake", "reorder") and not Floor(self.app.shop).may_control(self.app.volunteer):
            self.query_one(MessageLine).say(
                f"{'A stocktake' if part == 'stocktake' else 'The reorder list'} needs a shift lead or a manager.",
                error=True)
            return
        if part == "goods_in":
            from pos.tui.screens.goods_in import GoodsInScreen as Part
        elif part == "wastage":
            from pos.tui.screens.wastage import WastageScreen as Part
        elif part == "stocktake":
            from pos.tui.screens.stocktake import StocktakeScreen as Part
        else:
            from pos.tui.screens.reorder import ReorderScreen as Part
        self.app.push_screen(Part())

    def action_back(self) -> None:
        self.app.pop_screen()
