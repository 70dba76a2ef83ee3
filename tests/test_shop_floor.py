"""The shop floor's core: suppliers and costs, deliveries and their reversal, wastage at its value,
stocktakes (interrupted, carried on, with sales in between), the reorder list, stock value, use-first."""

from datetime import date

import pytest

from core import journal
from core.database import transaction
from inventory.deliveries import Deliveries, Line
from inventory.price_list import import_price_list
from inventory.product_csv import ImportFailed
from inventory.shelf import reorder_list, stock_value, use_first
from inventory.stock import Stock, StockError
from inventory.stocktakes import Stocktakes, waste
from inventory.suppliers import SupplierDetails, Suppliers, import_suppliers
from pos.basket import Basket
from pos.tenders import Tender, TenderKind

AT = "2026-11-20T10:00:00.000000Z"
LATER = "2026-11-20T11:00:00.000000Z"


@pytest.fixture
def supplier(db, staff):
    with transaction(db):
        return Suppliers(db).add(SupplierDetails(name="Hillside Wholesale", contact="01234 567890",
                                                 account="HW-77", lead_days=3), at=AT, by=staff["manager"].id)


def _sale(till, by):
    basket = Basket()
    till.scan(basket, "5000000000029")
    till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=95)], operator_id=by)


def _deliver(db, by, supplier_id, *lines, at=AT):
    with transaction(db):
        return Deliveries(db).receive(list(lines), supplier_id=supplier_id, at=at, by=by)


def test_a_delivery_is_one_record_with_who_and_costs(db, staff, products, supplier):
    val = staff["volunteer"].id
    beans, milk = products["beans"].id, products["milk"].id
    number = _deliver(db, val, supplier.id, Line(product_id=beans, quantity=24, cost_pence=40),
                      Line(product_id=milk, quantity=12, best_before=date(2026, 11, 25)))
    delivery = Deliveries(db).get(number)
    assert [(ln.product_id, ln.quantity) for ln in delivery.lines] == [(beans, 24), (milk, 12)]
    assert delivery.operator_id == val and delivery.supplier_id == supplier.id
    assert Stock(db).on_hand(beans) == 24
    assert {m["operator_id"] for m in Stock(db).movements(beans)} == {val}
    assert Stock(db).movements(beans)[0]["reference"] == f"delivery {number}"
    supply = Suppliers(db).supply(beans)
    assert (supply.supplier_id, supply.cost_pence) == (supplier.id, 40)
    assert journal.verify(db) == []


def test_a_delivery_with_a_bad_line_records_nothing(db, staff, products, supplier):
    with pytest.raises(StockError, match="made to order"), transaction(db):
        Deliveries(db).receive([Line(product_id=products["beans"].id, quantity=5),
                                Line(product_id=products["tea"].id, quantity=5)],
                               supplier_id=supplier.id, at=AT, by=staff["volunteer"].id)
    assert Stock(db).on_hand(products["beans"].id) == 0
    assert Deliveries(db).recent() == []


def test_a_delivery_is_corrected_by_a_reversing_one_once(db, staff, products, supplier):
    beans = products["beans"].id
    number = _deliver(db, staff["volunteer"].id, supplier.id, Line(product_id=beans, quantity=24))
    with transaction(db):
        reversal = Deliveries(db).reverse(number, reason="wrong shop's delivery", at=LATER, by=staff["manager"].id)
    assert Stock(db).on_hand(beans) == 0
    assert Deliveries(db).get(number).reversed_by == reversal
    assert Deliveries(db).get(reversal).lines[0].quantity == -24
    with pytest.raises(StockError, match="already reversed"), transaction(db):
        Deliveries(db).reverse(number, reason="again", at=LATER, by=staff["manager"].id)
    with pytest.raises(StockError, match="itself a reversal"), transaction(db):
        Deliveries(db).reverse(reversal, reason="undo", at=LATER, by=staff["manager"].id)
    assert journal.verify(db) == []


def test_wastage_keeps_its_value_lost_at_cost(db, staff, products, supplier):
    beans = products["beans"].id
    _deliver(db, staff["volunteer"].id, supplier.id, Line(product_id=beans, quantity=10, cost_pence=40))
    with transaction(db):
        lost = waste(db, beans, 3, reason="dented", at=LATER, by=staff["volunteer"].id)
    assert lost == 120
    movement = Stock(db).movements(beans)[-1]
    assert movement["operator_id"] == staff["volunteer"].id and movement["reason"] == "dented"
    assert db.execute("select value_pence from stock_values where movement_id = ?", [movement["id"]]).fetchone() == (-120,)


def test_a_stocktake_interrupted_is_carried_on_and_values_the_variance(db, db_path, staff, products, supplier):
    from pos.database import open_database

    lead = staff["manager"].id
    beans, milk = products["beans"].id, products["milk"].id
    _deliver(db, lead, supplier.id, Line(product_id=beans, quantity=10, cost_pence=40),
             Line(product_id=milk, quantity=6, cost_pence=90))
    with transaction(db):
        take = Stocktakes(db).start(category=None, at=AT, by=lead)
        Stocktakes(db).count(take.id, beans, 8, at=AT, by=lead)
    db.close()  # the till is closed mid-count
    again = open_database(db_path)
    takes = Stocktakes(again)
    assert takes.open().id == take.id
    with pytest.raises(StockError, match="still open"):
        takes.start(category="Dairy", at=LATER, by=lead)
    with transaction(again):
        takes.count(take.id, milk, 7, at=LATER, by=lead)
        done = takes.finish(take.id, at=LATER, by=lead)
    assert (done.counted, done.variance_units, done.variance_pence) == (2, -1, -2 * 40 + 90)
    assert done.uncounted == 1  # crisps: in the shop, not counted, left as they were
    assert Stock(again).on_hand(beans) == 8 and Stock(again).on_hand(milk) == 7
    assert takes.open() is None
    with pytest.raises(StockError, match="was finished"):
        takes.count(take.id, beans, 1, at=LATER, by=lead)
    assert journal.verify(again) == []
    again.close()


def test_a_sale_during_a_stocktake_still_comes_off(till, db, staff, products):
    """Counted 8 on the shelf, then one sold before the finish: 7 are left, not 8."""
    lead = staff["manager"].id
    beans = products["beans"].id
    with transaction(db):
        Stock(db).goods_in(beans, 10, at=AT, by=lead)
        take = Stocktakes(db).start(category="Cupboard", at=AT, by=lead)
        Stocktakes(db).count(take.id, beans, 8, at=AT, by=lead)
    _sale(till, lead)
    with transaction(db):
        Stocktakes(db).finish(take.id, at=LATER, by=lead)
    assert Stock(db).on_hand(beans) == 7
    assert Stock(db).movements(beans)[-1]["kind"] == "stocktake"


def test_a_category_stocktake_refuses_other_shelves(db, staff, products):
    lead = staff["manager"].id
    with transaction(db):
        take = Stocktakes(db).start(category="Dairy", at=AT, by=lead)
    assert [line.name for line in Stocktakes(db).lines(take.id)] == ["Milk 2 pints"]
    with pytest.raises(StockError, match="not in this stocktake's Dairy"):
        Stocktakes(db).count(take.id, products["beans"].id, 1, at=AT, by=lead)
    with pytest.raises(StockError, match="nothing has been counted"):
        Stocktakes(db).finish(take.id, at=AT, by=lead)


def _sell(db, product_id, quantity, at):
    db.execute("insert into stock_movements (product_id, kind, quantity, created_at) values (?, 'sale', ?, ?)",
               [product_id, -quantity, at])


def test_the_reorder_list_uses_the_sales_rate_and_lead_days(db, staff, products, supplier):
    beans, milk = products["beans"].id, products["milk"].id
    lead = staff["manager"].id
    with transaction(db):
        Suppliers(db).set_supply(beans, supplier_id=supplier.id, cost_pence=40, at=AT, by=lead)
        Suppliers(db).set_supply(milk, supplier_id=supplier.id, at=AT, by=lead)
        Stock(db).goods_in(beans, 20, at="2026-10-01T09:00:00Z", by=lead)
        Stock(db).goods_in(milk, 50, at="2026-10-01T09:00:00Z", by=lead)
        _sell(db, beans, 28, "2026-11-01T09:00:00Z")  # 28 in four weeks: one a day
        _sell(db, beans, 100, "2026-09-01T09:00:00Z")  # before the four weeks: not in the rate
        _sell(db, milk, 2, "2026-11-10T09:00:00Z")
    lines = reorder_list(db, today=date(2026, 11, 20))
    assert [line.name for line in lines] == ["Baked beans"]
    line = lines[0]
    # on hand 20 − 128 = −108; three days' sales before it comes; level 0; back to 0 plus 14 days after
    assert (line.on_hand, line.sold, line.lead_days) == (-108, 28, 3)
    assert line.order == 0 + 3 + 14 + 108
    assert reorder_list(db, today=date(2026, 11, 20), supplier_id=supplier.id + 1) == []


def test_stock_value_at_cost_and_use_first(db, staff, products, supplier):
    lead = staff["manager"].id
    milk, beans, crisps = products["milk"].id, products["beans"].id, products["crisps"].id
    _deliver(db, lead, supplier.id, Line(product_id=milk, quantity=6, cost_pence=90, best_before=date(2026, 11, 19)),
             at="2026-11-15T09:00:00Z")
    _deliver(db, lead, supplier.id, Line(product_id=milk, quantity=4, best_before=date(2026, 11, 28)),
             Line(product_id=beans, quantity=5, cost_pence=40), Line(product_id=crisps, quantity=3), at=AT)
    with transaction(db):
        waste(db, milk, 8, reason="sold out of the fridge? no: gone off", at=LATER, by=lead)
    value = stock_value(db)
    assert (value.value_pence, value.valued, value.without_cost) == (2 * 90 + 5 * 40, 2, 1)
    assert use_first(db, today=date(2026, 11, 20)) == []  # the 2 left are from the newer delivery
    with transaction(db):
        Stock(db).goods_in(milk, 5, at=LATER, by=lead)  # not from a delivery: no date known
    listed = use_first(db, today=date(2026, 11, 26))
    assert [(u.name, u.quantity, u.past) for u in listed] == [("Milk 2 pints", 2, False)]


def test_a_price_list_updates_costs_and_prices_all_or_nothing(db, staff, products, supplier):
    lead = staff["manager"].id
    bad = "code,cost,price\n5000000000029,0.40,1.00\n999,0.10,\n96385074,ten,\n"
    with pytest.raises(ImportFailed) as failed, transaction(db):
        import_price_list(db, bad, supplier_id=supplier.id, at=AT, by=lead)
    assert "line 3, code" in str(failed.value) and "line 4, cost" in str(failed.value)
    assert Suppliers(db).supply(products["beans"].id).cost_pence is None
    good = "code,cost,price\n5000000000029,0.40,1.00\n96385074,0.30,\n"
    with transaction(db):
        summary = import_price_list(db, good, supplier_id=supplier.id, at=AT, by=lead)
    assert (summary.costs, summary.prices) == (2, 1)
    from inventory.products import Catalogue

    assert Catalogue(db).get(products["beans"].id).price_pence == 100
    assert Suppliers(db).supply(products["crisps"].id).cost_pence == 30


def test_suppliers_import_all_or_nothing(db, staff, supplier):
    with pytest.raises(ImportFailed, match="line 3, name"), transaction(db):
        import_suppliers(db, "name,lead_days\nDairy Co,2\nhillside wholesale,4\n", at=AT, by=staff["manager"].id)
    assert [s.name for s in Suppliers(db).all()] == ["Hillside Wholesale"]
    with transaction(db):
        assert import_suppliers(db, "name,contact,lead_days\nDairy Co,Sam,2\n", at=AT, by=staff["manager"].id) == 1
    assert Suppliers(db).named("dairy co").lead_days == 2


def test_a_sale_s_stock_movements_name_who_served(till, db, staff, products):
    _sale(till, staff["volunteer"].id)
    assert Stock(db).movements(products["beans"].id)[-1]["operator_id"] == staff["volunteer"].id
