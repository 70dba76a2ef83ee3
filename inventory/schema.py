"""The inventory package's tables, created and upgraded by sqlite-utils migrations."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("inventory")


@migrations()
def m001_create_products(db: Database) -> None:
    db["products"].create(
        {
            "id": int,
            "name": str,
            "category": str,
            "vat_class": str,
            "served_hot": int,
            "catering": int,
            "healthy_start": int,
            "stock_tracked": int,
            "reorder_level": int,
            "pass_through": int,
            "active": int,
            "created_at": str,
        },
        pk="id",
        not_null=["name", "category", "vat_class", "served_hot", "catering", "healthy_start",
                  "stock_tracked", "pass_through", "active", "created_at"],
        strict=True,
    )
    db["products"].create_index(["name"])
    db["product_codes"].create(
        {"code": str, "product_id": int, "kind": str},
        pk="code",
        not_null=["product_id", "kind"],
        foreign_keys=[("product_id", "products", "id")],
        strict=True,
    )
    db["product_codes"].create_index(["product_id"])
    # A price change is a new row; sales copy the price they were sold at.
    db["prices"].create(
        {"id": int, "product_id": int, "price_pence": int, "created_at": str},
        pk="id",
        not_null=["product_id", "price_pence", "created_at"],
        foreign_keys=[("product_id", "products", "id")],
        strict=True,
    )
    db["prices"].create_index(["product_id", "id"])


@migrations()
def m002_create_stock_movements(db: Database) -> None:
    # Stock on hand is the sum of these rows; it is never stored or edited.
    db["stock_movements"].create(
        {
            "id": int,
            "product_id": int,
            "kind": str,
            "quantity": int,
            "counted": int,
            "reason": str,
            "reference": str,
            "created_at": str,
        },
        pk="id",
        not_null=["product_id", "kind", "quantity", "created_at"],
        foreign_keys=[("product_id", "products", "id")],
        strict=True,
    )
    db["stock_movements"].create_index(["product_id"])
    db["stock_movements"].create_index(["created_at"])


@migrations()
def m003_stock_movements_by(db: Database) -> None:
    # Who recorded goods in, wastage or a count (the volunteer's id, signed with their PIN). Empty on the
    # rows from before, and on sales and refunds, whose sale already names who served.
    db["stock_movements"].add_column("operator_id", int)


@migrations()
def m004_stock_movements_sale(db: Database) -> None:
    # The sale or refund a movement belongs to: its journal record seals the movement with the sale's
    # lines, so a sale costs one entry however many stock-tracked lines it has. Empty on goods in, wastage,
    # counts and corrections, and on the rows from before (each journalled as a stock movement of its own).
    # No foreign key: the sales table belongs to a package migrated after this one.
    db["stock_movements"].add_column("sale_id", int)
    db.execute("create index stock_movements_sale on stock_movements (sale_id) where sale_id is not null")


@migrations()
def m005_prices_by_time(db: Database) -> None:
    # The current price is the newest by the time it was set, not by id: on a hub each till makes ids in its
    # own block, so a price set at the office (block 1) later than one set at till 2 has the smaller id.
    db["prices"].create_index(["product_id", "created_at", "id"], if_not_exists=True)


@migrations()
def m006_product_units(db: Database) -> None:
    # How a product is measured, for its unit price on the shelf label and for selling by weight: a table of
    # its own (a record of its own in the journal) so the products' row, which every till shares through the
    # hub with a fixed list of columns, stays as it was. `per` is the unit the label prices by (kg, litre,
    # 100g); `content` what one item holds of it in grams or millilitres (empty when sold by weight, whose
    # price is then per kg).
    db["product_units"].create(
        {"product_id": int, "per": str, "content": int, "by_weight": int, "set_at": str},
        pk="product_id",
        not_null=["per", "by_weight", "set_at"],
        foreign_keys=[("product_id", "products", "id")],
        strict=True,
    )


@migrations()
def m007_label_prints(db: Database) -> None:
    # When each product's shelf label was last printed, so the till can offer the labels a price change
    # left wrong. Working state, not a record (core/journal.py's NOT_RECORDS).
    db["label_prints"].create(
        {"product_id": int, "printed_at": str},
        pk="product_id",
        not_null=["printed_at"],
        foreign_keys=[("product_id", "products", "id")],
        strict=True,
    )


@migrations()
def m008_shop_floor(db: Database) -> None:
    # Suppliers and what a product costs from one are shared records (made in the node's block of ids);
    # the cost is a table of its own so the product's record, and its journal digest, are unchanged.
    db["suppliers"].create(
        {"id": int, "name": str, "contact": str, "account": str, "lead_days": int, "active": int,
         "created_at": str, "created_by": int},
        pk="id", not_null=["name", "lead_days", "active", "created_at"], strict=True,
    )
    db["product_supply"].create(
        {"product_id": int, "supplier_id": int, "cost_pence": int, "set_at": str, "set_by": int},
        pk="product_id", not_null=["set_at"],
        foreign_keys=[("product_id", "products", "id"), ("supplier_id", "suppliers", "id")], strict=True,
    )
    # A delivery is written once; a mistake is undone by a second delivery that reverses it, line for line.
    db["deliveries"].create(
        {"id": int, "supplier_id": int, "note": str, "at": str, "operator_id": int, "reverses": int},
        pk="id", not_null=["at", "operator_id"], foreign_keys=[("supplier_id", "suppliers", "id")], strict=True,
    )
    db["delivery_lines"].create(
        {"id": int, "delivery_id": int, "product_id": int, "quantity": int, "cost_pence": int,
         "best_before": str, "movement_id": int},
        pk="id", not_null=["delivery_id", "product_id", "quantity"],
        foreign_keys=[("delivery_id", "deliveries", "id"), ("product_id", "products", "id")], strict=True,
    )
    db["delivery_lines"].create_index(["delivery_id"])
    db["delivery_lines"].create_index(["product_id", "best_before"])
    # What a wastage or a stocktake's difference was worth at cost when it was recorded.
    db["stock_values"].create(
        {"movement_id": int, "value_pence": int}, pk="movement_id", not_null=["value_pence"],
        foreign_keys=[("movement_id", "stock_movements", "id")], strict=True,
    )
    db["stocktakes"].create(
        {"id": int, "category": str, "started_at": str, "started_by": int, "finished_at": str,
         "finished_by": int, "variance_pence": int},
        pk="id", not_null=["started_at", "started_by"], strict=True,
    )
    # Each count keeps what the ledger said at the moment it was counted: the difference is taken then,
    # so a sale rung up between the count and the finish is neither lost nor counted twice.
    db["stocktake_counts"].create(
        {"id": int, "stocktake_id": int, "product_id": int, "counted": int, "expected": int,
         "counted_at": str, "counted_by": int},
        pk="id", not_null=["stocktake_id", "product_id", "counted", "expected", "counted_at", "counted_by"],
        foreign_keys=[("stocktake_id", "stocktakes", "id"), ("product_id", "products", "id")], strict=True,
    )
    db["stocktake_counts"].create_index(["stocktake_id", "product_id"], unique=True)
    # Stock on hand is a sum over the whole ledger: covered by an index, it is read without the rows (three
    # years of a shop: a quarter of a second without it). The reorder list reads recent sales by kind.
    db["stock_movements"].create_index(["product_id", "quantity"])
    db["stock_movements"].create_index(["kind", "created_at"])
