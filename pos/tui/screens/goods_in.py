"""Goods in: a supplier, then each item scanned (12* for twelve) into a running list, with an optional cost
and best-before for the next scan; an unknown barcode opens a short new-product form without leaving; F2
saves the whole delivery in one transaction."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from core.money import format_pence
from inventory.deliveries import Line
from inventory.products import VatClass
from inventory.stock import StockError
from pos.errors import USER_ERRORS
from pos.shop_floor import parse_cost
from pos.tui.modals.form import FormField, FormModal
from pos.tui.screens.shop_floor import FloorScreen


class GoodsInScreen(FloorScreen):
    TITLE_TEXT = "Shop floor: goods in"
    COLUMNS = ("Qty", "Product", "Cost", "Best before")
    BINDINGS = [Binding("f2", "save", "Save delivery", priority=True), *FloorScreen.BINDINGS]
    FIRST = "#supplier"

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[Line, str]] = []
        self.supplier_id: int | None = None

    def extra(self) -> ComposeResult:
        yield Input(placeholder="Supplier (type the name, Enter; blank for none)", id="supplier")
        yield Input(placeholder="Cost of one, for the next scan (optional)", id="cost")
        yield Input(placeholder="Best before, for the next scan: 2026-12-31 (optional)", id="best-before")

    def starting(self) -> None:
        super().starting()
        names = ", ".join(s.name for s in self.floor.suppliers()) or "none yet"
        self.say(f"Suppliers: {names}.")

    def other_box(self, box: Input) -> None:
        if box.id == "supplier":
            try:
                self.supplier_id = self.floor.supplier_named(box.value)
            except USER_ERRORS as error:
                self.fail(error)
                return
        super().other_box(box)

    def _extras(self) -> tuple[int | None, date | None]:
        cost_text = self.query_one("#cost", Input).value.strip()
        best_text = self.query_one("#best-before", Input).value.strip()
        cost = parse_cost(cost_text) if cost_text else None
        try:
            best = date.fromisoformat(best_text) if best_text else None
        except ValueError:
            raise StockError(f"'{best_text}' is not a date like 2026-12-31") from None
        return cost, best

    def scanned(self, quantity: int, code: str) -> None:
        cost, best = self._extras()
        product = self.app.shop.till.catalogue.find(code)
        if product is None:
            if not code.isdigit():  # a typing slip, not a product the shop has never had
                self.app.shop.till.catalogue.lookup(code)
            self._new_product(code, quantity, cost, best)
            return
        self._add(Line(product_id=product.id, quantity=quantity, cost_pence=cost, best_before=best), product.name)

    def _add(self, line: Line, name: str) -> None:
        self.lines.append((line, name))
        self.query_one("#cost", Input).value = ""
        self.query_one("#best-before", Input).value = ""
        self.rows([(ln.quantity, shown, "" if ln.cost_pence is None else format_pence(ln.cost_pence),
                    ln.best_before or "") for ln, shown in self.lines])
        self.say(f"{line.quantity} × {name}. {len(self.lines)} lines; F2 saves the delivery.")

    def _new_product(self, code: str, quantity: int, cost: int | None, best: date | None) -> None:
        made = {}

        def save(answers: dict[str, str]) -> None:
            made["product"] = self.floor.new_product(barcode=code, **answers)

        def done(saved: bool | None) -> None:
            if saved:
                product = made["product"]
                self._add(Line(product_id=product.id, quantity=quantity, cost_pence=cost, best_before=best),
                          product.name)
            self.query_one("#floor-entry", Input).focus()

        fields = [FormField("name", "Name"), FormField("price", "Shelf price (£)"),
                  FormField("vat_class", "VAT", choices=[(v.value, v.value) for v in VatClass]),
                  FormField("category", "Category", value="Shop")]
        self.app.push_screen(FormModal(f"New product: {code}", fields, save), done)

    def action_save(self) -> None:
        if not self.lines:
            self.say("Nothing scanned yet.", error=True)
            return
        try:
            number = self.floor.receive([ln for ln, _ in self.lines], supplier_id=self.supplier_id, by=self.me.id)
        except USER_ERRORS as error:
            self.fail(error)
            return
        items = sum(ln.quantity for ln, _ in self.lines)
        self.lines = []
        self.rows([])
        self.say(f"Delivery {number} saved: {items} items.")
