import pytest

from inventory.stock import Stock, StockError

AT = "2026-11-20T10:00:00.000000Z"


def test_on_hand_is_the_sum_of_movements(db, products):
    stock = Stock(db)
    beans = products["beans"].id
    stock.goods_in(beans, 24, at=AT)
    stock.wastage(beans, 2, reason="dented", at=AT)
    stock.correction(beans, -1, reason="miscounted delivery", at=AT)
    assert stock.on_hand(beans) == 21
    assert [m["kind"] for m in stock.movements(beans)] == ["goods_in", "wastage", "correction"]


def test_stocktake_records_the_difference(db, products):
    stock = Stock(db)
    beans = products["beans"].id
    stock.goods_in(beans, 10, at=AT)
    assert stock.stocktake(beans, 7, at=AT) == -3
    assert stock.on_hand(beans) == 7
    assert stock.movements(beans)[-1]["counted"] == 7


def test_made_to_order_items_have_no_stock(db, products):
    with pytest.raises(StockError, match="made to order"):
        Stock(db).goods_in(products["tea"].id, 5, at=AT)


@pytest.mark.parametrize("quantity", [0, -3])
def test_goods_in_must_be_positive(db, products, quantity):
    with pytest.raises(StockError):
        Stock(db).goods_in(products["beans"].id, quantity, at=AT)
    assert Stock(db).on_hand(products["beans"].id) == 0


def test_wastage_needs_a_reason(db, products):
    with pytest.raises(StockError, match="say why"):
        Stock(db).wastage(products["beans"].id, 1, reason=" ", at=AT)


def test_levels_flag_reorder(db, products):
    from inventory.products import Catalogue, ProductDetails

    catalogue = Catalogue(db)
    details = ProductDetails(**{**products["beans"].model_dump(include=set(ProductDetails.model_fields)),
                                "reorder_level": 5})
    catalogue.update(products["beans"].id, details)
    Stock(db).goods_in(products["beans"].id, 4, at=AT)
    level = {lvl.name: lvl for lvl in Stock(db).levels()}["Baked beans"]
    assert level.on_hand == 4 and level.needs_reorder
    assert "Tea" not in {lvl.name for lvl in Stock(db).levels()}
