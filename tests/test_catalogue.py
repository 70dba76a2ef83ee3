import pytest

from inventory.products import Catalogue, CatalogueError, ProductDetails, UnknownCode, VatClass

AT = "2026-11-20T10:00:00.000000Z"


def test_find_by_barcode_short_code_and_upc(db, products):
    catalogue = Catalogue(db)
    assert catalogue.find("5000000000012").name == "Milk 2 pints"
    assert catalogue.find("t1").name == "Tea"
    assert catalogue.find("96385074").name == "Crisps"
    assert catalogue.find("1234") is None
    assert catalogue.find("5000000000013") is None  # bad check digit: simply not found


def test_upc_a_and_its_ean13_form_are_the_same_product(db):
    catalogue = Catalogue(db)
    product = catalogue.add(ProductDetails(name="Imported cereal"), price_pence=300, at=AT,
                            barcodes=["036000291452"])
    assert catalogue.find("0036000291452").id == product.id
    assert catalogue.find("036000291452").id == product.id


def test_lookup_of_unknown_code_says_so(db, products):
    with pytest.raises(UnknownCode, match="Nothing in the catalogue has the code '4006381333931'"):
        Catalogue(db).lookup("4006381333931")


def test_a_code_belongs_to_one_product_only(db, products):
    with pytest.raises(CatalogueError, match="already belongs"):
        Catalogue(db).add_code(products["beans"].id, "5000000000012")


def test_bad_check_digit_refused_when_adding(db, products):
    with pytest.raises(CatalogueError, match="check digit"):
        Catalogue(db).add_code(products["beans"].id, "5000000000013", kind="barcode")


def test_price_change_is_a_new_record(db, products):
    catalogue = Catalogue(db)
    catalogue.set_price(products["milk"].id, 155, at="2026-11-21T10:00:00.000000Z")
    assert catalogue.get(products["milk"].id).price_pence == 155
    assert [p for _, p in catalogue.price_history(products["milk"].id)] == [145, 155]


def test_the_current_price_is_the_newest_by_time_not_by_id(db, products):
    # On a hub each node makes ids in its own block: the office (block 1) sets a price after till 2 did, and
    # its row has the smaller id. It must still be the price from then on, at every node.
    milk = products["milk"].id
    db.execute("insert into prices (id, product_id, price_pence, created_at) values (?, ?, ?, ?)",
               [2_000_000_001, milk, 150, "2026-11-21T10:00:00.000000Z"])
    db.execute("insert into prices (id, product_id, price_pence, created_at) values (?, ?, ?, ?)",
               [1_000_000_001, milk, 160, "2026-11-21T11:00:00.000000Z"])
    catalogue = Catalogue(db)
    assert catalogue.get(milk).price_pence == 160
    assert [p for _, p in catalogue.price_history(milk)] == [145, 150, 160]


def test_negative_or_fractional_prices_are_refused(db, products):
    catalogue = Catalogue(db)
    with pytest.raises(CatalogueError):
        catalogue.set_price(products["milk"].id, -1, at=AT)
    with pytest.raises(CatalogueError):
        catalogue.set_price(products["milk"].id, 1.5, at=AT)  # type: ignore[arg-type]


def test_search_by_name_prefers_prefix_and_skips_retired(db, products):
    catalogue = Catalogue(db)
    catalogue.add(ProductDetails(name="Oat milk"), price_pence=180, at=AT, codes=["OAT"])
    assert [p.name for p in catalogue.search("milk")] == ["Milk 2 pints", "Oat milk"]
    catalogue.retire(products["milk"].id)
    assert [p.name for p in catalogue.search("milk")] == ["Oat milk"]
    assert catalogue.search("100%") == []


def test_product_details_are_validated():
    with pytest.raises(ValueError):
        ProductDetails(name="")
    with pytest.raises(ValueError):
        ProductDetails(name="x", vat_class="luxury")
    assert ProductDetails(name="x", vat_class="reduced").vat_class is VatClass.reduced
