"""Real processes: a till killed with SIGKILL at random moments, and two tills on one file.

Afterwards every sale is complete (lines, tenders, stock movements and totals agree) or absent,
everything a till said was done is there, the file passes integrity_check, sale numbers run
without duplicates or gaps, and the journal still verifies.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from core.journal import verify
from pos.database import open_database
from pos.demo_shop import create_shop

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def shop_file(tmp_path) -> Path:
    path = tmp_path / "till.db"
    db = open_database(path)
    create_shop(db, at="2026-11-01T09:00:00.000000Z")
    from inventory.stock import Stock

    stock = Stock(db)
    for level in stock.levels():
        stock.goods_in(level.product_id, 10_000, at="2026-11-01T09:00:00.000000Z", reason="delivery")
    db.close()
    return path


def worker(path: Path, till_id: str, sales: int, seed: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.workers.sell", str(path), till_id, str(sales), str(seed)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def said_done(output: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.startswith("done ")}


def check_books(path: Path, promised: set[str]) -> None:
    db = open_database(path)
    assert [row[0] for row in db.execute("pragma integrity_check")] == ["ok"]
    sales = {f"{t}/{n}": sid for sid, t, n in db.execute("select id, till_id, sale_number from sales")}
    assert promised <= set(sales), f"said done but missing: {sorted(promised - set(sales))[:5]}"
    for till_id, numbers in _numbers(db).items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"{till_id}: duplicates or gaps"
    tracked = {row[0] for row in db.execute("select id from products where stock_tracked = 1")}
    for sale_id, till_id, number, _kind, total in db.execute(
            "select id, till_id, sale_number, kind, total_pence from sales"):
        lines = db.execute("select product_id, quantity, line_total_pence from sale_lines where sale_id = ?",
                           [sale_id]).fetchall()
        assert lines, f"sale {till_id}/{number} has no lines"
        donation = db.execute("select coalesce(sum(amount_pence), 0) from donations where sale_id = ?",
                              [sale_id]).fetchone()[0]
        assert sum(l[2] for l in lines) + donation == total
        paid = db.execute("select coalesce(sum(amount_pence), 0) from tenders where sale_id = ?", [sale_id]).fetchone()[0]
        assert paid == total, f"sale {till_id}/{number}: tenders {paid} for a total of {total}"
        moved = Counter()
        for product_id, quantity in db.execute(
                "select product_id, quantity from stock_movements where reference = ? and kind in ('sale', 'refund')",
                [f"{till_id}/{number}"]):
            moved[product_id] += quantity
        expected = Counter()
        for product_id, quantity, _ in lines:
            if product_id in tracked:
                expected[product_id] -= quantity
        assert +moved == +expected and -moved == -expected, f"sale {till_id}/{number}: stock does not match its lines"
    assert verify(db) == []
    db.close()


def _numbers(db) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for till_id, number in db.execute("select till_id, sale_number from sales"):
        found.setdefault(till_id, []).append(number)
    return found


def test_a_till_killed_at_random_moments_loses_nothing_it_said_was_done(tmp_path):
    path = shop_file(tmp_path)
    rng = random.Random(7)
    promised: set[str] = set()
    for round_ in range(12):
        process = worker(path, "till-1", 10_000, round_)
        time.sleep(rng.uniform(0.4, 1.2))  # it starts (imports, opens the file), then sells
        os.kill(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        assert process.returncode == -signal.SIGKILL
        promised |= said_done(out)
    assert len(promised) > 20  # the kills did land in the middle of selling
    check_books(path, promised)
    from pos.till import Till

    basket = Till(open_database(path)).open_basket()  # whatever was open comes back readable
    assert basket is None or basket.lines


def test_two_tills_selling_at_once_on_one_file(tmp_path):
    path = shop_file(tmp_path)
    tills = [worker(path, "till-1", 120, 1), worker(path, "till-2", 120, 2)]
    promised: set[str] = set()
    for process in tills:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]
        assert "locked" not in err
        promised |= said_done(out)
    refunds = 120 // 7
    assert len(promised) == 2 * (120 + refunds)
    check_books(path, promised)


def test_a_till_held_up_too_long_says_so_plainly_and_changes_nothing(tmp_path, monkeypatch):
    import core.database
    from pos.basket import Basket
    from pos.errors import USER_ERRORS
    from pos.tenders import Tender, TenderKind
    from pos.till import Till

    path = shop_file(tmp_path)
    monkeypatch.setattr(core.database, "BUSY_TIMEOUT_MS", 200)  # the bound, shortened for the test
    till = Till(open_database(path))
    manager = till.volunteers.by_name("Sam Ortiz").id
    till.open_session(5000, operator_id=manager)
    basket = Basket()
    till.scan(basket, "T1")
    other = open_database(path)
    other.execute("begin immediate")  # another till in the middle of a long write
    started = time.monotonic()
    with pytest.raises(USER_ERRORS, match="Another till is busy"):
        till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)], operator_id=manager)
    assert time.monotonic() - started < 5
    other.execute("rollback")
    assert till.db.execute("select count(*) from sales").fetchone()[0] == 0 and basket.lines
    till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)], operator_id=manager)
