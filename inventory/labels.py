"""Shelf-edge labels: what each says (name, price, unit price, barcode), which products need one, and
when each was last printed, so that after a price change the till can offer the labels left wrong."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlite_utils import Database

from core.money import format_pence
from inventory.products import Catalogue
from inventory.units import Units, unit_price_text


class Symbology(StrEnum):
    ean13 = "EAN13"
    ean8 = "EAN8"
    code128 = "Code128"


@dataclass(frozen=True)
class ShelfLabel:
    product_id: int
    name: str
    #: '£1.25', or '£12.00 per kg' for a product sold by weight.
    price: str
    #: '£3.13 per kg'; '' when the product has no measure (or is sold by weight: its price is the unit price).
    unit_price: str
    #: The catalogue code the barcode carries ('' for a product with none), and how it is drawn.
    code: str
    symbology: Symbology


def _barcode(barcodes: list[str], codes: list[str]) -> tuple[str, Symbology]:
    if barcodes:
        code = barcodes[0]
        return code, Symbology.ean8 if len(code) == 8 else Symbology.ean13
    return (codes[0], Symbology.code128) if codes else ("", Symbology.code128)


def shelf_labels(db: Database, *, category: str | None = None, changed_since: str | None = None,
                 due: bool = False) -> list[ShelfLabel]:
    """Labels for the active products (of `category`), in the catalogue's order. `changed_since` (an ISO
    date or time): only those whose price or measure was set since then; `due`: only those whose price or
    measure changed after their label was last printed (or that never had one printed)."""
    units = Units(db).all()
    wanted = None
    if changed_since is not None or due:
        wanted = {pid for (pid,) in db.execute(
            "select p.id from products p left join label_prints l on l.product_id = p.id where max("
            " (select max(created_at) from prices where product_id = p.id),"
            " coalesce((select set_at from product_units where product_id = p.id), '')) "
            " > coalesce(?, '') and (? = 0 or l.printed_at is null or max("
            " (select max(created_at) from prices where product_id = p.id),"
            " coalesce((select set_at from product_units where product_id = p.id), '')) > l.printed_at)",
            [changed_since, int(due)])}
    found = []
    for product in Catalogue(db).all(active_only=True):
        if category is not None and product.category.casefold() != category.casefold():
            continue
        if wanted is not None and product.id not in wanted:
            continue
        measure = units.get(product.id)
        by_weight = measure is not None and measure.by_weight
        price = format_pence(product.price_pence) + (" per kg" if by_weight else "")
        code, symbology = _barcode(product.barcodes, product.codes)
        found.append(ShelfLabel(product.id, product.name, price, "" if by_weight else
                                unit_price_text(product.price_pence, measure), code, symbology))
    return found


def mark_printed(db: Database, product_ids: list[int], *, at: str) -> None:
    """Note that these products' labels were printed at `at` (working state: not journalled)."""
    with db.atomic():
        db.conn.executemany(
            "insert into label_prints (product_id, printed_at) values (?, ?) on conflict (product_id) "
            "do update set printed_at = excluded.printed_at", [(pid, at) for pid in product_ids])
