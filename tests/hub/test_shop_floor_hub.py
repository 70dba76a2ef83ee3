"""The shop floor across tills, on a real hub: a product made in the goods-in form and a supplier added at
one till reach the others; a delivery at one till, a sale and a stocktake at another, and after the office's
next count every till and the office hold the same stock; stock two tills apart sold below zero is flagged
at the office and never refused; a product's cost a till tampers with on its way up is not shared."""

from __future__ import annotations

from datetime import date

import psycopg
from psycopg.types.json import Jsonb

from core.database import transaction
from core.node import node_id
from hub import local
from hub.connect import connect
from inventory.deliveries import Line
from inventory.products import Catalogue
from inventory.shelf import reorder_list, stock_value
from inventory.stock import Stock
from inventory.stocktakes import Stocktakes
from inventory.suppliers import SupplierDetails, Suppliers
from pos.basket import Basket
from pos.cli import main
from pos.config import Settings
from pos.shop import Shop
from pos.shop_floor import Floor
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.hub.shared_tills import AT
from tests.hub.shop_floor_tills import at_office, on_hand, round_trip, small_society

OATS = "5000000000043"
TODAY = date(2026, 11, 20)


def _lead(db) -> int:
    return Till(db).volunteers.by_name("Lee Lead").id


def _sell(node, code: str, quantity: int) -> None:
    db = node.db()
    try:
        till = Till(db, till_id=node.name)
        lead = _lead(db)
        if till.current_session() is None:
            till.open_session(5000, operator_id=lead)
        basket = Basket()
        till.scan(basket, code, quantity)
        till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)], operator_id=lead)
    finally:
        db.close()


def _goods_in_at(node) -> tuple[int, int, int]:
    """At `node`, as the goods-in form does it: a supplier, a product its barcode was unknown for, and a
    delivery of 12 of them at £1.10 with 6 tins of the office's beans at 40p. (oats, beans, supplier) ids."""
    db = node.db()
    try:
        floor = Floor(Shop(settings=Settings(db=node.path, till_id=node.name), db=db))
        lead = _lead(db)
        with transaction(db):
            supplier = Suppliers(db).add(SupplierDetails(name="Hillside Wholesale", contact="01234 567890",
                                                         lead_days=3), at=AT, by=lead)
        oats = floor.new_product(name="Porridge oats 1kg", price="1.85", vat_class="zero", category="Cupboard",
                                 barcode=OATS)
        with transaction(db):  # a level to reorder at, so the other tills' reorder lists have it
            Catalogue(db).update(oats.id, oats.model_copy(update={"reorder_level": 20}))
        beans = Catalogue(db).lookup("5000000000029").id
        floor.receive([Line(product_id=oats.id, quantity=12, cost_pence=110),
                       Line(product_id=beans, quantity=6, cost_pence=40)], supplier_id=supplier.id, by=lead)
        return oats.id, beans, supplier.id
    finally:
        db.close()


def _stocktake(node, product_id: int, counted: int) -> int:
    """A stocktake at `node` counting one product; the difference it recorded."""
    db = node.db()
    try:
        lead = _lead(db)
        takes = Stocktakes(db)
        with transaction(db):
            take = takes.start(category=None, at=AT, by=lead).id
        with transaction(db):
            line = takes.count(take, product_id, counted, at=AT, by=lead)
        with transaction(db):
            takes.finish(take, at=AT, by=lead)
        return line.variance
    finally:
        db.close()


def test_a_delivery_a_sale_and_a_count_at_two_tills_reach_every_till_and_the_office(tmp_path, hub_url, capsys):
    nodes = small_society(tmp_path, hub_url, tills=2)
    office_node, till_a, till_b = nodes
    oats, beans, supplier = _goods_in_at(till_a)
    assert round_trip(hub_url, nodes, tmp_path) == []

    db = till_b.db()
    try:
        # The product from the goods-in form, its supplier and its cost are at till B, and so is the stock.
        assert Catalogue(db).lookup(OATS).name == "Porridge oats 1kg"
        assert [s.name for s in Suppliers(db).all()] == ["Hillside Wholesale"]
        # The cost of the office's beans was set at till A: keyed by a product any till may have made.
        assert (Suppliers(db).supply(beans).supplier_id, Suppliers(db).supply(beans).cost_pence) == (supplier, 40)
        assert Stock(db).on_hand(oats) == 12
        assert next(level.on_hand for level in Stock(db).levels() if level.product_id == oats) == 12
        line = next(line for line in reorder_list(db, today=TODAY) if line.product_id == oats)
        assert (line.on_hand, line.supplier, line.cost_pence) == (12, "Hillside Wholesale", 110)
        # The Shop floor screen's reorder list is the same one.
        floor = Floor(Shop(settings=Settings(db=till_b.path, till_id=till_b.name), db=db))
        assert [(ln.product_id, ln.on_hand) for ln in floor.reorder() if ln.product_id == oats] == [(oats, 12)]
        assert stock_value(db).value_pence == 12 * 110 + 6 * 40
        assert db.execute("select count(*) from stock_movements where product_id = ?", [oats]).fetchone()[0] == 0
    finally:
        db.close()

    assert main(["--db", str(till_b.path), "stock", "levels"]) == 0
    assert "    12  Porridge oats 1kg" in capsys.readouterr().out

    _sell(till_b, OATS, 2)
    assert on_hand(till_b, oats) == 10 and on_hand(till_a, oats) == 12  # A hears of it at the next count
    # Counted on B's shelf: the difference is from what B knew, its own sale and A's delivery.
    assert _stocktake(till_b, oats, 9) == -1
    assert on_hand(till_b, oats) == 9
    assert round_trip(hub_url, nodes, tmp_path) == []
    assert [on_hand(node, oats) for node in nodes] == [9, 9, 9]
    assert at_office(tmp_path, oats) == 9
    for node in nodes:
        assert node.verified() == []
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("select what from hub.alerts").fetchall() == []


def test_stock_sold_below_zero_at_two_tills_apart_is_flagged_at_the_office_never_refused(tmp_path, hub_url):
    nodes = small_society(tmp_path, hub_url, tills=2)
    office_node, till_a, till_b = nodes
    oats, _beans, _supplier = _goods_in_at(till_a)
    round_trip(hub_url, nodes, tmp_path)
    # Apart: each till knows of 12 and sells more than half of them.
    _sell(till_a, OATS, 7)
    _sell(till_b, OATS, 8)
    assert (on_hand(till_a, oats), on_hand(till_b, oats)) == (5, 4)
    flags = round_trip(hub_url, nodes, tmp_path)
    assert [(flag.kind, flag.ref_id, flag.amount) for flag in flags] == [("stock", oats, -3)]
    assert flags[0].sentence == ("Porridge oats 1kg stands at -3 in stock across the tills (sold at tills apart, or "
                                 "never booked in); count the shelf (nothing was refused).")
    assert [on_hand(node, oats) for node in nodes] == [-3, -3, -3]
    _sell(till_b, OATS, 1)  # still never refused
    assert on_hand(till_b, oats) == -4
    round_trip(hub_url, nodes, tmp_path)
    # A count of the shelf puts it right everywhere at the next round, and nothing is flagged.
    assert _stocktake(till_a, oats, 2) == 6
    assert round_trip(hub_url, nodes, tmp_path) == []
    assert [on_hand(node, oats) for node in nodes] == [2, 2, 2]
    assert at_office(tmp_path, oats) == 2


def test_a_cost_tampered_with_in_a_tills_push_is_not_shared(tmp_path, hub_url):
    nodes = small_society(tmp_path, hub_url, tills=2)
    office_node, till_a, till_b = nodes
    db = till_a.db()
    beans = Catalogue(db).lookup("5000000000029").id
    with transaction(db):
        Suppliers(db).set_supply(beans, at=AT, by=_lead(db), cost_pence=40)
    rows = local.batch(db, local.mark(db), 10_000)
    me = node_id(db)
    db.close()
    sent = next(row for row in rows if row["kind"] == "supply" and row["ref_id"] == beans)
    # The journal recorded 40p; the till sends the other tills 1p, which would value their stock at nothing.
    sent["data"].update(cost_pence=1)
    with connect(till_a.conninfo) as conn, conn.transaction():
        conn.execute("select hub.push(%s, %s)", [me, Jsonb(rows)])
    for node in (office_node, till_b):
        node.sync()
        db = node.db()
        assert Suppliers(db).supply(beans).cost_pence is None, node.name
        db.close()
    with psycopg.connect(hub_url) as conn:
        alerts = [row[0] for row in conn.execute("select what from hub.alerts")]
    assert (f"till till-2 sent supply {beans} with values that are not the ones its journal recorded: it is "
            "not shared") in alerts


def test_a_products_measure_set_at_one_till_reaches_the_others_and_its_unit_price(tmp_path, hub_url):
    from inventory.units import Measure, Per, Units, unit_price_text

    nodes = small_society(tmp_path, hub_url, tills=2)
    office_node, till_a, till_b = nodes
    db = till_a.db()
    beans = Catalogue(db).lookup("5000000000029").id
    with transaction(db):  # a 415 g tin, priced per kg on the shelf label
        Units(db).set(beans, Measure(per=Per.kg, content=415), at=AT)
    db.close()
    assert round_trip(hub_url, nodes, tmp_path) == []
    for node in (office_node, till_b):
        db = node.db()
        try:
            assert Units(db).get(beans) == Measure(per=Per.kg, content=415), node.name
            price = Catalogue(db).get(beans).price_pence
            assert unit_price_text(price, Units(db).get(beans)).endswith(" per kg")
        finally:
            db.close()
    for node in nodes:
        assert node.verified() == []


def test_the_hub_knows_a_suppliers_and_a_costs_columns_as_the_journal_digests_them():
    from core.records import CHANGING
    from hub.schema_supply import PLAIN

    assert {kind: CHANGING[kind].columns for kind in PLAIN} == PLAIN


def test_wastage_at_two_tills_keeps_both_values_in_the_offices_copy(tmp_path, hub_url):
    """Each till numbers its stock movements itself: the office's copy must not let one till's value of a
    movement overwrite another's that has the same number there."""
    from hub.office import BLOCK
    from inventory.stocktakes import waste
    from pos.consolidated import open_copy

    nodes = small_society(tmp_path, hub_url, tills=2)
    office_node, till_a, till_b = nodes
    lost = {}
    for node, quantity in ((till_a, 2), (till_b, 3)):
        db = node.db()
        try:
            beans = Catalogue(db).lookup("5000000000029").id
            with transaction(db):
                Suppliers(db).set_supply(beans, at=AT, by=_lead(db), cost_pence=40)
            with transaction(db):
                lost[node.name] = waste(db, beans, quantity, reason="dented", at=AT, by=_lead(db))
            own = db.execute("select max(movement_id) from stock_values").fetchone()[0]
        finally:
            db.close()
    assert lost == {till_a.name: 80, till_b.name: 120} and own is not None
    round_trip(hub_url, nodes, tmp_path)
    copy = open_copy(tmp_path / "till-consolidated.db", create=False)
    try:
        values = copy.execute("select v.value_pence, m.quantity from stock_values v"
                              " join stock_movements m on m.id = v.movement_id order by v.value_pence").fetchall()
        assert values == [(-120, -3), (-80, -2)]
        assert all(row[0] > BLOCK for row in copy.execute("select movement_id from stock_values"))
    finally:
        copy.close()
