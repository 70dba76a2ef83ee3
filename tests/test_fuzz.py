"""Outside input, fuzzed: whatever arrives, each parser answers with a value or a plain message
(one of USER_ERRORS), never a crash, and a refused import leaves the database as it was.

Parsers fuzzed elsewhere: prices typed at the till (test_money), barcodes (test_barcodes),
product CSV rows (test_product_csv), config text (test_config), printer specs
(test_printers_spec). Here: whole files as raw bytes, the ORUK directory, the till's entry box,
scanned receipt references, rota days and times, and the service directory's JSON shapes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centre.directory import Directory, parse_services
from inventory.product_csv import import_products
from pos.basket import Basket
from pos.cli import main
from pos.errors import USER_ERRORS
from pos.receipts import parse_sale_reference
from tests import test_cli
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


# The command line, given shapes a probe found crashing it: numbers too big for SQLite, dates at the end
# of the calendar, a settings file nested thousands deep, a folder for a file, a damaged database, a full
# disk. Each is refused with a plain sentence (exit 1, or 2 for a mistyped argument), never "something
# unexpected went wrong" or a traceback.

HUGE = "99999999999999999999"  # 20 digits: past SQLite's 64-bit integers
INT64 = "9223372036854775807"  # SQLite's largest: storable, but no sum over it is



def cli(capsys, monkeypatch, *argv, pins=("1111",)):
    """(exit code, stderr) of `till ARGV`, with the demo manager's PIN typed at each prompt."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{pin}\n" for pin in pins)))
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    return code, capsys.readouterr().err


def refused_plainly(code, err, *words):
    assert code in (1, 2), err
    assert err.startswith("till: ") and err.count("\n") == 1, err
    assert "unexpected" not in err and "Traceback" not in err and "Error" not in err, err
    assert all(word in err for word in words), err


BY = ("--by", "Sam Ortiz")


@pytest.mark.parametrize("argv", [
    ["receipt", HUGE],
    ["shares", "decide", HUGE, "approved", *BY],
    ["shares", "decide", "1", "part_approved", "--shares", HUGE, *BY],
    ["shares", "pay", HUGE, *BY],
    ["dividend", "pay", HUGE, *BY],
    ["verify", "--expect", f"#{HUGE} abcdef123456"],
    ["stock", "in", "K2", INT64, *BY],
    ["stock", "waste", "K2", HUGE, "--reason", "spilt", *BY],
    ["stock", "count", "K2", HUGE, *BY],
    ["demo-data", "--days", HUGE],
    ["footfall", "export", "--from", "9999-12-31", "--to", "9999-12-31"],
    ["footfall", "report", "--from", "2026-11-01", "--to", "31/12/9999", *BY],
    ["volunteers", "hours", "--from", "9999-12-31", "--to", "9999-12-31", *BY],
    ["rota", "--week", "9999-12-31"],
    ["sales", "export", "--from", "0001-01-01", "--to", "2026-11-19"],
])
def test_numbers_and_dates_past_the_books_are_one_sentence(capsys, monkeypatch, demo_db, argv):
    refused_plainly(*cli(capsys, monkeypatch, "--db", str(demo_db), *argv))


def test_a_product_file_with_a_reorder_level_past_sqlite_is_refused_by_line(capsys, monkeypatch, demo_db, tmp_path):
    file = tmp_path / "products.csv"
    file.write_text(f"name,category,vat_class,price,barcodes,reorder_level\nBeans,Cupboard,zero,0.95,5000000000029,{HUGE}\n")
    code, err = cli(capsys, monkeypatch, "--db", str(demo_db), "products", "import", str(file), *BY)
    assert code == 1 and "line 2, reorder_level" in err and "unexpected" not in err


def test_a_service_id_of_5000_digits_is_refused_or_kept_as_text(capsys, monkeypatch, demo_db, tmp_path):
    for n, id_ in enumerate(("9" * 5000, '"' + "9" * 5000 + '"', HUGE)):
        feed = tmp_path / f"feed{n}.json"
        feed.write_text(f'[{{"id": {id_}, "name": "Food bank", "status": "active", "organization": {{"name": "O"}}}}]')
        code, err = cli(capsys, monkeypatch, "--db", str(demo_db), "services", "import", str(feed), *BY)
        assert code in (0, 1) and "unexpected" not in err and "Traceback" not in err, err


def test_a_settings_file_nested_5000_deep_is_one_sentence(capsys, monkeypatch, demo_db, tmp_path):
    for text in ("a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 5000 + "1" + "}" * 5000):
        settings = tmp_path / "settings.toml"
        settings.write_text(text + "\n")
        monkeypatch.setenv("TILL_CONFIG", str(settings))
        refused_plainly(*cli(capsys, monkeypatch, "--db", str(demo_db), "stock", "levels"), "nested too deep")


def test_a_card_saved_to_a_folder_is_one_sentence(capsys, monkeypatch, demo_db, tmp_path):
    refused_plainly(*cli(capsys, monkeypatch, "--db", str(demo_db), "members", "card", "M0001", "--png",
                         str(tmp_path), *BY), "is a folder")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a disk that is always full")
def test_an_export_to_a_full_disk_is_one_sentence(capsys, monkeypatch, demo_db):
    refused_plainly(*cli(capsys, monkeypatch, "--db", str(demo_db), "members", "export", "--out", "/dev/full", *BY),
                    "No space left")


def test_a_damaged_database_is_said_in_the_tills_words(capsys, monkeypatch, demo_db):
    with demo_db.open("r+b") as file:  # pages in the middle of the file overwritten, as a failing disk would
        file.seek(4096 * 5)
        file.write(b"\xff" * 4096 * 3)
    for argv in (["verify"], ["sales", "export", "--from", "2026-11-01", "--to", "2026-11-19"],
                 ["report", "z", "--date", test_cli.UNTIL]):
        code, err = cli(capsys, monkeypatch, "--db", str(demo_db), *argv)
        assert "malformed" not in err and "unexpected" not in err, err


@given(st.integers(min_value=-(10 ** 30), max_value=10 ** 30))
def test_any_whole_number_on_the_command_line_is_taken_within_bounds_or_refused(number):
    import argparse

    from core.bounds import MAX_NUMBER, MAX_QUANTITY
    from pos.cli.options import count, positive, quantity, whole

    for read, low, high in ((whole, -MAX_NUMBER, MAX_NUMBER), (positive, 1, MAX_NUMBER),
                            (quantity, 1, MAX_QUANTITY), (count, 0, MAX_QUANTITY)):
        try:
            assert low <= read(str(number)) <= high
        except argparse.ArgumentTypeError:
            assert not low <= number <= high
