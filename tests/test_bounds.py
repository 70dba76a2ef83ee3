"""Numbers the books can sum: every price, quantity and count has a ceiling (core.bounds), refused beyond
it in one sentence, so one absurd row can never make every later sum of the ledger overflow."""

import sqlite3
from contextlib import closing

import pytest

from core.bounds import MAX_PRICE_PENCE, MAX_QUANTITY
from inventory.product_csv import import_products
from inventory.products import CatalogueError, ProductDetails
from inventory.stock import Stock, StockError
from pos.cli import main
from pos.errors import USER_ERRORS
from tests.test_cli import typed

#: The command line's demo shop, built once for this module too.

AT = "2026-11-20T10:00:00.000000Z"
INT64 = 9223372036854775807


def test_the_attack_a_quantity_at_sqlites_limit_is_refused_and_the_ledger_still_sums(db, products):
    stock = Stock(db)
    milk = products["milk"].id
    stock.goods_in(milk, 5, at=AT)
    for record in (lambda: stock.goods_in(milk, INT64, at=AT),
                   lambda: stock.wastage(milk, INT64, reason="x", at=AT),
                   lambda: stock.correction(milk, -INT64, reason="x", at=AT),
                   lambda: stock.stocktake(milk, INT64, at=AT)):
        with pytest.raises(StockError, match="more than the till takes"):
            record()
    stock.goods_in(milk, 1, at=AT)  # the next honest movement still sums
    assert stock.on_hand(milk) == 6 and stock.levels()


def test_the_ceilings_themselves_are_taken(db, products):
    stock = Stock(db)
    stock.goods_in(products["milk"].id, MAX_QUANTITY, at=AT)
    assert stock.stocktake(products["milk"].id, MAX_QUANTITY, at=AT) == 0
    catalogue_product = products["beans"]
    from inventory.products import Catalogue

    Catalogue(db).set_price(catalogue_product.id, MAX_PRICE_PENCE, at=AT)
    with pytest.raises(CatalogueError, match="more than a product's price may be"):
        Catalogue(db).set_price(catalogue_product.id, MAX_PRICE_PENCE + 1, at=AT)
    with pytest.raises(ValueError):
        ProductDetails(name="Beans", reorder_level=MAX_QUANTITY + 1)


def test_a_product_file_with_an_absurd_price_or_reorder_level_is_refused_line_by_line(db):
    header = "name,category,vat_class,price,barcodes,reorder_level\n"
    for row, said in (("Gold bar,Treats,standard,200000.00,5000000000036,\n", "line 2, price: £200,000.00 is more"),
                      (f"Beans,Cupboard,zero,0.95,5000000000029,{INT64}\n", "line 2, reorder_level: ")):
        with pytest.raises(USER_ERRORS) as refused:
            import_products(db, (header + row).encode(), at=AT)
        assert said in str(refused.value)
        assert db.execute("select count(*) from products").fetchone()[0] == 0


def run(capsys, *argv):
    """(exit code, stdout, stderr), whether the command returned or argparse exited."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def movements(path):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select kind, quantity, operator_id from stock_movements order by id desc limit 1").fetchone()


def barcode_of(capsys, db, name):
    _, out, _ = run(capsys, *db, "products", "list")
    return next(line.split()[-1] for line in out.splitlines() if name in line)


@pytest.mark.parametrize("argv", [["in", "CODE", str(INT64)], ["in", "CODE", "100001"],
                                  ["waste", "CODE", "99999999999999999999", "--reason", "x"],
                                  ["count", "CODE", str(INT64)], ["count", "CODE", "-1"]])
def test_the_stock_commands_refuse_absurd_numbers_in_one_sentence(capsys, demo_db, monkeypatch, argv):
    db = ["--db", str(demo_db)]
    argv = [barcode_of(capsys, db, "Baked beans") if word == "CODE" else word for word in argv]
    before = movements(demo_db)
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "stock", *argv, "--by", "Sam Ortiz")
    assert code == 2 and err.count("\n") == 1 and "unexpected" not in err
    assert movements(demo_db) == before
    code, out, _ = run(capsys, *db, "stock", "levels")
    assert code == 0 and "Baked beans" in out


def test_stock_commands_need_a_pin_and_record_who(capsys, demo_db, monkeypatch):
    db = ["--db", str(demo_db)]
    beans = barcode_of(capsys, db, "Baked beans")
    code, _, err = run(capsys, *db, "stock", "in", beans, "6")
    assert code == 2 and "--by" in err
    typed(monkeypatch, "0000")
    code, _, err = run(capsys, *db, "stock", "in", beans, "6", "--by", "Sam Ortiz")
    assert code == 1 and "not right" in err
    typed(monkeypatch, "1111")
    assert run(capsys, *db, "stock", "in", beans, "6", "--by", "Sam Ortiz")[0] == 0
    with closing(sqlite3.connect(demo_db)) as conn:
        sam = conn.execute("select id from volunteers where name = 'Sam Ortiz'").fetchone()[0]
    assert movements(demo_db) == ("goods_in", 6, sam)
