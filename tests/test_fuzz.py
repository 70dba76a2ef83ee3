"""Outside input, fuzzed: whatever arrives, each parser answers with a value or a plain message
(one of USER_ERRORS), never a crash, and a refused import leaves the database as it was.

Parsers fuzzed elsewhere: prices typed at the till (test_money), barcodes (test_barcodes),
product CSV rows (test_product_csv), config text (test_config), printer specs
(test_printers_spec). Here: whole files as raw bytes, the ORUK directory, the till's entry box,
scanned receipt references, rota days and times, and the service directory's JSON shapes.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centre.directory import Directory, parse_services
from inventory.product_csv import import_products
from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.receipts import parse_sale_reference
from volunteers.rota import parse_day, parse_time

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "status", "organization", "organization_id", "contents", "description",
                         "url", "x"]), children, max_size=6),
    max_leaves=20)


def snapshot(db, *tables):
    return {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_as_a_product_file_import_whole_or_not_at_all(db, data):
    before = snapshot(db, "products", "prices", "product_codes")
    try:
        import_products(db, data, at="2026-11-20T10:00:00.000000Z")
    except USER_ERRORS:
        assert snapshot(db, "products", "prices", "product_codes") == before


@FUZZ
@given(st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())))
def test_any_directory_file_imports_whole_or_not_at_all(db, data):
    directory = Directory(db)
    before = [(s.service_id, s.name, s.status, s.retired) for s in directory.all()]
    try:
        records = parse_services([("feed.json", data)])
        directory.import_services(records, directory="fuzz", at="2026-11-20T10:00:00.000000Z")
    except USER_ERRORS:
        assert [(s.service_id, s.name, s.status, s.retired) for s in directory.all()] == before


@FUZZ
@given(st.text(max_size=30))
def test_anything_typed_or_scanned_at_the_till_adds_an_item_or_says_why(till, text):
    basket = Basket()
    try:
        till.scan(basket, text)
    except USER_ERRORS:
        assert basket.is_empty


@given(st.text(max_size=30))
def test_any_scanned_receipt_reference_parses_or_says_why(text):
    try:
        till_id, number = parse_sale_reference(text, "till-1")
    except USER_ERRORS:
        return
    assert till_id and number >= 1


@given(st.text(max_size=12))
def test_any_rota_day_or_time_parses_or_says_why(text):
    for parse in (parse_day, parse_time):
        try:
            parse(text)
        except USER_ERRORS:
            pass
