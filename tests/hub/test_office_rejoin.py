"""A till rebuilt from the hub joins it again (`till hub join` on the rebuilt database): it takes its old
node's place, and pushes from its last rebuilt record on, so nothing it was rebuilt from is counted twice."""

from __future__ import annotations

from datetime import date

import psycopg

from core.books_check import check_file
from hub import approvals, office
from hub.connect import connect
from hub.pull import pull
from pos import consolidated
from pos.basket import Basket
from pos.cli import main
from pos.database import migration_sets, open_database
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.hub.test_office import ZONE, _assert_sum, _push, _till, _trade


def _sell_one(path) -> int:
    db = open_database(path)
    till = Till(db, till_id="till-2", zone=ZONE)
    manager = db.execute("select id from volunteers order by role <> 'manager', id").fetchone()[0]
    if till.current_session() is None:
        till.open_session(5000, operator_id=manager)
    basket = Basket()
    till.scan(basket, db.execute("select code from product_codes order by code limit 1").fetchone()[0])
    sale = till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                              operator_id=manager)
    db.close()
    return sale.sale_number


def test_a_rebuilt_till_joins_again_in_its_old_place_and_pushes_nothing_twice(tmp_path, hub_url, capsys,
                                                                               monkeypatch):
    _, office_conninfo = _till(tmp_path, hub_url, "office", first=True)
    path, conninfo = _till(tmp_path, hub_url, "till-2", first=False)
    db = open_database(path)
    with connect(conninfo) as conn:
        pull(db, conn)  # its node number, so what it makes is in its own block
    db.close()
    _trade(path, "till-2", 2, date(2026, 11, 17), seed=5)
    _sell_one(path)
    _sell_one(path)  # in a session still open when the disk dies
    _push(path, conninfo)
    with connect(office_conninfo) as conn:  # the office approves the first of the volunteers till-2 added
        waiting = approvals.waiting(conn)
        approvals.decide(conn, waiting[0].id, approve=True, by="Sam Ortiz")
    db = open_database(path)
    pushed = db.execute("select sale_number, total_pence from sales order by 1").fetchall()
    roles = db.execute("select id, role, pin_hash from volunteers order by id").fetchall()
    db.close()
    assert {role for _, role, _ in roles} > {"volunteer"}
    path.unlink()  # the disk died

    rebuilt = tmp_path / "new-disk" / "till.db"
    monkeypatch.setenv("TILL_TILL_ID", "till-2")
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "new-disk" / "hub-credentials"))
    assert main(["--db", str(rebuilt), "restore", "--from-hub", "till-2", "--admin", hub_url, "--by", "Sam Ortiz"]) == 0
    assert main(["--db", str(rebuilt), "hub", "join", hub_url, "--till", "someone-else"]) == 1
    assert "rebuilt as till till-2" in capsys.readouterr().err
    assert main(["--db", str(rebuilt), "hub", "join", hub_url]) == 0
    assert "joined it again as node 3 in the old one's place" in capsys.readouterr().err
    new_sale = _sell_one(rebuilt)
    assert new_sale == pushed[-1][0] + 1001
    # The session open when the disk died: its earlier sales came from the old node, its Z comes from the new.
    db = open_database(rebuilt)
    # Its volunteers keep the roles and PINs it gave them (the others see them only once the office approves).
    assert db.execute("select id, role, pin_hash from volunteers order by id").fetchall() == roles
    session, day = db.execute("select id, business_date from till_sessions where closed_at is null").fetchone()
    Till(db, till_id="till-2", zone=ZONE).close_session(5000, operator_id=db.execute(
        "select id from volunteers order by role <> 'manager', id").fetchone()[0])
    db.close()
    assert main(["--db", str(rebuilt), "hub", "sync"]) == 0
    assert check_file(rebuilt, migration_sets()).sound

    with psycopg.connect(hub_url, autocommit=True) as conn:
        nodes = conn.execute("select till_id, number, revoked_at is not null from hub.nodes order by number").fetchall()
        assert nodes == [("office", 1, False), ("till-2", 2, True), ("till-2", 3, False)]
        counted = conn.execute("select n.number, count(*) from hub.records r join hub.nodes n using (node_id) "
                               "where r.kind = 'sale' and not r.held and r.flag is null group by 1 order by 1").fetchall()
        assert counted == [(2, len(pushed)), (3, 1)]  # the rebuilt sales were not sent again
        assert conn.execute("select count(*) from hub.alerts where what like '%rebuilt from the hub%'").fetchone()[0] == 1
        quarantined = conn.execute("select count(*) from hub.nodes where quarantine_entry is not null").fetchone()[0]
        assert quarantined == 0
        # What the office approved stays approved, and what waits still waits: nothing waits twice.
        assert conn.execute("select count(*) from hub.pending where decided_at is null").fetchone()[0] == len(waiting) - 1
        # Its chain starts after the rebuilt records with no row standing in for them, held or not.
        assert conn.execute("select count(*) from hub.records where held").fetchone()[0] == 0
        copy = consolidated.open_copy(tmp_path / "office-consolidated.db")
        office.pull(conn, copy)
    numbers = [row[0] for row in copy.execute("select sale_number from sales where till_id = 'till-2' order by 1")]
    assert numbers == [number for number, _ in pushed] + [new_sale]
    # In the copy it is one session, closed, with every sale, as at the till: the day's Z is the till's own.
    assert copy.execute("select count(*), count(closed_at) from till_sessions where id % ? = ?",
                        [office.BLOCK, session]).fetchone() == (1, 1)
    assert copy.execute("select count(distinct session_id) from sales where till_id = 'till-2' and session_id % ? = ?",
                        [office.BLOCK, session]).fetchone()[0] == 1
    _assert_sum(copy, {"till-2": rebuilt}, date.fromisoformat(day))
    copy.close()


def test_a_database_not_rebuilt_from_the_hub_still_cannot_join_with_its_records(demo_db, hub_url, capsys):
    assert main(["--db", str(demo_db), "hub", "join", hub_url, "--till", "till-2"]) == 1
    assert "only `till hub init` seeds a hub" in capsys.readouterr().err


def test_a_copy_made_before_keeps_its_tills_and_lets_a_rebuilt_one_share_a_k(tmp_path):
    path = tmp_path / "till-consolidated.db"
    consolidated.open_copy(path).close()
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn, conn:  # as an earlier version made it
        conn.execute("drop table office_nodes")
        conn.execute("create table office_nodes (node_id text primary key, k integer not null unique, till_id text not "
                     "null, entry integer not null default 0, pulled_at text)")
        conn.execute("insert into office_nodes values ('old', 1, 'till-2', 40, 'then')")
    copy = consolidated.open_copy(path)
    assert copy.execute("select * from office_nodes").fetchall() == [("old", 1, "till-2", 40, "then")]
    assert office._node_number(copy, "new", "till-2", "old") == 1
    copy.close()
