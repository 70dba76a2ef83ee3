"""The shop floor's words and files, for the command line and the Shop floor screen alike: a delivery's CSV
read into lines, the reorder list as text, CSV and a slip for the receipt printer, a stocktake as text.
The rules are inventory's (deliveries, stocktakes, shelf); this only words and lays out what they return."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import IO

from core.csv_files import DictWriter, unsafe_cell
from core.money import MoneyError, format_pence, parse_pence
from inventory.deliveries import Delivery, Line
from inventory.product_csv import ImportFailed, RowError
from inventory.products import Catalogue
from inventory.shelf import ReorderLine
from inventory.stock import StockError
from inventory.stocktakes import CountLine, Stocktake
from printers.receipt import Receipt, ReceiptItem


def parse_cost(text: str) -> int:
    try:
        return parse_pence(text)
    except MoneyError as error:
        raise StockError(f"the cost: {error}") from None


def delivery_lines_csv(catalogue: Catalogue, text: str) -> list[Line]:
    """A delivery's lines from CSV (code, quantity, and optionally cost and best_before); every bad row is
    listed by line and column and nothing is taken."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "quantity"} - set(reader.fieldnames or [])
    if missing:
        raise ImportFailed([RowError(1, ", ".join(sorted(missing)), "the header has no such column")])
    lines, errors = [], []
    for raw in reader:
        at = reader.line_num
        cell = {k: unsafe_cell((raw.get(k) or "").strip()) for k in ("code", "quantity", "cost", "best_before")}
        product = catalogue.find(cell["code"]) if cell["code"] else None
        if product is None:
            errors.append(RowError(at, "code", f"nothing in the catalogue has the code '{cell['code']}'"))
        quantity = int(cell["quantity"]) if cell["quantity"].isdigit() else 0
        if quantity <= 0:
            errors.append(RowError(at, "quantity", f"'{cell['quantity']}' is not a whole number above zero"))
        cost = best_before = None
        try:
            cost = parse_pence(cell["cost"]) if cell["cost"] else None
        except MoneyError as error:
            errors.append(RowError(at, "cost", str(error)))
        try:
            best_before = date.fromisoformat(cell["best_before"]) if cell["best_before"] else None
        except ValueError:
            errors.append(RowError(at, "best_before", f"'{cell['best_before']}' is not a date like 2026-12-31"))
        if product is not None and quantity > 0:
            lines.append(Line(product_id=product.id, quantity=quantity, cost_pence=cost, best_before=best_before))
    if errors or not lines:
        raise ImportFailed(errors or [RowError(2, "code", "the file has no rows")])
    return lines


def delivery_text(db, delivery: Delivery) -> str:
    catalogue = Catalogue(db)
    supplier = ""
    if delivery.supplier_id is not None:
        from inventory.suppliers import Suppliers

        supplier = f" from {Suppliers(db).get(delivery.supplier_id).name}"
    head = f"Delivery {delivery.id}{supplier}, {delivery.at[:16].replace('T', ' ')}"
    if delivery.reverses:
        head += f" (reverses delivery {delivery.reverses}: {delivery.note})"
    if delivery.reversed_by:
        head += f" (reversed by delivery {delivery.reversed_by})"
    rows = [head]
    for line in delivery.lines:
        cost = f"  cost {format_pence(line.cost_pence)}" if line.cost_pence is not None else ""
        best = f"  best before {line.best_before.isoformat()}" if line.best_before else ""
        rows.append(f"{line.quantity:>6}  {catalogue.get(line.product_id).name}{cost}{best}")
    return "\n".join(rows) + "\n"


def stocktake_text(take: Stocktake, lines: list[CountLine]) -> str:
    rows = [f"Stocktake {take.id} of {take.scope}, started {take.started_at[:16].replace('T', ' ')}"]
    for line in lines:
        counted = "   —" if line.counted is None else f"{line.counted:>4}"
        rows.append(f"{line.expected:>6} {counted}  {line.name[:40]:<40} {line.variance:+d}")
    return "\n".join(rows) + "\n"


def _rate(line: ReorderLine) -> str:
    return f"{line.weekly_rate:.1f}"


def reorder_text(lines: list[ReorderLine]) -> str:
    if not lines:
        return "Nothing needs ordering.\n"
    rows, supplier = [], None
    for line in lines:
        if line.supplier != supplier:
            supplier = line.supplier
            rows.append(f"{supplier} (delivers in {line.lead_days} days)")
        level = "-" if line.reorder_level is None else line.reorder_level
        rows.append(f"  order {line.order:>4}  {line.name[:34]:<34} on hand {line.on_hand}, level {level}, "
                    f"{_rate(line)} a week")
    return "\n".join(rows) + "\n"


COLUMNS = ["supplier", "product", "order", "on_hand", "reorder_level", "sold_a_week", "lead_days", "cost"]


def reorder_csv(lines: list[ReorderLine], out: IO[str]) -> None:
    writer = DictWriter(out, COLUMNS)
    writer.writeheader()
    for line in lines:
        writer.writerow({"supplier": line.supplier, "product": line.name, "order": line.order,
                         "on_hand": line.on_hand, "reorder_level": line.reorder_level, "sold_a_week": _rate(line),
                         "lead_days": line.lead_days,
                         "cost": "" if line.cost_pence is None else format_pence(line.cost_pence)})


def reorder_slip(lines: list[ReorderLine], shop_name: str, today: date) -> Receipt:
    """The reorder list on the receipt printer, one item a line, to take to the phone or the cash and carry."""
    return Receipt(header=[shop_name], title=f"To order {today.isoformat()}",
                   items=[ReceiptItem(name=f"{line.name}", amount=str(line.order),
                                      details=[f"{line.supplier}; on hand {line.on_hand}"]) for line in lines],
                   notes=[] if lines else ["Nothing needs ordering."])


_QUANTITY = re.compile(r"^(\d{1,6})\s*[*xX]\s*(.+)$")


def split_quantity(text: str) -> tuple[int, str]:
    """'12*5000…' → (12, '5000…'); a plain scan is one. Quantities are checked by inventory."""
    found = _QUANTITY.match(text.strip())
    return (int(found.group(1)), found.group(2).strip()) if found else (1, text.strip())


class Floor:
    """What the Shop floor screen does, each in its own transaction, in the signed-in volunteer's name."""

    def __init__(self, shop) -> None:
        self.shop = shop
        self.db = shop.db

    def _now(self) -> str:
        from core.clock import stamp

        return stamp(self.shop.clock())

    def may_control(self, volunteer) -> bool:
        from volunteers.permissions import Action, may

        return may(volunteer.roles, Action.stock_control)

    def _controlled(self, by: int) -> None:
        """Refused unless `by` may run stocktakes (the screen offers them only then; this holds for any caller)."""
        from volunteers.permissions import Action, authorise

        authorise(self.shop.volunteers, Action.stock_control, by, None)

    def suppliers(self):
        from inventory.suppliers import Suppliers

        return Suppliers(self.db).all()

    def supplier_named(self, name: str) -> int | None:
        from inventory.suppliers import Suppliers

        return Suppliers(self.db).named(name).id if name.strip() else None

    def receive(self, lines: list[Line], *, supplier_id: int | None, by: int) -> int:
        from core.database import transaction
        from inventory.deliveries import Deliveries

        with transaction(self.db):
            return Deliveries(self.db).receive(lines, supplier_id=supplier_id, at=self._now(), by=by)

    def new_product(self, *, name: str, price: str, vat_class: str, category: str, barcode: str):
        """The short form at goods in: a shop product (stock counted) with its barcode."""
        from core.database import transaction
        from inventory.products import ProductDetails

        details = ProductDetails(name=name, category=category or "Shop", vat_class=vat_class)
        pence = parse_cost(price) if price else 0
        with transaction(self.db):
            return Catalogue(self.db).add(details, price_pence=pence, at=self._now(), barcodes=[barcode])

    def waste(self, product_id: int, quantity: int, *, reason: str, by: int) -> int:
        from core.database import transaction
        from inventory.stocktakes import waste

        with transaction(self.db):
            return waste(self.db, product_id, quantity, reason=reason, at=self._now(), by=by)

    def stocktake(self, *, category: str | None, by: int) -> Stocktake:
        """The open stocktake, carried on, or a new one of `category`."""
        from core.database import transaction
        from inventory.stocktakes import Stocktakes

        self._controlled(by)
        takes = Stocktakes(self.db)
        found = takes.open()
        if found is not None:
            return found
        with transaction(self.db):
            return takes.start(category=category, at=self._now(), by=by)

    def count(self, take: int, product_id: int, counted: int, *, by: int) -> CountLine:
        from core.database import transaction
        from inventory.stocktakes import Stocktakes

        self._controlled(by)
        with transaction(self.db):
            return Stocktakes(self.db).count(take, product_id, counted, at=self._now(), by=by)

    def count_lines(self, take: int) -> list[CountLine]:
        from inventory.stocktakes import Stocktakes

        return Stocktakes(self.db).lines(take)

    def finish(self, take: int, *, by: int):
        from core.database import transaction
        from inventory.stocktakes import Stocktakes

        self._controlled(by)
        with transaction(self.db):
            return Stocktakes(self.db).finish(take, at=self._now(), by=by)

    def reorder(self) -> list[ReorderLine]:
        from inventory.shelf import reorder_list

        return reorder_list(self.db, today=self.shop.today())

    def print_reorder(self, lines: list[ReorderLine]):
        return self.shop.send_receipt(reorder_slip(lines, self.shop.settings.society.name, self.shop.today()),
                                      f"reorder-{self.shop.today().isoformat()}")

    def reorder_file(self, lines: list[ReorderLine]) -> Path:
        """The reorder list as CSV in the receipts folder, whole or not at all."""
        from core.csv_files import atomic_text

        folder = Path(self.shop.settings.receipts_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"reorder-{self.shop.today().isoformat()}.csv"
        with atomic_text(path) as out:
            reorder_csv(lines, out)
        return path
