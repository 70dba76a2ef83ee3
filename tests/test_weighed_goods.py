"""Weighed and price-marked goods at the till: the settings' layouts, a sale and a refund through the real Till,
and what the receipt and the journal keep."""

from __future__ import annotations

import pytest

from core.database import transaction
from core.journal import verify
from inventory.products import ProductDetails, UnknownCode, VatClass
from inventory.units import Measure as Units
from inventory.units import Per
from inventory.variable_measure import Layout, encode, stub
from pos.basket import Basket, BasketError
from pos.config import ConfigError, load_settings
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.conftest import LONDON

PRICE = Layout(prefix="02", measure="price", item_digits=5, value_digits=4, value_check=True)
WEIGHT = Layout(prefix="21", measure="weight", item_digits=5, value_digits=5)


@pytest.fixture
def shop_till(db, clock, staff, products):
    till = Till(db, till_id="till-1", clock=clock, zone=LONDON, barcode_layouts=(PRICE, WEIGHT))
    till.open_session(5000, operator_id=staff["manager"].id)
    at = till.now()
    cheese = till.catalogue.add(ProductDetails(name="Cheddar", category="Deli", vat_class=VatClass.zero),
                                price_pence=1200, at=at, barcodes=[stub(WEIGHT, "00017")])
    quiche = till.catalogue.add(ProductDetails(name="Quiche slice", category="Deli", vat_class=VatClass.zero),
                                price_pence=0, at=at, barcodes=[stub(PRICE, "00042")])
    with transaction(db):
        till.units.set(cheese.id, Units(by_weight=True), at=at)
    return till, cheese, quiche


def test_a_weighed_line_is_sold_at_weight_times_price_per_kg_and_refunded_whole(db, shop_till, staff):
    till, cheese, _ = shop_till
    basket = Basket()
    till.scan(basket, encode(WEIGHT, "00017", 254))  # 254 g at £12.00/kg: 304.8p
    till.scan(basket, "5000000000029")  # beans, an exact catalogue code, alongside
    line = basket.lines[0]
    assert (line.unit_price_pence, line.quantity, line.weight_grams, line.per_kg_pence) == (305, 1, 254, 1200)
    with pytest.raises(BasketError, match="scan each one's label"):
        basket.set_quantity(0, 2)
    sale = till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=500)],
                              operator_id=staff["manager"].id)
    assert sale.total_pence == 305 + 95
    stored = db.execute("select weight_grams, per_kg_pence, line_total_pence from sale_lines where sale_id = ?"
                        " order by line_no", [sale.id]).fetchall()
    assert stored == [(254, 1200, 305), (None, None, 95)]
    assert till.refundable(sale) == {1: 1, 2: 1}

    refund = till.refund(sale.sale_number, operator_id=staff["manager"].id, reason="too much", quantities={1: 1})
    assert refund.total_pence == -305
    assert (refund.lines[0].weight_grams, refund.lines[0].quantity) == (254, -1)
    assert till.refundable(till.get_sale(sale.sale_number)) == {1: 0, 2: 1}
    assert verify(db) == []
    # The weight is sealed with the sale (version 4): changed afterwards, the journal names the sale.
    assert db.execute("select version from journal where kind = 'sale' and ref_id = ?", [sale.id]).fetchone() == (4,)
    db.execute("update sale_lines set weight_grams = 200 where sale_id = ? and line_no = 1", [sale.id])
    db.conn.commit()
    assert [problem.what for problem in verify(db) if f"sale till-1/{sale.sale_number} " in problem.what + " "]


def test_the_receipt_shows_the_weight_and_the_price_per_kg(db, shop_till, staff):
    from pos.config import Settings
    from pos.receipts import build_receipt

    till, _, _ = shop_till
    basket = Basket()
    till.scan(basket, encode(WEIGHT, "00017", 1500))
    sale = till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=1800)],
                              operator_id=staff["manager"].id)
    receipt = build_receipt(sale, Settings(), operator="Morgan")
    (item,) = receipt.items
    assert item.amount == "£18.00" and item.details == ["1.500 kg @ £12.00/kg"]


def test_a_price_marked_label_sells_at_its_price_one_line_each(shop_till):
    till, _, quiche = shop_till
    basket = Basket()
    code = encode(PRICE, "00042", 350)
    assert till.scan(basket, code).id == quiche.id
    till.scan(basket, code)
    assert [(line.unit_price_pence, line.quantity, line.weight_grams) for line in basket.lines] == [
        (350, 1, None), (350, 1, None)]


def test_an_exact_catalogue_code_wins_over_a_layout(db, shop_till):
    till, _, _ = shop_till
    code = encode(PRICE, "00099", 1234)
    own = till.catalogue.add(ProductDetails(name="Gift box", category="Gifts"), price_pence=999, at=till.now(),
                             barcodes=[code])
    basket = Basket()
    assert till.scan(basket, code).id == own.id
    assert basket.lines[0].unit_price_pence == 999


def test_what_a_weighed_label_cannot_sell(db, shop_till):
    till, cheese, _ = shop_till
    basket = Basket()
    with pytest.raises(BasketError, match="sold by weight"):
        till.scan(basket, stub(WEIGHT, "00017"))  # the shelf label's stub (a weight of nought) is not a weighing
    with pytest.raises(BasketError, match="one label at a time"):
        till.scan(basket, encode(WEIGHT, "00017", 200), quantity=3)
    with pytest.raises(UnknownCode):
        till.scan(basket, encode(WEIGHT, "99999", 200))  # no such item
    bad = encode(WEIGHT, "00017", 200)
    with pytest.raises(BasketError, match="wrong check digit"):
        till.scan(basket, bad[:-1] + str((int(bad[-1]) + 1) % 10))
    with pytest.raises(BasketError, match="not sold by weight"):
        till.catalogue.add(ProductDetails(name="Olives", category="Deli"), price_pence=300, at=till.now(),
                           barcodes=[stub(WEIGHT, "00018")])
        till.scan(basket, encode(WEIGHT, "00018", 100))
    assert basket.is_empty


def test_the_settings_file_names_the_layouts_and_a_bad_one_is_said(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("TILL_CONFIG", str(path))
    path.write_text('[barcodes]\nvariable = [{ prefix = "02", measure = "price", item_digits = 5, '
                    'value_digits = 4, value_check = true }, { prefix = "21", measure = "weight", '
                    'item_digits = 5, value_digits = 5 }]\n')
    assert load_settings().barcodes.variable == [PRICE, WEIGHT]
    path.write_text('[barcodes]\nvariable = [{ prefix = "21", measure = "weight", item_digits = 5, '
                    'value_digits = 4 }]\n')
    with pytest.raises(ConfigError, match=r"'barcodes.variable.0' prefix 21: 5 item digits, 4 weight digits make 9"):
        load_settings()
    path.write_text('[barcodes]\nvariable = [{ prefix = "21", measure = "weight", item_digits = 5, '
                    'value_digits = 5 }, { prefix = "21", measure = "price", item_digits = 5, value_digits = 5 }]\n')
    with pytest.raises(ConfigError, match="prefix 21 has two layouts"):
        load_settings()


def test_unit_prices_for_the_label_round_half_up():
    from inventory.units import unit_price, unit_price_text

    assert unit_price_text(125, Units(per=Per.kg, content=400)) == "£3.13 per kg"  # 312.5p
    assert unit_price_text(89, Units(per=Per.hundred_g, content=250)) == "£0.36 per 100 g"  # 35.6p
    assert unit_price_text(150, Units(per=Per.litre, content=2000)) == "£0.75 per litre"
    assert unit_price(1200, Units(by_weight=True)) == 1200
    assert unit_price_text(100, None) == ""
    with pytest.raises(ValueError, match="how much one item holds"):
        Units(per=Per.kg)
