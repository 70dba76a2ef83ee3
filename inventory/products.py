"""The catalogue: products, their barcodes and short codes, and their price history."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator
from sqlite_utils import Database

from core.bounds import MAX_PRICE_PENCE, MAX_QUANTITY
from core.ids import next_id
from core.money import format_pence
from inventory.barcodes import CodeError, is_barcode_shaped, normalise_barcode, normalise_plu


class VatClass(StrEnum):
    zero = "zero"
    reduced = "reduced"
    standard = "standard"
    exempt = "exempt"


class CatalogueError(ValueError):
    """A catalogue change that cannot be made; the message says why."""


class UnknownCode(LookupError):
    """Nothing in the catalogue has this barcode or short code."""

    def __init__(self, code: str):
        super().__init__(f"Nothing in the catalogue has the code '{code}'")
        self.code = code


class ProductDetails(BaseModel):
    """What describes a product, apart from its identity, codes and price."""

    name: str = Field(min_length=1, max_length=80)
    category: str = Field(default="Other", min_length=1, max_length=40)
    vat_class: VatClass = VatClass.standard
    served_hot: bool = False
    #: Food or drink that becomes standard-rated when eaten on the premises.
    catering: bool = False
    healthy_start: bool = False
    stock_tracked: bool = True
    reorder_level: int | None = Field(default=None, ge=0, le=MAX_QUANTITY)
    #: Money collected for someone else (gas top-up, stamps): outside VAT, margin and takings.
    pass_through: bool = False
    active: bool = True

    @field_validator("name", "category", mode="before")
    @classmethod
    def _strip(cls, value: object, info) -> object:
        if isinstance(value, str) and info.field_name == "name":
            from core.text import clean_name

            # One line, NFC, no control, direction or invisible characters: it is printed on receipts.
            return clean_name(value, 10_000, what="the product name", required=False)
        return value.strip() if isinstance(value, str) else value


class Product(ProductDetails):
    id: int
    price_pence: int
    barcodes: list[str] = []
    codes: list[str] = []


_COLUMNS = list(ProductDetails.model_fields)
_BOOLS = {name for name, f in ProductDetails.model_fields.items() if f.annotation is bool}

# The current price is the newest price row by when it was set (then id, for two in one instant): prices
# are appended, never edited, and on a hub a later price can come from a node whose ids are smaller.
_SELECT = """
select p.*, (select price_pence from prices where product_id = p.id order by created_at desc, id desc limit 1)
       as price_pence
from products p
"""


def normalise_code(text: str) -> tuple[str, str]:
    """(stored code, kind) for a barcode or short code; raises CodeError."""
    text = text.strip()
    if is_barcode_shaped(text) or (text.isascii() and text.isdigit() and len(text) > 6):
        return normalise_barcode(text), "barcode"
    return normalise_plu(text), "plu"


class Catalogue:
    """Products as the till, the importer and the reports see them."""

    def __init__(self, db: Database):
        self.db = db

    # Reading ---------------------------------------------------------------

    def _codes(self, product_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        ids = list(product_ids)
        found: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for code, product_id, kind in self.db.execute(
                f"select code, product_id, kind from product_codes where product_id in ({marks}) "
                "order by rowid",
                chunk,
            ):
                found[product_id].append((code, kind))
        return found

    def _products(self, where: str = "", params: Iterable = (), tail: str = "") -> list[Product]:
        cursor = self.db.execute(f"{_SELECT} {where} {tail}", list(params))
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
        codes = self._codes(r["id"] for r in rows)
        products = []
        for row in rows:
            for key in _BOOLS:
                row[key] = bool(row[key])
            mine = codes[row["id"]]
            row["barcodes"] = [c for c, kind in mine if kind == "barcode"]
            row["codes"] = [c for c, kind in mine if kind == "plu"]
            row["price_pence"] = row["price_pence"] or 0
            products.append(Product.model_validate(row))
        return products

    def get(self, product_id: int) -> Product:
        found = self._products("where p.id = ?", [product_id])
        if not found:
            raise CatalogueError(f"There is no product number {product_id}")
        return found[0]

    def find(self, text: str) -> Product | None:
        """The product with this barcode or short code, or None (bad codes included)."""
        try:
            code, _ = normalise_code(text)
        except CodeError:
            return None
        found = self._products(
            "where p.id = (select product_id from product_codes where code = ?)", [code]
        )
        return found[0] if found else None

    def lookup(self, text: str) -> Product:
        """Like find, but an unknown code raises UnknownCode for the till to say so."""
        product = self.find(text)
        if product is None:
            raise UnknownCode(text.strip())
        return product

    def search(self, text: str, *, limit: int = 20) -> list[Product]:
        """Active products whose name contains the text, best (name starts with it) first."""
        text = text.strip()
        if not text:
            return []
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._products(
            "where p.active = 1 and p.name like ? escape '\\'",
            [f"%{escaped}%", f"{escaped}%", limit],
            "order by (p.name like ? escape '\\') desc, p.name limit ?",
        )

    def all(self, *, active_only: bool = False) -> list[Product]:
        where = "where p.active = 1" if active_only else ""
        return self._products(where, [], "order by p.category, p.name")

    def quick_keys(self) -> dict[str, list[Product]]:
        """Active products with a short code (the café menu), by category, in code order."""
        rows = self._products(
            "where p.active = 1 and exists (select 1 from product_codes c where c.product_id = p.id"
            " and c.kind = 'plu')", [], "order by p.category, p.id",
        )
        keys: dict[str, list[Product]] = {}
        for product in rows:
            keys.setdefault(product.category, []).append(product)
        return keys

    def product_for_codes(self, codes: Iterable[str]) -> dict[str, int]:
        """Which product each already-known (normalised) code belongs to."""
        codes = list(codes)
        found: dict[str, int] = {}
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.db.execute(
                    f"select code, product_id from product_codes where code in ({marks})", chunk
                ).fetchall()
            )
        return found

    # Writing ---------------------------------------------------------------

    def add(
        self,
        details: ProductDetails,
        *,
        price_pence: int,
        at: str,
        barcodes: Iterable[str] = (),
        codes: Iterable[str] = (),
    ) -> Product:
        check_price(price_pence)
        with self.db.atomic():
            row = {k: getattr(details, k) for k in _COLUMNS}
            row = {k: (int(v) if k in _BOOLS else v) for k, v in row.items()}
            row["vat_class"] = details.vat_class.value
            cursor = self.db.execute(
                f"insert into products ({', '.join(row)}, created_at, id) "
                f"values ({', '.join('?' * len(row))}, ?, ?)",
                [*row.values(), at, next_id(self.db, "products")],
            )
            product_id = cursor.lastrowid
            self._insert_price(product_id, price_pence, at)
            for code in barcodes:
                self.add_code(product_id, code, kind="barcode")
            for code in codes:
                self.add_code(product_id, code, kind="plu")
        return self.get(product_id)

    def update(self, product_id: int, details: ProductDetails) -> Product:
        self.get(product_id)
        row = {k: getattr(details, k) for k in _COLUMNS}
        row = {k: (int(v) if k in _BOOLS else v) for k, v in row.items()}
        row["vat_class"] = details.vat_class.value
        with self.db.atomic():
            self.db.execute(
                f"update products set {', '.join(f'{k} = ?' for k in row)} where id = ?",
                [*row.values(), product_id],
            )
        return self.get(product_id)

    def set_price(self, product_id: int, price_pence: int, *, at: str) -> None:
        """A new price from now on; sales already made keep the price they were sold at."""
        check_price(price_pence)
        self.get(product_id)
        with self.db.atomic():
            self._insert_price(product_id, price_pence, at)

    def price_history(self, product_id: int) -> list[tuple[str, int]]:
        return self.db.execute(
            "select created_at, price_pence from prices where product_id = ? order by created_at, id",
            [product_id],
        ).fetchall()

    def add_code(self, product_id: int, text: str, *, kind: str | None = None) -> str:
        """Attach a barcode or short code; a code that names another product is refused."""
        try:
            if kind == "barcode":
                code, kind = normalise_barcode(text), "barcode"
            elif kind == "plu":
                code = normalise_plu(text)
            else:
                code, kind = normalise_code(text)
        except CodeError as error:
            raise CatalogueError(str(error)) from None
        owner = self.product_for_codes([code]).get(code)
        if owner == product_id:
            return code
        if owner is not None:
            raise CatalogueError(f"the code '{code}' already belongs to product {owner}")
        with self.db.atomic():
            self.db.execute(
                "insert into product_codes (code, product_id, kind) values (?, ?, ?)",
                [code, product_id, kind],
            )
        return code

    def retire(self, product_id: int) -> None:
        """Take a product off sale; its history stays."""
        self.get(product_id)
        with self.db.atomic():
            self.db.execute("update products set active = 0 where id = ?", [product_id])

    def _insert_price(self, product_id: int, price_pence: int, at: str) -> None:
        self.db.execute(
            "insert into prices (id, product_id, price_pence, created_at) values (?, ?, ?, ?)",
            [next_id(self.db, "prices"), product_id, price_pence, at],
        )


def check_price(price_pence: int) -> None:
    if isinstance(price_pence, bool) or not isinstance(price_pence, int):
        raise CatalogueError("a price must be whole pence")
    if price_pence < 0:
        raise CatalogueError("a price cannot be negative")
    if price_pence > MAX_PRICE_PENCE:
        # core.bounds: a price above it would let one sale line overflow the sums of the books.
        raise CatalogueError(f"{format_pence(price_pence)} is more than a product's price may be "
                             f"({format_pence(MAX_PRICE_PENCE)})")
