"""A till whose disk died, rebuilt from the hub (hub/restore.py, `till restore --from-hub`): a new node,
a file `till verify` passes, and sale numbers resuming after a recorded gap."""

from __future__ import annotations

from datetime import date

from core.books_check import check_file
from core.node import node_id
from pos.basket import Basket
from pos.cli import main
from pos.database import migration_sets, open_database
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.hub.test_office import ZONE, _push, _till, _trade


def test_a_till_rebuilt_from_the_hub_is_a_new_node_whose_numbers_resume_after_a_gap(tmp_path, hub_url, capsys,
                                                                                     monkeypatch):
    path, conninfo = _till(tmp_path, hub_url, "till-1", first=True)
    _trade(path, "till-1", 2, date(2026, 11, 17), seed=3)
    _push(path, conninfo)
    db = open_database(path)
    old_node = node_id(db)
    pushed = db.execute("select sale_number, total_pence from sales order by 1").fetchall()
    db.close()
    path.unlink()  # the disk died
    rebuilt = tmp_path / "new-disk" / "till.db"
    monkeypatch.setenv("TILL_TILL_ID", "till-1")
    code = main(["--db", str(rebuilt), "restore", "--from-hub", "till-1", "--admin", hub_url, "--by", "Sam Ortiz"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"resume at {pushed[-1][0] + 1001}" in out.err
    check = check_file(rebuilt, migration_sets())
    assert check.sound, check.problems[:3]
    db = open_database(rebuilt)
    assert node_id(db) != old_node
    assert db.execute("select sale_number, total_pence from sales order by 1").fetchall() == pushed
    # The next sale takes the first number after the gap, and the gap is in the audit log (a record).
    till = Till(db, till_id="till-1", zone=ZONE)
    manager = db.execute("select id from volunteers where instr(role, 'manager') order by id").fetchone()[0]
    till.open_session(5000, operator_id=manager)
    basket = Basket()
    till.scan(basket, db.execute("select code from product_codes limit 1").fetchone()[0])
    sale = till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                              operator_id=manager)
    assert sale.sale_number == pushed[-1][0] + 1001
    assert "are skipped" in db.execute("select detail from audit_log where action = 'restore'").fetchone()[0]
    db.close()
    assert check_file(rebuilt, migration_sets()).sound
