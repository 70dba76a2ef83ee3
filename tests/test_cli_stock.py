"""`till stock`: suppliers, deliveries (one line or CSV) and their reversal, wastage, stocktakes, the reorder
list (text and CSV), stock value and use-first, on the demo shop; who may do what."""

import csv

from tests.test_cli import run, typed

MANAGER = ["--by", "Sam Ortiz"]  # PIN 1111
VOLUNTEER = ["--by", "Jo Beckford"]  # PIN 3333


def _barcode(capsys, db, name):
    _, out, _ = run(capsys, *db, "products", "list")
    return next(line.split()[-1] for line in out.splitlines() if name in line)


def test_suppliers_deliveries_and_the_reorder_list(capsys, demo_db, monkeypatch, tmp_path):
    db = ["--db", str(demo_db)]
    beans = _barcode(capsys, db, "Baked beans")
    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "stock", "suppliers", "add", "Hillside", "--lead-days", "3", *VOLUNTEER)
    assert code == 1 and "needs a shift lead" in err
    typed(monkeypatch, "1111")
    assert run(capsys, *db, "stock", "suppliers", "add", "Hillside", "--lead-days", "3", *MANAGER)[0] == 0
    listing = tmp_path / "suppliers.csv"
    listing.write_text("name,contact,account,lead_days\nDairy Co,Sam,D-1,2\n")
    typed(monkeypatch, "1111")
    assert run(capsys, *db, "stock", "suppliers", "import", str(listing), *MANAGER)[0] == 0
    assert "Dairy Co" in run(capsys, *db, "stock", "suppliers", "list")[1]

    lines = tmp_path / "delivery.csv"
    lines.write_text(f"code,quantity,cost,best_before\n{beans},24,0.40,2030-01-01\n")
    typed(monkeypatch, "3333")  # goods in: any volunteer
    code, _, err = run(capsys, *db, "stock", "in", "--csv", str(lines), "--supplier", "hillside", *VOLUNTEER)
    assert code == 0 and "24 items" in err
    number = err.split("Delivery ")[1].split(":")[0]
    code, out, _ = run(capsys, *db, "stock", "delivery", number)
    assert "from Hillside" in out and "cost £0.40" in out and "best before 2030-01-01" in out
    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "stock", "waste", beans, "2", "--reason", "dented", *VOLUNTEER)
    assert code == 0 and "£0.80 lost at cost" in err
    code, out, _ = run(capsys, *db, "stock", "value")
    assert code == 0 and "Stock at cost" in out

    typed(monkeypatch, "3333")
    assert run(capsys, *db, "stock", "count", beans, "0", *VOLUNTEER)[0] == 0  # the shelf is empty: reorder
    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "stock", "reorder", *VOLUNTEER)
    assert code == 1 and "needs a shift lead" in err
    target = tmp_path / "order.csv"
    typed(monkeypatch, "2222")
    code, _, err = run(capsys, *db, "stock", "reorder", "--csv", str(target), "--by", "Priya Kell")
    assert code == 0
    rows = list(csv.DictReader(target.open()))
    beans_row = next(row for row in rows if row["product"].startswith("Baked beans"))
    assert beans_row["supplier"] == "Hillside" and int(beans_row["order"]) > 0 and beans_row["on_hand"] == "0"

    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "stock", "reverse", number, "--reason", "not ours", *VOLUNTEER)
    assert code == 0 and f"Delivery {number} is reversed" in err


def test_a_stocktake_from_the_command_line(capsys, demo_db, monkeypatch):
    db = ["--db", str(demo_db)]
    beans = _barcode(capsys, db, "Baked beans")
    typed(monkeypatch, "3333")
    code, _, err = run(capsys, *db, "stock", "stocktake", "start", *VOLUNTEER)
    assert code == 1 and "needs a shift lead" in err
    typed(monkeypatch, "1111")
    assert run(capsys, *db, "stock", "stocktake", "start", "--category", "Cupboard", *MANAGER)[0] == 0
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "stock", "stocktake", "count", beans, "5", *MANAGER)
    assert code == 0 and "counted 5" in err
    code, out, _ = run(capsys, *db, "stock", "stocktake", "show")
    assert "Baked beans" in out and "of Cupboard" in out
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "stock", "stocktake", "finish", *MANAGER)
    assert code == 0 and "1 counted" in err
    assert "     5  Baked beans" in run(capsys, *db, "stock", "levels")[1]
    code, _, err = run(capsys, *db, "stock", "stocktake", "show")
    assert code == 1 and "no stocktake is open" in err


def test_a_bad_price_list_changes_nothing(capsys, demo_db, monkeypatch, tmp_path):
    db = ["--db", str(demo_db)]
    typed(monkeypatch, "1111")
    run(capsys, *db, "stock", "suppliers", "add", "Hillside", *MANAGER)
    prices = tmp_path / "prices.csv"
    prices.write_text("code,cost,price\n0000000000000,0.40,\n")
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "stock", "suppliers", "price-list", "Hillside", str(prices), *MANAGER)
    assert code == 1 and "line 2, code" in err and "Nothing was imported" in err
