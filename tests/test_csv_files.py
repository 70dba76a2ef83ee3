"""Every CSV the till writes is safe to open in a spreadsheet, and every --out file appears whole or not at all.

The attack: a volunteer types `=HYPERLINK(...)` (or +, -, @, a tab, a carriage return) as a product's name,
their own name, a discount's reason or a member's address; the treasurer opens an export and the
spreadsheet runs it. Here that text is put in the books as it would be stored, and every CSV-writing
command is run over them."""

from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing

import pytest

from core.csv_files import FORMULA_STARTS, atomic_text, safe_cell, unsafe_cell
from pos.cli import main

UNTIL = "2026-11-19"
HOSTILE = ['=HYPERLINK("http://x.example","Click")', "+1", "-2+3", "@SUM(A1:A9)", "\tTab", "\rReturn"]
PIN = "1111\n"  # Sam Ortiz, the demo shop's manager


@pytest.fixture
def hostile_db(demo_shop, tmp_path):
    """The demo shop with formula-like text wherever a person types text that is exported."""
    path = tmp_path / "demo.db"
    with closing(sqlite3.connect(demo_shop)) as shop, closing(sqlite3.connect(path)) as copy:
        shop.backup(copy)
        n = len(HOSTILE)
        pick = "case ({key}) % {n} " + " ".join(f"when {i} then ?" for i in range(n)) + " end"
        for table, column, key in (("products", "name", "id"), ("products", "category", "id + 1"),
                                   ("sale_lines", "product_name", "id"), ("sale_lines", "discount_reason", "id"),
                                   ("members", "name", "id"), ("members", "address", "id + 2")):
            copy.execute(f"update {table} set {column} = {pick.format(key=key, n=n)}", HOSTILE)
        # The volunteers who rang the sales (not the manager who signs the exports).
        copy.executemany("update volunteers set name = ? where id = ?", [(HOSTILE[0], 3), (HOSTILE[2], 4),
                                                                          (HOSTILE[3], 5)])
        copy.commit()
    return path


def _run(capsys, monkeypatch, *argv) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN))
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


#: Every command that writes CSV, and whether it can write to a file (--out) as well as the screen.
EXPORTS = [
    (["sales", "export", "--from", "2026-11-17", "--to", UNTIL], True),
    (["members", "export", "--by", "Sam Ortiz"], True),
    (["members", "export", "--duplicate", "--by", "Sam Ortiz"], True),
    (["members", "voters", "--date", UNTIL, "--by", "Sam Ortiz"], False),
    (["dividend", "preview", "--from", "2026-11-17", "--to", UNTIL, "--sum", "150", "--format", "csv",
      "--by", "Sam Ortiz"], False),
    (["products", "export"], True),
    (["volunteers", "hours", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv", "--by", "Sam Ortiz"],
     False),
]


@pytest.mark.parametrize(("argv", "to_file"), EXPORTS, ids=lambda v: " ".join(v[:3]) if isinstance(v, list) else "")
def test_no_exported_cell_is_a_formula(capsys, monkeypatch, hostile_db, tmp_path, argv, to_file):
    for out in (None, tmp_path / "export.csv") if to_file else (None,):
        text = _run(capsys, monkeypatch, "--db", str(hostile_db), *argv, *(["--out", str(out)] if out else []))
        if out is not None:
            text = out.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        cells = [cell for row in rows[1:] for cell in row]
        assert cells, "nothing was exported"
        dangerous = [cell for cell in cells if cell[:1] in FORMULA_STARTS and not _is_number(cell)]
        assert dangerous == []
        # Not vacuous: the hostile text is there, as text a spreadsheet shows as it is.
        assert any(cell.startswith("'") and cell[1:] in HOSTILE for cell in cells)


def test_negative_numbers_stay_numbers(capsys, monkeypatch, hostile_db):
    with closing(sqlite3.connect(hostile_db)) as conn:  # a refund: its figures are negative
        sale = conn.execute("select max(sale_id) from sale_lines where line_total_pence > 0").fetchone()[0]
        conn.execute("update sales set kind = 'refund', total_pence = -total_pence where id = ?", [sale])
        conn.execute("update sale_lines set quantity = -quantity, line_total_pence = -line_total_pence"
                     " where sale_id = ?", [sale])
        conn.commit()
    text = _run(capsys, monkeypatch, "--db", str(hostile_db), "sales", "export", "--from", "2026-11-17",
                "--to", UNTIL)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    totals = [row["line_total_pence"] for row in rows if row["kind"] == "refund"]
    assert any(total.startswith("-") for total in totals) and all(int(total) <= 0 for total in totals)
    assert safe_cell(-120) == -120 and safe_cell("-120") == "'-120"


def test_hostile_product_names_round_trip_through_export_and_import(capsys, monkeypatch, hostile_db, tmp_path):
    before = _run(capsys, monkeypatch, "--db", str(hostile_db), "products", "export")
    (tmp_path / "products.csv").write_text(before, encoding="utf-8")
    _run(capsys, monkeypatch, "--db", str(hostile_db), "products", "import", str(tmp_path / "products.csv"),
         "--by", "Sam Ortiz")
    with closing(sqlite3.connect(hostile_db)) as conn:
        names = {row[0] for row in conn.execute("select name from products")}
    assert set(HOSTILE) <= names and not any(name.startswith("'") for name in names)
    assert _run(capsys, monkeypatch, "--db", str(hostile_db), "products", "export") == before


def test_the_centre_export_neutralises_through_the_same_rule():
    from centre import export

    assert export.Writer is __import__("core.csv_files").csv_files.Writer
    assert all(unsafe_cell(safe_cell(text)) == text for text in [*HOSTILE, "Tea", "", "'quoted"])


# Leftovers: a file written by --out is whole, or not there at all ---------------------------------------------


def test_an_export_that_fails_half_way_leaves_no_file(capsys, monkeypatch, hostile_db, tmp_path):
    with closing(sqlite3.connect(hostile_db)) as conn:  # damaged: a sale's operator is no longer a number
        conn.execute("drop table volunteers")
        conn.execute("create table volunteers (id integer primary key)")
        conn.commit()
    out = tmp_path / "sales.csv"
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN))
    code = main(["--db", str(hostile_db), "sales", "export", "--from", "2026-11-17", "--to", UNTIL, "--out", str(out)])
    capsys.readouterr()
    assert code != 0
    assert list(tmp_path.glob("*sales.csv*")) == []


def test_atomic_text_keeps_an_older_file_when_writing_fails(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_text(path) as out:
        out.write("half")
        raise RuntimeError("the disk is full")
    assert path.read_text() == "old\n" and sorted(tmp_path.iterdir()) == [path]
    with atomic_text(path) as out:
        out.write("new\n")
    assert path.read_text() == "new\n" and sorted(tmp_path.iterdir()) == [path]
