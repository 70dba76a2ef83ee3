"""The shop floor's words and files, for the command line and the Shop floor screen alike: a delivery's CSV
read into lines, the reorder list as text, CSV and a slip for the receipt printer, a stocktake as text.
The rules are inventory's (deliveries, stocktakes, shelf); this only words and lays out what they return."""

from __future__ import annotations

import csv
import io
from datetime import date
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
