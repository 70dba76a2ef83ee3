"""`till accounts export` on the command line: Xero files read back against the documented columns, the same
period twice byte for byte, an unfinished session said, share money never takings, and who may run it."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections import defaultdict
from contextlib import closing
from datetime import date

import pytest

from accounts.chart import DEFAULTS, TAX_RATES
from accounts.xero import COLUMNS, MOST_LINES
from core.clock import system_clock
from pos.cli import main
from pos.database import open_database
from pos.demo_trade import simulate
from tests.conftest import DEMO_UNTIL, LONDON, isolate

MANAGER = ("--by", "Sam Ortiz")
WINDOW = ("--from", "2026-10-01", "--to", DEMO_UNTIL)


@pytest.fixture(scope="module")
def shop(demo_shop, tmp_path_factory):
    """The command-line demo shop (with its PINs) traded back to 1 October: enough journals for several Xero
    files. Tests read it, never change it."""
    path = tmp_path_factory.mktemp("accounts-shop") / "shop.db"
    with closing(sqlite3.connect(demo_shop)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, path.parent / "home")
        db = open_database(path)
        simulate(db, days=50, seed=5, until=date.fromisoformat(DEMO_UNTIL), till_id="till-1", zone=LONDON)
        db.close()
    return path


def till(capsys, monkeypatch, *argv, pins=("1111",)):
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{pin}\n" for pin in pins)))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_xero_files_hold_at_most_300_lines_and_never_split_a_journal(capsys, monkeypatch, shop, tmp_path):
    target = tmp_path / "journals.csv"
    code, _, err = till(capsys, monkeypatch, "--db", str(shop), "accounts", "export", *WINDOW, "--format", "xero",
                        "--out", str(target), *MANAGER)
    assert code == 0, err
    files = sorted(tmp_path.glob("journals*.csv"), key=lambda p: (len(p.name), p.name))
    assert [p.name for p in files][:3] == ["journals.csv", "journals-2.csv", "journals-3.csv"]
    assert f"in {len(files)} Xero files: {files[0]}, {files[1]}" in err
    codes = {account.code for account in DEFAULTS.values()}
    seen: dict[str, str] = {}
    for path in files:
        text = path.read_text()
        assert len(text.splitlines()) <= MOST_LINES
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == COLUMNS
        sums: dict[str, int] = defaultdict(int)
        for row in rows:
            assert re.fullmatch(r"\d\d/\d\d/\d{4}", row["*Date"]) and row["*Narration"] and row["Description"]
            assert row["*AccountCode"] in codes and row["*TaxRate"] in TAX_RATES.values()
            assert re.fullmatch(r"-?\d+\.\d\d", row["*Amount"]) and row["*Amount"] not in ("0.00", "-0.00")
            sums[row["*Narration"]] += int(row["*Amount"].replace(".", ""))
            assert seen.setdefault(row["*Narration"], path.name) == path.name  # one journal, one file
        assert set(sums.values()) == {0}  # every journal balances within its file
    # Debits positive, credits negative: the card money taken is a debit to card clearing.
    first = list(csv.DictReader(io.StringIO(files[0].read_text())))
    card = [row for row in first if row["*AccountCode"] == DEFAULTS["card_clearing"].code]
    assert card and all(not row["*Amount"].startswith("-") for row in card)


@pytest.mark.parametrize("form", ["beancount", "xero", "csv"])
def test_the_same_period_exported_twice_is_byte_identical(capsys, monkeypatch, shop, tmp_path, form):
    made = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        code, _, err = till(capsys, monkeypatch, "--db", str(shop), "accounts", "export", *WINDOW, "--format", form,
                            "--out", str(tmp_path / name / "books"), *MANAGER)
        assert code == 0, err
        made.append({path.name: path.read_bytes() for path in (tmp_path / name).iterdir()})
    assert made[0] == made[1] and made[0]


def test_the_plain_csv_is_one_posting_a_row_and_balances(capsys, monkeypatch, shop):
    code, out, err = till(capsys, monkeypatch, "--db", str(shop), "accounts", "export", "--from", DEMO_UNTIL,
                          "--to", DEMO_UNTIL, *MANAGER)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {row["date"] for row in rows} == {DEMO_UNTIL}
    assert sum(int(row["debit_pence"]) for row in rows) == sum(int(row["credit_pence"]) for row in rows) > 0
    assert {row["account_name"] for row in rows} >= {"Assets:Cash:Drawer", "Assets:CardClearing"}


def test_share_money_is_never_takings_and_an_unfinished_session_is_said(capsys, monkeypatch, demo_db):
    db = ("--db", str(demo_db))
    today = system_clock().astimezone(LONDON).date().isoformat()
    export = ("accounts", "export", "--from", today, "--to", today, *MANAGER)
    assert till(capsys, monkeypatch, *db, "session", "open", "--float", "20", "--operator", "Sam Ortiz")[0] == 0
    assert till(capsys, monkeypatch, *db, "shares", "buy", "M0001", "5", "--by", "Sam Ortiz")[0] == 0
    code, out, err = till(capsys, monkeypatch, *db, *export)
    assert code == 0 and "till-1's session of" in err and "is unfinished (no Z yet)" in err
    assert len(out.splitlines()) == 1  # the header only: its figures wait for the Z
    code, _, err = till(capsys, monkeypatch, *db, "report", "z", "--counted", "25", "--operator", "Sam Ortiz")
    assert code == 0, err
    code, out, err = till(capsys, monkeypatch, *db, *export)
    assert code == 0 and "unfinished" not in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(row["account"], int(row["amount_pence"])) for row in rows} == {
        ("cash_drawer", 500), ("share_capital", -500)}  # no sales account: capital is not takings


def test_only_a_manager_or_the_treasurer_exports_the_accounts(capsys, monkeypatch, demo_db):
    code, out, err = till(capsys, monkeypatch, "--db", str(demo_db), "accounts", "export", *WINDOW,
                          "--by", "Priya Kell", pins=("2222",))
    assert code == 1 and out == "" and "Traceback" not in err
    assert "Exporting the accounts (till accounts export) needs a manager or a treasurer; Priya Kell is a shift lead" in err
    code, out, err = till(capsys, monkeypatch, "--db", str(demo_db), "accounts", "export", *WINDOW,
                          "--by", "Tomasz Nowicki", pins=("6666",))  # a shift lead who is also the treasurer
    assert code == 0 and out.startswith("journal,date,"), err


def test_all_tills_without_the_offices_copy_is_a_sentence(capsys, monkeypatch, demo_db):
    code, _, err = till(capsys, monkeypatch, "--db", str(demo_db), "accounts", "export", *WINDOW, "--all-tills",
                        *MANAGER)
    assert code == 1 and "no consolidated copy" in err and "till office pull" in err
