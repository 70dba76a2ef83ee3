"""Refund a past sale, found by its number or by scanning its receipt; needs a shift lead's PIN."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Input, Label

from core.money import format_pence
from pos.errors import USER_ERRORS
from pos.receipts import parse_sale_reference
from pos.till import Sale
from pos.tui.plain_errors import sentence
from volunteers.permissions import Action, may


class RefundModal(ModalScreen[Sale | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "move(-1)", "Line up", show=False, priority=True),
        Binding("down", "move(1)", "Line down", show=False, priority=True),
        Binding("f2", "toggle_line", "Include / leave out"),
        Binding("f3", "quantity(-1)", "One fewer"),
        Binding("f4", "quantity(1)", "One more"),
        Binding("f5", "toggle_waste", "Not fit to sell"),
    ]

    def __init__(self, operator_id: int, *, reference: str | None = None) -> None:
        super().__init__()
        self.operator_id = operator_id
        #: A receipt already scanned at the till ('till-1/123'): that sale is found at once.
        self.reference = reference
        self.sale: Sale | None = None
        self.chosen: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Refund: type the sale number or scan the receipt", classes="dialog-title")
            yield Input(placeholder="sale number", id="sale-ref")
            yield DataTable(id="refund-lines", cursor_type="row")
            yield Label("Up/Down choose a line · F2 include or leave out · F3/F4 one fewer/more", classes="hint")
            yield Label("", id="refund-total")
            yield Input(placeholder="why is it being refunded? then Enter", id="refund-reason")
            # Focused only by F5 or a click: Enter in the reason box must never tick it.
            yield Checkbox(self._waste_label(False), id="refund-waste")
            yield Label("F5 says whether it is fit to sell again.", classes="hint")
            yield Label("", id="refund-error", classes="error")

    def on_mount(self) -> None:
        table = self.query_one("#refund-lines", DataTable)
        table.add_columns("Refund", "Item", "Of", "Each")
        # Never focused: Enter (or Tab then Enter) after typing the reason must not tick it by
        # mistake. F5 or a click ticks it; its words say which it is.
        self.query_one("#refund-waste", Checkbox).can_focus = False
        self.query_one("#sale-ref", Input).focus()
        if self.reference:
            self.query_one("#sale-ref", Input).value = self.reference
            self._find(self.reference)

    @staticmethod
    def _waste_label(waste: bool) -> str:
        return ("Not fit to sell again: YES, the stock is written off (F5)" if waste
                else "Not fit to sell again: no, it goes back on the shelf (F5)")

    def action_toggle_waste(self) -> None:
        box = self.query_one("#refund-waste", Checkbox)
        box.value = not box.value

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = self._waste_label(event.value)

    def _fail(self, message: str) -> None:
        self.app.bell()
        self.query_one("#refund-error", Label).update(message)

    def _show(self) -> None:
        table = self.query_one("#refund-lines", DataTable)
        table.clear()
        remaining = self.app.shop.till.refundable(self.sale)
        row = table.cursor_row
        for line in self.sale.lines:
            table.add_row(str(self.chosen.get(line.line_no, 0)), line.product_name, str(remaining[line.line_no]),
                          format_pence(line.unit_price_pence), key=str(line.line_no))
        table.move_cursor(row=row)
        items = sum(self.chosen.values())
        total = self.app.shop.till.refund_total(self.sale, self.chosen)
        self.query_one("#refund-total", Label).update(
            f"Refund {format_pence(total)} ({items} item{'s' if items != 1 else ''})" if items
            else "Nothing chosen to refund yet (F2)")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "sale-ref":
            self._find(event.value)
        elif event.input.id == "refund-reason":
            self._refund()

    def _find(self, reference: str) -> None:
        """The sale a typed number or a scanned receipt ('till-1/123') names, with its lines."""
        shop = self.app.shop
        try:
            till_id, number = parse_sale_reference(reference, shop.till.till_id)
            self.sale = shop.till.get_sale(number, till_id=till_id)
            if self.sale.kind != "sale":
                raise ValueError(f"sale {number} is itself a refund")
        except (ValueError, *USER_ERRORS) as error:
            self.sale = None
            self._fail(sentence(error))
            return
        self.chosen = {n: q for n, q in shop.till.refundable(self.sale).items() if q > 0}
        if not self.chosen:
            self._fail(f"Everything on sale {self.sale.sale_number} has already been refunded.")
            return
        self.query_one("#refund-error", Label).update("")
        self._show()
        self.query_one("#refund-reason", Input).focus()

    def _line(self) -> tuple[int, int] | None:
        """The chosen line's number and how many of it can still be refunded."""
        if self.sale is None:
            return None
        line_no = self.sale.lines[self.query_one("#refund-lines", DataTable).cursor_row].line_no
        return line_no, self.app.shop.till.refundable(self.sale)[line_no]

    def action_move(self, step: int) -> None:
        table = self.query_one("#refund-lines", DataTable)
        (table.action_cursor_down if step > 0 else table.action_cursor_up)()

    def action_toggle_line(self) -> None:
        line = self._line()
        if line is None:
            return
        line_no, remaining = line
        if self.chosen.get(line_no):
            self.chosen.pop(line_no)
        elif remaining:
            self.chosen[line_no] = remaining
        self._show()

    def action_quantity(self, step: int) -> None:
        line = self._line()
        if line is None:
            return
        line_no, remaining = line
        wanted = max(0, min(remaining, self.chosen.get(line_no, 0) + step))
        if wanted:
            self.chosen[line_no] = wanted
        else:
            self.chosen.pop(line_no, None)
        self._show()

    def _refund(self, approver_id: int | None = None) -> None:
        if self.sale is None:
            self._fail("Find the sale first.")
            return
        reason = self.query_one("#refund-reason", Input).value.strip()
        if not reason:
            self._fail("Please say why it is being refunded.")
            return
        if not self.chosen:
            self._fail("Choose at least one line (F2).")
            return
        if approver_id is None and not may(self.app.volunteer.roles, Action.refund):
            self.app.with_approval(Action.refund, self._refund)
            return
        try:
            refund = self.app.shop.till.refund(
                self.sale.sale_number, from_till=self.sale.till_id, operator_id=self.operator_id,
                approver_id=approver_id, reason=reason, quantities=dict(self.chosen),
                waste=self.query_one("#refund-waste", Checkbox).value,
            )
        except USER_ERRORS as error:
            self._fail(sentence(error))
            return
        self.dismiss(refund)

    def action_cancel(self) -> None:
        self.dismiss(None)
