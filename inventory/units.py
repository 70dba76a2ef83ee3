"""How a product is measured: its unit price for the shelf label (per kg, per litre, per 100 g, as the
Price Marking Order asks), and whether it is sold by weight (its price is then per kg)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, model_validator
from sqlite_utils import Database

from core.bounds import MAX_QUANTITY
from core.money import format_pence
from inventory.products import CatalogueError


class Per(StrEnum):
    kg = "kg"
    litre = "litre"
    hundred_g = "100g"


#: Grams (or millilitres) in each unit a label prices by.
_IN_UNIT = {Per.kg: 1000, Per.litre: 1000, Per.hundred_g: 100}
_WORDS = {Per.kg: "per kg", Per.litre: "per litre", Per.hundred_g: "per 100 g"}


class Measure(BaseModel):
    per: Per = Per.kg
    #: What one item holds, in grams (or millilitres for a litre); None when sold by weight.
    content: int | None = Field(default=None, ge=1, le=MAX_QUANTITY)
    by_weight: bool = False

    @model_validator(mode="after")
    def _one_way(self) -> Measure:
        if self.by_weight and (self.per != Per.kg or self.content is not None):
            raise ValueError("a product sold by weight is priced per kg and has no fixed content")
        if not self.by_weight and self.content is None:
            raise ValueError("say how much one item holds (grams, or millilitres for a price per litre)")
        return self


def unit_price(price_pence: int, measure: Measure) -> int:
    """The price per unit, rounded half up to the penny (whole numbers only)."""
    if measure.by_weight:
        return price_pence
    grams = _IN_UNIT[measure.per]
    return (price_pence * grams * 2 + measure.content) // (2 * measure.content)


def unit_price_text(price_pence: int, measure: Measure | None) -> str:
    """'£1.25 per kg' for the label and the receipt; '' when the product has no measure."""
    if measure is None:
        return ""
    return f"{format_pence(unit_price(price_pence, measure))} {_WORDS[measure.per]}"


def weight_text(grams: int) -> str:
    """A weight as the scale shows it: 0.254 kg."""
    return f"{grams // 1000}.{grams % 1000:03d} kg"


class Units:
    """Products' measures in the database."""

    def __init__(self, db: Database):
        self.db = db

    def get(self, product_id: int) -> Measure | None:
        row = self.db.execute("select per, content, by_weight from product_units where product_id = ?",
                              [product_id]).fetchone()
        return None if row is None else Measure(per=row[0], content=row[1], by_weight=bool(row[2]))

    def all(self) -> dict[int, Measure]:
        return {pid: Measure(per=per, content=content, by_weight=bool(by_weight)) for pid, per, content, by_weight
                in self.db.execute("select product_id, per, content, by_weight from product_units")}

    def set(self, product_id: int, measure: Measure | None, *, at: str) -> None:
        """Set (or, with None, clear) a product's measure; inside the caller's transaction."""
        if self.db.execute("select 1 from products where id = ?", [product_id]).fetchone() is None:
            raise CatalogueError(f"There is no product number {product_id}")
        if measure is None:
            self.db.execute("delete from product_units where product_id = ?", [product_id])
            return
        self.db.execute(
            "insert into product_units (product_id, per, content, by_weight, set_at) values (?, ?, ?, ?, ?) "
            "on conflict (product_id) do update set per = excluded.per, content = excluded.content, "
            "by_weight = excluded.by_weight, set_at = excluded.set_at",
            [product_id, measure.per.value, measure.content, int(measure.by_weight), at])
