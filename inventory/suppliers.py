"""Suppliers, and which one a product comes from at what cost (the price paid, for stock value and wastage)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator
from sqlite_utils import Database

from core.bounds import MAX_PRICE_PENCE
from core.ids import next_id
from core.money import format_pence
from inventory.stock import StockError

#: Days a supplier takes to deliver, when nobody said: a week.
USUAL_LEAD_DAYS = 7


class SupplierDetails(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    contact: str = Field(default="", max_length=200)
    account: str = Field(default="", max_length=40)
    lead_days: int = Field(default=USUAL_LEAD_DAYS, ge=0, le=365)

    @field_validator("name", "contact", "account", mode="before")
    @classmethod
    def _clean(cls, value: object, info) -> object:
        if isinstance(value, str):
            from core.text import clean_name

            # Printed on the reorder slip: one line, no control or invisible characters.
            return clean_name(value, 10_000, what=f"the supplier's {info.field_name}", required=False)
        return value


class Supplier(SupplierDetails):
    id: int
    active: bool = True


class Supply(BaseModel):
    product_id: int
    supplier_id: int | None
    cost_pence: int | None


class Suppliers:
    def __init__(self, db: Database):
        self.db = db

    def add(self, details: SupplierDetails, *, at: str, by: int) -> Supplier:
        if self.find(details.name) is not None:
            raise StockError(f"there is already a supplier called {details.name}")
        with self.db.atomic():
            cursor = self.db.execute(
                "insert into suppliers (id, name, contact, account, lead_days, active, created_at, created_by)"
                " values (?, ?, ?, ?, ?, 1, ?, ?)",
                [next_id(self.db, "suppliers"), details.name, details.contact, details.account, details.lead_days,
                 at, by])
        return self.get(cursor.lastrowid)

    def all(self) -> list[Supplier]:
        return [self._one(r) for r in self.db.query("select * from suppliers where active = 1 order by name")]

    def get(self, supplier_id: int) -> Supplier:
        row = next(self.db.query("select * from suppliers where id = ?", [supplier_id]), None)
        if row is None:
            raise StockError(f"there is no supplier number {supplier_id}")
        return self._one(row)

    def find(self, name: str) -> Supplier | None:
        row = next(self.db.query("select * from suppliers where lower(name) = lower(?) and active = 1",
                                 [name.strip()]), None)
        return None if row is None else self._one(row)

    def named(self, name: str) -> Supplier:
        """The supplier called `name` (any case), or a sentence naming those there are."""
        found = self.find(name)
        if found is None:
            known = ", ".join(s.name for s in self.all()) or "none yet"
            raise StockError(f"there is no supplier called {name.strip()} (suppliers: {known})")
        return found

    def supply(self, product_id: int) -> Supply:
        row = self.db.execute("select supplier_id, cost_pence from product_supply where product_id = ?",
                              [product_id]).fetchone()
        return Supply(product_id=product_id, supplier_id=row[0] if row else None, cost_pence=row[1] if row else None)

    def set_supply(self, product_id: int, *, at: str, by: int, supplier_id: int | None = None,
                   cost_pence: int | None = None) -> None:
        """Set what is given (a None keeps what there was): the supplier, and the cost from them."""
        if cost_pence is not None:
            check_cost(cost_pence)
        if supplier_id is not None:
            self.get(supplier_id)
        self.db.execute(
            "insert into product_supply (product_id, supplier_id, cost_pence, set_at, set_by) values (?, ?, ?, ?, ?)"
            " on conflict (product_id) do update set supplier_id = coalesce(excluded.supplier_id, supplier_id),"
            " cost_pence = coalesce(excluded.cost_pence, cost_pence), set_at = excluded.set_at,"
            " set_by = excluded.set_by", [product_id, supplier_id, cost_pence, at, by])

    def _one(self, row: dict) -> Supplier:
        return Supplier(id=row["id"], name=row["name"], contact=row["contact"] or "", account=row["account"] or "",
                        lead_days=row["lead_days"], active=bool(row["active"]))


def check_cost(cost_pence: int) -> int:
    if isinstance(cost_pence, bool) or not isinstance(cost_pence, int) or cost_pence < 0:
        raise StockError("a cost price is whole pence, not below zero")
    if cost_pence > MAX_PRICE_PENCE:
        raise StockError(f"{format_pence(cost_pence)} is more than a cost price may be")
    return cost_pence


def import_suppliers(db: Database, text: str, *, at: str, by: int) -> int:
    """Suppliers from CSV (name, contact, account, lead_days); all or nothing, every problem listed by line.
    A name the till already has is refused rather than changed: a supplier's details are edited one by one."""
    import csv
    import io

    from pydantic import ValidationError

    from inventory.product_csv import ImportFailed, RowError

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if "name" not in (reader.fieldnames or []):
        raise ImportFailed([RowError(1, "name", "the header has no such column")])
    suppliers, errors, found, seen = Suppliers(db), [], [], set()
    for raw in reader:
        values = {k: (raw.get(k) or "").strip() for k in ("name", "contact", "account", "lead_days")}
        values["lead_days"] = values["lead_days"] or USUAL_LEAD_DAYS
        try:
            details = SupplierDetails(**values)
        except ValidationError as error:
            problem = error.errors()[0]
            errors.append(RowError(reader.line_num, str(problem["loc"][0]), problem["msg"].lower()))
            continue
        if suppliers.find(details.name) is not None or details.name.lower() in seen:
            errors.append(RowError(reader.line_num, "name", f"there is already a supplier called {details.name}"))
        seen.add(details.name.lower())
        found.append(details)
    if errors or not found:
        raise ImportFailed(errors or [RowError(2, "name", "the file has no rows")])
    with db.atomic():
        for details in found:
            suppliers.add(details, at=at, by=by)
    return len(found)
