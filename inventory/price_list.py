"""A supplier's price list as CSV: the cost of each product from them, and a new shelf price where given.

All or nothing, like the product import: every row is checked first and every problem is listed by line
and column (inventory/product_csv.py's ImportFailed); only a file with none is written, in one transaction
the caller holds. Columns: `code` (a barcode or short code the catalogue knows), `cost`, and optionally
`price`. A price list is short (a supplier's range), so it is read whole.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlite_utils import Database

from core.csv_files import unsafe_cell
from core.money import MoneyError, parse_pence
from inventory.product_csv import ImportFailed, RowError
from inventory.products import Catalogue, CatalogueError, check_price
from inventory.stock import StockError
from inventory.suppliers import Suppliers, check_cost


@dataclass
class PriceListSummary:
    costs: int = 0
    prices: int = 0


def _money(raw: dict, column: str, line: int, errors: list[RowError], required: bool) -> int | None:
    text = unsafe_cell((raw.get(column) or "").strip())
    if not text:
        if required:
            errors.append(RowError(line, column, "is empty"))
        return None
    try:
        return parse_pence(text)
    except MoneyError as error:
        errors.append(RowError(line, column, str(error)))
        return None


def import_price_list(db: Database, text: str, *, supplier_id: int, at: str, by: int) -> PriceListSummary:
    """Apply `text` (the CSV) for `supplier_id`; raises ImportFailed listing every bad row, writing nothing."""
    suppliers, catalogue = Suppliers(db), Catalogue(db)
    suppliers.get(supplier_id)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"code", "cost"} - set(reader.fieldnames or [])
    if missing:
        raise ImportFailed([RowError(1, ", ".join(sorted(missing)), "the header has no such column")])
    errors: list[RowError] = []
    rows: list[tuple[int, int, int | None]] = []
    for raw in reader:
        line = reader.line_num
        code = unsafe_cell((raw.get("code") or "").strip())
        product = catalogue.find(code) if code else None
        if product is None:
            errors.append(RowError(line, "code", f"nothing in the catalogue has the code '{code}'" if code
                                   else "is empty"))
        cost = _money(raw, "cost", line, errors, True)
        price = _money(raw, "price", line, errors, False)
        try:
            if cost is not None:
                check_cost(cost)
            if price is not None:
                check_price(price)
        except (StockError, CatalogueError) as error:
            errors.append(RowError(line, "cost" if price is None else "price", str(error)))
            continue
        if product is not None and cost is not None:
            rows.append((product.id, cost, price if price != product.price_pence else None))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([RowError(2, "code", "the file has no rows")])
    summary = PriceListSummary()
    with db.atomic():
        for product_id, cost, price in rows:
            suppliers.set_supply(product_id, at=at, by=by, supplier_id=supplier_id, cost_pence=cost)
            summary.costs += 1
            if price is not None:
                catalogue.set_price(product_id, price, at=at)
                summary.prices += 1
    return summary
