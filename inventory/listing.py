"""The catalogue as the back office reads it: products by category with their current price, VAT class and,
where stock is tracked, how many are on hand; found by a word of the name or by a barcode or short code."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.products import Catalogue, Product
from inventory.stock import Stock

#: A search shows at most this many products: a word such as "a" matches most of the shop.
SEARCH_LIMIT = 200


@dataclass(frozen=True)
class Line:
    product: Product
    #: None where the product's stock is not tracked (a cup of tea, a stamp).
    on_hand: int | None


@dataclass(frozen=True)
class Shelf:
    category: str
    lines: list[Line]


def listing(catalogue: Catalogue, stock: Stock, text: str = "") -> list[Shelf]:
    """The products on sale, by category then name; with `text`, those with that barcode or short code, or
    else with that text in their name."""
    text = text.strip()
    if not text:
        products = catalogue.all(active_only=True)
    else:
        by_code = catalogue.find(text)
        products = [by_code] if by_code else catalogue.search(text, limit=SEARCH_LIMIT)
    on_hand = {level.product_id: level.on_hand for level in stock.levels(only_tracked=True)}
    shelves: dict[str, list[Line]] = {}
    for product in sorted(products, key=lambda p: (p.category.casefold(), p.name.casefold())):
        shelves.setdefault(product.category, []).append(
            Line(product, on_hand.get(product.id) if product.stock_tracked else None))
    return [Shelf(category, lines) for category, lines in shelves.items()]
