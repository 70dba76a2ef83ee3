"""The product CSV: import (all or nothing) and export (the same format, so the two round-trip).

Columns (see the README): name, category, price, barcodes, codes, vat_class,
served_hot, catering, healthy_start, stock_tracked, reorder_level,
pass_through, active. Only name, price and one barcode or code are required.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from pydantic import ValidationError
from sqlite_utils import Database

from core.csv_files import Writer, unsafe_cell
from core.database import transaction
from core.errors import TillError
from core.money import MoneyError, format_plain, parse_pence
from inventory.barcodes import CodeError
from inventory.products import Catalogue, CatalogueError, Product, ProductDetails, check_price, normalise_code

COLUMNS = [
    "name", "category", "price", "barcodes", "codes", "vat_class", "served_hot", "catering",
    "healthy_start", "stock_tracked", "reorder_level", "pass_through", "active",
]
REQUIRED = {"name", "price"}
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
#: How many problems are worth listing before the rest are only counted.
MAX_LISTED = 50


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


class ImportFailed(TillError):
    """The file has problems; every one is listed and nothing was imported."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = "\n".join(f"  {e}" for e in errors[:MAX_LISTED])
        more = f"\n  … and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
        super().__init__(
            f"Nothing was imported: the file has {len(errors)} problem"
            f"{'s' if len(errors) != 1 else ''}.\n{shown}{more}"
        )


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Row:
    line: int
    #: The product as described, with defaults for what the row leaves out (for new products).
    details: ProductDetails
    price_pence: int
    codes: list[tuple[str, str]] = field(default_factory=list)
    #: Only what the row actually says: an update changes these and keeps everything else.
    given: dict = field(default_factory=dict)


def _split_codes(text: str) -> list[str]:
    return [part for part in text.replace("|", " ").replace(";", " ").split() if part]


def _parse_row(line: int, raw: dict[str, str], errors: list[RowError]) -> _Row | None:
    before = len(errors)
    values: dict[str, object] = {}
    for column in ("name", "category", "vat_class"):
        if raw.get(column, "").strip():
            # The export writes '=... for a name starting =...: read back, it is that name again.
            values[column] = raw[column].strip().lower() if column == "vat_class" else unsafe_cell(raw[column])
    for column in ("served_hot", "catering", "healthy_start", "stock_tracked", "pass_through", "active"):
        text = raw.get(column, "").strip().lower()
        if not text:
            continue
        if text in _TRUE:
            values[column] = True
        elif text in _FALSE:
            values[column] = False
        else:
            errors.append(RowError(line, column, f"'{raw[column].strip()}' should be yes or no"))
    level = raw.get("reorder_level", "").strip()
    if level:
        if level.isascii() and level.isdigit():
            values["reorder_level"] = int(level)
        else:
            errors.append(RowError(line, "reorder_level", f"'{level}' is not a whole number"))
    price = 0
    try:
        price = parse_pence(raw.get("price", ""))
        check_price(price)
    except (MoneyError, CatalogueError) as error:
        errors.append(RowError(line, "price", str(error)))
    codes: list[tuple[str, str]] = []
    for column in ("barcodes", "codes"):
        for text in _split_codes(raw.get(column, "")):
            try:
                code, kind = normalise_code(text)
            except CodeError as error:
                errors.append(RowError(line, column, str(error)))
                continue
            codes.append((code, kind))
    if not codes and not any(_split_codes(raw.get(c, "")) for c in ("barcodes", "codes")):
        errors.append(RowError(line, "barcodes", "needs at least one barcode or short code, "
                               "so the till can find it and a re-import can match it"))
    details = None
    try:
        details = ProductDetails(**values)
    except ValidationError as error:
        for problem in error.errors():
            column = str(problem["loc"][0]) if problem["loc"] else "row"
            reason = problem["msg"]
            if column == "vat_class":
                reason = f"'{values.get('vat_class')}' is not a VAT class (zero, reduced, standard or exempt)"
            elif column == "name" and "name" not in values:
                reason = "a product needs a name"
            errors.append(RowError(line, column, reason))
    if len(errors) > before or details is None:
        return None
    return _Row(line, details, price, codes, {k: getattr(details, k) for k in values})


def read_rows(data: bytes) -> list[_Row]:
    """Parse and check every row; raise ImportFailed listing all problems."""
    errors: list[RowError] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed([RowError(line, "file", "is not UTF-8 text (save the sheet as CSV UTF-8)")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise ImportFailed([RowError(1, "header", "the file is empty")])
    reader.fieldnames = header
    unknown = [h for h in header if h not in COLUMNS]
    missing = sorted(REQUIRED - set(header))
    problems = [RowError(1, h or "(blank)", "is not a column the till knows") for h in unknown]
    # A column named twice: csv would keep the last one's cells without a word, whichever was meant.
    twice = sorted({h for h in header if h and header.count(h) > 1})
    problems += [RowError(1, h, "is a column named twice in the header; keep one") for h in twice]
    problems += [RowError(1, m, "this column is required") for m in missing]
    if problems:
        raise ImportFailed(problems)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                errors.append(RowError(line, "row", "has more cells than the header has columns"))
                continue
            raw = {k: (v or "") for k, v in raw.items()}
            if not any(v.strip() for v in raw.values()):
                continue
            row = _parse_row(line, raw, errors)
            if row is None:
                continue
            for code, kind in row.codes:
                label = "barcodes" if kind == "barcode" else "codes"
                if code in seen:
                    errors.append(RowError(line, label, f"'{code}' is also on line {seen[code]}"))
                else:
                    seen[code] = line
            rows.append(row)
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "file", f"is not valid CSV: {error}"))
    if errors:
        raise ImportFailed(errors)
    return rows


def import_products(
    db: Database, source: IO[bytes] | bytes, *, at: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import a product CSV: new products are added, known ones (by barcode or code) updated.

    All or nothing: any problem and the database is left exactly as it was.
    """
    data = source if isinstance(source, bytes) else source.read()
    rows = read_rows(data)
    catalogue = Catalogue(db)
    summary = ImportSummary()
    errors: list[RowError] = []
    with transaction(db):
        owners = catalogue.product_for_codes(code for row in rows for code, _ in row.codes)
        plan: list[tuple[_Row, int | None]] = []
        for row in rows:
            matched = {owners[code] for code, _ in row.codes if code in owners}
            if len(matched) > 1:
                errors.append(RowError(row.line, "barcodes", "its codes belong to different products "
                                       f"({', '.join(str(m) for m in sorted(matched))}) already"))
                continue
            plan.append((row, matched.pop() if matched else None))
        if errors:
            raise ImportFailed(errors)
        for done, (row, product_id) in enumerate(plan, 1):
            if product_id is None:
                catalogue.add(row.details, price_pence=row.price_pence, at=at,
                              barcodes=[c for c, k in row.codes if k == "barcode"],
                              codes=[c for c, k in row.codes if k == "plu"])
                summary.created += 1
            elif _apply_update(catalogue, catalogue.get(product_id), row, at):
                summary.updated += 1
            else:
                summary.unchanged += 1
            if progress:
                progress(done, len(plan))
    return summary


def _apply_update(catalogue: Catalogue, product: Product, row: _Row, at: str) -> bool:
    changed = False
    current = ProductDetails(**product.model_dump(include=set(ProductDetails.model_fields)))
    # A column left out (or left blank) keeps what the product already has: re-importing a
    # price list must not reset milk to standard-rated or forget it is Healthy Start eligible.
    wanted = current.model_copy(update=row.given)
    if current != wanted:
        catalogue.update(product.id, wanted)
        changed = True
    if product.price_pence != row.price_pence:
        catalogue.set_price(product.id, row.price_pence, at=at)
        changed = True
    known = set(product.barcodes) | set(product.codes)
    for code, kind in row.codes:
        if code not in known:
            catalogue.add_code(product.id, code, kind=kind)
            changed = True
    return changed


def export_products(db: Database, out: IO[str], *, progress: Callable[[int, int], None] | None = None) -> int:
    """Every product, retired ones included, in the import format."""
    writer = Writer(out)  # a name typed as =HYPERLINK(...) is written as text, never a formula
    writer.writerow(COLUMNS)
    products = Catalogue(db).all()
    for done, p in enumerate(products, 1):
        if progress:
            progress(done, len(products))
        writer.writerow([
            p.name, p.category, format_plain(p.price_pence), " ".join(p.barcodes), " ".join(p.codes),
            p.vat_class.value, *(_yes(getattr(p, c)) for c in ("served_hot", "catering", "healthy_start",
                                                              "stock_tracked")),
            "" if p.reorder_level is None else p.reorder_level, _yes(p.pass_through), _yes(p.active),
        ])
    return len(products)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
