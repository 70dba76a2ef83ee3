"""The product CSV: import (all or nothing) and export (the same format, so the two round-trip).

The import streams: a file of a million rows is checked without being held in memory and
without the write lock, then written in short batches a till's sale can slip between
(see `import_products`).

Columns (see the README): name, category, price, barcodes, codes, vat_class,
served_hot, catering, healthy_start, stock_tracked, reorder_level,
pass_through, active. Only name, price and one barcode or code are required.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
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
#: How many problems are kept to list; beyond it they are counted (a file of a million bad rows).
MAX_KEPT = 1000
#: Rows written per transaction; a batch also ends once it has held the write lock BATCH_SECONDS,
#: so a till's sale never waits longer than about that for an import, however slow the machine.
BATCH_ROWS = 1000
BATCH_SECONDS = 0.1
#: After each batch the write lock is left free for this share of the time it was held (at least
#: MIN_PAUSE seconds): SQLite's busy wait only looks again every few milliseconds (up to 100), so
#: a lock taken again at once would let a waiting till in only by luck.
PAUSE_SHARE = 0.25
MIN_PAUSE = 0.005


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


class ImportFailed(TillError):
    """The file has problems; every one is listed and nothing was imported."""

    def __init__(self, errors: list[RowError], *, total: int | None = None):
        self.errors = errors
        count = len(errors) if total is None else total
        shown = "\n".join(f"  {e}" for e in errors[:MAX_LISTED])
        more = f"\n  … and {count - MAX_LISTED} more" if count > MAX_LISTED else ""
        super().__init__(
            f"Nothing was imported: the file has {count} problem"
            f"{'s' if count != 1 else ''}.\n{shown}{more}"
        )


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportStopped(TillError):
    """The file was sound, but a batch could not be written (another till changed the same codes
    meanwhile): the batches before it are imported, that one and the rest are not."""

    def __init__(self, summary: ImportSummary, last_line: int, line: int, reason: str):
        self.summary, self.last_line, self.line = summary, last_line, line
        if last_line <= 1:
            done = "Nothing was imported"
        else:
            done = (f"The file was imported up to line {last_line} ({summary.created} new, {summary.updated} "
                    f"updated, {summary.unchanged} unchanged), nothing after it")
        super().__init__(
            f"{done}: line {line} could not be written: {reason}. Import the file again once that is "
            "sorted out: the rows already in are recognised by their codes and left as they are."
        )


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


def _lines(source: IO[bytes]) -> Iterator[str]:
    """The file's text a line at a time, as csv wants it: \\r, \\n or \\r\\n ends a line (a file from an old
    Mac too), and a line that is not UTF-8 stops the reading with its number."""
    for number, raw in enumerate(source, 1):  # a binary file splits at b"\\n", never inside a character
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _NotUtf8(number) from None
        yield from io.StringIO(text, newline="")


class _NotUtf8(Exception):
    def __init__(self, line: int):
        self.error = RowError(line, "file", "is not UTF-8 text (save the sheet as CSV UTF-8)")


class _Problems:
    """Every problem counted; the first MAX_KEPT kept (a million bad rows must not fill the memory)."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.count = 0

    def append(self, error: RowError) -> None:
        self.count += 1
        if len(self.kept) < MAX_KEPT:
            self.kept.append(error)

    def __len__(self) -> int:
        return self.count

    def fail(self) -> ImportFailed:
        return ImportFailed(self.kept, total=self.count)


def _check(db: Database, source: IO[bytes], spool: IO[bytes]) -> int:
    """The first pass, without the write lock: every row parsed and checked, the good ones spooled.

    Raises ImportFailed listing the problems; returns how many rows there are to write."""
    errors = _Problems()
    reader = csv.DictReader(_lines(source))
    try:
        fieldnames = reader.fieldnames
    except _NotUtf8 as bad:
        raise ImportFailed([bad.error]) from None
    except csv.Error as error:
        raise ImportFailed([RowError(1, "file", f"is not valid CSV: {error}")]) from None
    header = [h.strip().lower() for h in (fieldnames or [])]
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
    catalogue = Catalogue(db)
    seen: dict[str, int] = {}
    chunk: list[_Row] = []
    total = 0

    def flush() -> None:
        nonlocal total
        # Codes already in the catalogue, read as they are now (no lock): a row may not join two products.
        _owners(catalogue, chunk, errors)
        if not errors:
            pickle.dump([_pack(row) for row in chunk], spool, protocol=pickle.HIGHEST_PROTOCOL)
        total += len(chunk)
        chunk.clear()

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
            chunk.append(row)
            if len(chunk) >= BATCH_ROWS:
                flush()
    except _NotUtf8 as bad:
        errors.append(bad.error)  # the rest cannot be read: the problems so far, and this one
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "file", f"is not valid CSV: {error}"))
    flush()
    if errors:
        raise errors.fail()
    return total


def _owners(catalogue: Catalogue, rows: list[_Row], errors: _Problems | list[RowError]) -> dict[int, int | None]:
    """The product each row updates (None: a new one), by line; a row whose codes belong to two is a problem."""
    owners = catalogue.product_for_codes(code for row in rows for code, _ in row.codes)
    found: dict[int, int | None] = {}
    for row in rows:
        matched = {owners[code] for code, _ in row.codes if code in owners}
        if len(matched) > 1:
            errors.append(RowError(row.line, "barcodes", "its codes belong to different products "
                                   f"({', '.join(str(m) for m in sorted(matched))}) already"))
            continue
        found[row.line] = matched.pop() if matched else None
    return found


def _pack(row: _Row) -> tuple:
    return row.line, row.details.model_dump(), row.price_pence, row.codes, row.given


def _unpack(packed: tuple) -> _Row:
    line, details, price, codes, given = packed
    # Checked in the first pass: built again without checking twice.
    return _Row(line, ProductDetails.model_construct(**details), price, codes, given)


def _spooled(spool: IO[bytes]) -> Iterator[_Row]:
    spool.seek(0)
    while True:
        try:
            chunk = pickle.load(spool)
        except EOFError:
            return
        yield from (_unpack(packed) for packed in chunk)


@contextlib.contextmanager
def _opened(source: IO[bytes] | bytes | Path) -> Iterator[IO[bytes]]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(source)
    elif isinstance(source, Path):
        try:
            stream = source.open("rb")
        except OSError as error:
            raise TillError(f"cannot read {source}: {error.strerror}") from None
        with stream:
            yield stream
    else:
        yield source


def import_products(
    db: Database, source: IO[bytes] | bytes | Path, *, at: str,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_ROWS,
    on_batch: Callable[[int, float], None] | None = None,
) -> ImportSummary:
    """Import a product CSV: new products are added, known ones (by barcode or code) updated.

    Two passes, so a big file neither fills the memory nor shuts the tills out:

    1. The file is read as a stream and every row checked, without the write lock (tills sell on).
       Any problem and ImportFailed lists them all: nothing is written.
    2. The checked rows (spooled to a temporary file, so what is written is what was checked) are
       written in batches of `batch_size` rows, each its own short transaction, ended early once it
       has held the write lock BATCH_SECONDS; after each, the lock is left free for a moment
       (PAUSE_SHARE of the time it was held) so a till waiting to record a sale gets in. If a batch
       fails (another till changed the same codes meanwhile), only that batch is rolled back and
       ImportStopped says up to which line the file was imported.

    `on_batch(last_line, seconds_locked)` is told of each batch committed (the benchmarks time the lock with it).
    """
    catalogue = Catalogue(db)
    summary = ImportSummary()
    with tempfile.TemporaryFile(prefix="till-import-") as spool:
        with _opened(source) as stream:
            total = _check(db, stream, spool)
        rows = _spooled(spool)
        pending: list[_Row] = []
        done, last_line = 0, 1
        while True:
            pending.extend(itertools.islice(rows, batch_size - len(pending)))
            if not pending:
                return summary
            written, held = _write_batch(catalogue, pending, summary, at, last_line)
            done += written
            last_line = pending[written - 1].line
            del pending[:written]
            if on_batch:
                on_batch(last_line, held)
            if progress:
                progress(done, total)
            time.sleep(max(MIN_PAUSE, held * PAUSE_SHARE))


def _write_batch(catalogue: Catalogue, rows: list[_Row], summary: ImportSummary, at: str,
                 last_line: int) -> tuple[int, float]:
    """Write rows in one transaction until all are written or it has held the lock BATCH_SECONDS.

    Returns (rows written, seconds the write lock was held); the summary counts only what committed."""
    batch = ImportSummary()
    row = rows[0]
    try:
        with transaction(catalogue.db):
            started = time.perf_counter()
            problems: list[RowError] = []
            # Looked up again under the lock: another till may have changed codes since the check.
            owners = _owners(catalogue, rows, problems)
            if problems:
                row = next(r for r in rows if r.line == problems[0].line)
                raise CatalogueError(problems[0].reason)
            written = 0
            for row in rows:
                product_id = owners[row.line]
                if product_id is None:
                    catalogue.add(row.details, price_pence=row.price_pence, at=at,
                                  barcodes=[c for c, k in row.codes if k == "barcode"],
                                  codes=[c for c, k in row.codes if k == "plu"])
                    batch.created += 1
                elif _apply_update(catalogue, catalogue.get(product_id), row, at):
                    batch.updated += 1
                else:
                    batch.unchanged += 1
                written += 1
                if time.perf_counter() - started >= BATCH_SECONDS:
                    break
    except (TillError, CatalogueError) as error:
        raise ImportStopped(summary, last_line, row.line, str(error)) from None
    held = time.perf_counter() - started
    summary.created += batch.created
    summary.updated += batch.updated
    summary.unchanged += batch.unchanged
    return written, held


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
