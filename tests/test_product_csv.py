import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.product_csv import ImportFailed, export_products, import_products
from inventory.products import Catalogue
from pos.database import open_database

AT = "2026-11-20T10:00:00.000000Z"
HEADER = "name,category,price,barcodes,codes,vat_class,served_hot,catering,healthy_start,stock_tracked,reorder_level,pass_through,active\n"


def snapshot(db):
    """Everything an import could touch, to prove a failed one touched nothing."""
    return {t: list(db.query(f"select * from {t} order by 1")) for t in ("products", "product_codes", "prices")}


def test_imports_a_realistic_file(db):
    data = (HEADER +
            "Semi-skimmed milk,Dairy,£1.45,5000000000012,,zero,no,no,yes,yes,6,no,yes\n"
            "Tea,Hot drinks,1.20,,T1,standard,yes,yes,no,no,,no,yes\n"
            '"Beans, baked",Cupboard,0.95,5000000000029 96385074,B2,zero,,,,,,,\n').encode()
    summary = import_products(db, data, at=AT)
    assert (summary.created, summary.updated) == (3, 0)
    catalogue = Catalogue(db)
    milk = catalogue.find("5000000000012")
    assert (milk.price_pence, milk.healthy_start, milk.reorder_level) == (145, True, 6)
    assert catalogue.find("T1").served_hot and not catalogue.find("T1").stock_tracked
    beans = catalogue.find("96385074")
    assert beans.name == "Beans, baked" and beans.codes == ["B2"] and beans.stock_tracked


def test_bom_crlf_and_minimal_columns(db):
    data = "\ufeffname,price,codes\r\nToast,£1.00,F1\r\n\r\nScone,1.5,F2\r\n".encode()
    assert import_products(db, data, at=AT).created == 2
    assert Catalogue(db).find("F2").price_pence == 150


def test_every_bad_row_is_listed_and_nothing_changes(db, products):
    before = snapshot(db)
    data = (HEADER +
            "Good,Dairy,1.00,,G1,zero,,,,,,,\n"
            "Bad price,Dairy,1.005,,G2,zero,,,,,,,\n"
            "Bad check,Dairy,1.00,5000000000013,,zero,,,,,,,\n"
            "Twice,Dairy,1.00,,G1,zero,,,,,,,\n"
            "Bad VAT,Dairy,1.00,,G3,luxury,,,,,,,\n"
            "Bad flag,Dairy,1.00,,G4,zero,maybe,,,,,,\n"
            ",Dairy,1.00,,G5,zero,,,,,,,\n"
            "No code,Dairy,1.00,,,zero,,,,,,,\n").encode()
    with pytest.raises(ImportFailed) as failure:
        import_products(db, data, at=AT)
    found = {(e.line, e.column) for e in failure.value.errors}
    assert found == {(3, "price"), (4, "barcodes"), (5, "codes"), (6, "vat_class"), (7, "served_hot"),
                     (8, "name"), (9, "barcodes")}
    message = str(failure.value)
    assert "Nothing was imported" in message and "line 3, price" in message and "also on line 2" in message
    assert "check digit" in message and "'luxury' is not a VAT class" in message
    assert snapshot(db) == before


def test_unknown_and_missing_columns(db):
    with pytest.raises(ImportFailed, match="'prise'|prise: is not a column"):
        import_products(db, b"name,prise\nTea,1.20\n", at=AT)
    with pytest.raises(ImportFailed, match="price: this column is required"):
        import_products(db, b"name,codes\nTea,T1\n", at=AT)
    with pytest.raises(ImportFailed, match="empty"):
        import_products(db, b"", at=AT)


def test_not_utf8_names_the_line(db):
    with pytest.raises(ImportFailed, match="line 3, file: is not UTF-8"):
        import_products(db, b"name,price,codes\nTea,1.20,T1\nCaf\xe9,1.00,C9\n", at=AT)


def test_reimport_updates_by_code_instead_of_duplicating(db):
    import_products(db, b"name,price,codes,category\nTea,1.20,T1,Hot drinks\n", at=AT)
    summary = import_products(db, b"name,price,codes,category\nTea (mug),1.30,T1 T9,Hot drinks\n", at=AT)
    assert (summary.created, summary.updated) == (0, 1)
    products = Catalogue(db).all()
    assert len(products) == 1
    assert (products[0].name, products[0].price_pence, products[0].codes) == ("Tea (mug)", 130, ["T1", "T9"])
    assert [p for _, p in Catalogue(db).price_history(products[0].id)] == [120, 130]


def test_a_row_that_names_two_existing_products_is_refused(db, products):
    with pytest.raises(ImportFailed, match="belong to different products"):
        import_products(db, b"name,price,barcodes\nMix,1.00,5000000000012 5000000000029\n", at=AT)


def test_export_then_import_changes_nothing(db, products):
    out = io.StringIO()
    assert export_products(db, out) == len(products)
    before = snapshot(db)
    summary = import_products(db, out.getvalue().encode(), at=AT)
    assert summary.unchanged == len(products) and summary.created == summary.updated == 0
    assert snapshot(db) == before


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, cell, cell, cell), min_size=1, max_size=5))
def test_any_file_imports_whole_or_not_at_all(tmp_path_factory, rows):
    import csv

    db = open_database(tmp_path_factory.mktemp("fuzz") / "till.db")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "price", "codes", "vat_class"])
    writer.writerows(rows)
    try:
        summary = import_products(db, out.getvalue().encode(), at=AT)
    except ImportFailed as failure:
        assert failure.errors
        assert db.execute("select count(*) from products").fetchone()[0] == 0
    else:
        assert db.execute("select count(*) from products").fetchone()[0] == summary.created
    db.close()


def test_a_short_reimport_changes_only_the_columns_it_has(db):
    import_products(db, (HEADER + "Milk,Dairy,1.45,5000000000012,,zero,no,no,yes,yes,6,no,yes\n").encode(), at=AT)
    summary = import_products(db, b"name,price,barcodes,category\nMilk,1.55,5000000000012,\n", at=AT)
    assert summary.updated == 1
    milk = Catalogue(db).find("5000000000012")
    assert (milk.price_pence, milk.vat_class, milk.healthy_start, milk.reorder_level, milk.category) == (
        155, "zero", True, 6, "Dairy")
