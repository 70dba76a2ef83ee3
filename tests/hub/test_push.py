"""Pushing to a real hub: every record once, in journal order, whatever is sent twice; a till whose
chain does not link is quarantined while the others carry on; a rule broken is flagged, not refused."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing

import psycopg
import pytest

from core.journal import GENESIS, link
from hub import SCHEMA_VERSION, HubError, local
from hub.connect import connect
from hub.push import push
from hub.witness import check, heads
from hub.worker import sync_once
from pos.database import open_database
from tests.hub.tills import register, sell, shop_file


@pytest.fixture
def two_tills(tmp_path, hub_url):
    tills = {}
    for n, till_id in enumerate(("till-1", "till-2")):
        path = shop_file(tmp_path / f"{till_id}.db")
        tills[till_id] = (path, register(hub_url, path, till_id, first=n == 0))
    return tills


def held(hub_url: str) -> list[tuple]:
    with psycopg.connect(hub_url) as conn:
        return conn.execute("select n.till_id, count(*) filter (where not r.held), count(*) filter (where r.held) "
                            "from hub.records r join hub.nodes n using (node_id) group by 1 order by 1").fetchall()


def test_the_hubs_chain_link_is_the_journals(hub_url, two_tills):
    # The hub checks chains in PL/pgSQL: it must compute exactly what core.journal.link does.
    cases = [(GENESIS, 1, "sale", 1, "ab" * 32), ("cd" * 32, 1, "dividend_paid", 123456789, "ef" * 32),
             ("cd" * 32, 2, "sale", 7, "ef" * 32), (GENESIS, 1, "member", 3, "removed")]
    with psycopg.connect(hub_url) as conn:
        for prev, version, kind, ref_id, digest in cases:
            assert conn.execute("select hub.link(%s, %s, %s, %s, %s)",
                                [prev, version, kind, ref_id, digest]).fetchone()[0] == \
                link(prev, kind, ref_id, digest, version)


def test_every_record_reaches_the_hub_once_however_often_it_is_sent(hub_url, two_tills):
    path, conninfo = two_tills["till-1"]
    db = open_database(path)
    sell(db, "till-1", 20, seed=1)
    entries = db.execute("select count(*) from journal").fetchone()[0]
    with connect(conninfo) as conn:
        first = push(db, conn, batch=7)
        assert (first.added, first.resent, local.mark(db), local.waiting(db)) == (entries, 0, entries, 0)
        # The mark lost (an old copy of the file put back, a push cut off after the hub committed): sent again.
        db.execute("update hub_marks set entry = 0")
        again = push(db, conn, batch=5)
    assert (again.added, again.resent, again.quarantined) == (0, entries, None)
    assert held(hub_url) == [("till-1", entries, 0)]
    with psycopg.connect(hub_url) as conn:
        at_hub = conn.execute("select entry, hash from hub.records order by entry").fetchall()
    assert at_hub == db.execute("select id, hash from journal order by id").fetchall()
    assert db.execute("select count(*) from journal").fetchone()[0] == entries  # nothing deleted because sent


def test_an_edited_record_quarantines_its_till_and_the_other_keeps_pushing(hub_url, two_tills):
    dbs = {till_id: open_database(path) for till_id, (path, _) in two_tills.items()}
    for n, (till_id, db) in enumerate(dbs.items()):
        sell(db, till_id, 5, seed=n)
        with connect(two_tills[till_id][1]) as conn:
            push(db, conn)
    sell(dbs["till-1"], "till-1", 3, seed=7)
    pushed = local.mark(dbs["till-1"])
    # The attacker's method: the sqlite3 shell, on a sale not yet sent, then more trade on top.
    target = dbs["till-1"].execute("select ref_id from journal where id = ?", [pushed + 1]).fetchone()[0]
    subprocess.run(["sqlite3", str(two_tills["till-1"][0]),
                    f"update sales set total_pence = total_pence - 100 where id = {target}"], check=True)
    sell(dbs["till-1"], "till-1", 3, seed=8)
    sell(dbs["till-2"], "till-2", 4, seed=9)
    with connect(two_tills["till-1"][1]) as conn:
        cut = push(dbs["till-1"], conn)
    assert cut.quarantined == (f"journal entry {pushed + 1} (sale {target}) was changed after it was recorded")
    with connect(two_tills["till-2"][1]) as conn:
        other = push(dbs["till-2"], conn)
    assert other.quarantined is None and other.added > 0
    assert local.waiting(dbs["till-2"]) == 0
    (_, one_kept, one_held), (_, two_kept, two_held) = held(hub_url)
    assert one_kept == pushed and one_held == cut.held == local.mark(dbs["till-1"]) - pushed
    assert two_held == 0 and two_kept == local.mark(dbs["till-2"])
    with psycopg.connect(hub_url) as conn:
        alerts = conn.execute("select what from hub.alerts").fetchall()
    assert alerts == [(f"till till-1 is quarantined: {cut.quarantined}",)]


def test_a_journal_rewritten_after_pushing_is_seen_by_the_hub_as_witness(hub_url, two_tills):
    path, conninfo = two_tills["till-1"]
    db = open_database(path)
    sell(db, "till-1", 6, seed=3)
    with connect(conninfo) as conn:
        push(db, conn)
        newest = db.execute("select max(id) from journal").fetchone()[0]
        assert check(db, heads(conn)) == []
        # Cut off the end of the journal, as someone hiding the day's last sales would.
        with closing(sqlite3.connect(path)) as shell, shell:
            shell.execute("delete from journal where id = ?", [newest])
        assert check(db, heads(conn)) == [f"journal entry #{newest}, which the hub holds, is missing here: the "
                                          "journal was cut short"]


def test_a_record_breaking_a_business_rule_is_stored_and_flagged(hub_url, tmp_path):
    # Two tills both configured as till-1: their sale numbers collide. Each sale is kept and the second flagged.
    paths = [shop_file(tmp_path / f"{n}.db") for n in range(2)]
    conninfos = [register(hub_url, paths[0], "till-1", first=True), register(hub_url, paths[1], "till-1b")]
    for n, (path, conninfo) in enumerate(zip(paths, conninfos)):
        db = open_database(path)
        sell(db, "till-1", 2, seed=n)
        with connect(conninfo) as conn:
            push(db, conn)
    with psycopg.connect(hub_url) as conn:
        flags = conn.execute("select flag from hub.records where flag is not null order by entry").fetchall()
        stored = conn.execute("select count(*) from hub.records where kind = 'sale'").fetchone()[0]
    assert flags == [("sale number till-1/1 also came from another till",),
                     ("sale number till-1/2 also came from another till",)]
    assert stored == 4


def test_a_hub_at_another_version_is_one_sentence_and_nothing_is_sent(hub_url, two_tills):
    path, conninfo = two_tills["till-1"]
    db = open_database(path)
    sell(db, "till-1", 2, seed=1)
    with psycopg.connect(hub_url, autocommit=True) as admin:
        admin.execute("insert into hub.schema_version (version) values (%s)", [SCHEMA_VERSION + 1])
    with connect(conninfo) as conn, pytest.raises(HubError, match=rf"^the hub's tables are at version {SCHEMA_VERSION + 1}, "
                                                                  rf"newer than this till's {SCHEMA_VERSION}: update "
                                                                  "Community Till"):
        push(db, conn)
    assert local.mark(db) == 0 and held(hub_url) == []


def test_with_no_hub_configured_nothing_happens(tmp_path):
    path = shop_file(tmp_path / "till.db")
    assert sync_once(path, tmp_path / "no-such-credentials") is None
    db = open_database(path)
    assert local.marks(db) == {"entry": 0, "pushed_at": None, "tried_at": None, "failing_since": None, "error": None}


def test_an_unreachable_hub_is_remembered_with_what_waits(tmp_path, cluster):
    from hub.connect import write_credentials

    path = shop_file(tmp_path / "till.db")
    sell(open_database(path), "till-1", 2, seed=1)
    credentials = write_credentials(tmp_path / "creds", cluster.conninfo("no_such_hub"))
    assert sync_once(path, credentials) is None
    db = open_database(path)
    marks = local.marks(db)
    assert marks["failing_since"] and 'database "no_such_hub" does not exist' in marks["error"]
    assert local.waiting(db) == db.execute("select count(*) from journal").fetchone()[0] > 0


def test_a_hub_restored_from_an_older_dump_gets_again_what_it_lost(hub_url, two_tills, cluster, tmp_path):
    path, conninfo = two_tills["till-1"]
    db = open_database(path)
    sell(db, "till-1", 4, seed=1)
    with connect(conninfo) as conn:
        push(db, conn)
    dump = tmp_path / "hub.dump"
    subprocess.run([str(cluster.bindir / "pg_dump"), "--format=custom", "-f", str(dump), hub_url], check=True)
    sell(db, "till-1", 4, seed=2)
    with connect(conninfo) as conn:
        push(db, conn)
    # The hub's disk is lost; its last dump is put back into a new database.
    restored = hub_url.replace("dbname=", "dbname=r")
    name = psycopg.conninfo.conninfo_to_dict(restored)["dbname"]
    cluster.sql(f"create database {name}")
    subprocess.run([str(cluster.bindir / "pg_restore"), "-d", restored, str(dump)], check=True)
    again = push(db, connect(conninfo.replace("dbname=", "dbname=r")))
    assert again.quarantined is None and again.added > 0 and local.waiting(db) == 0
    with psycopg.connect(restored) as conn:
        at_hub = conn.execute("select entry, hash from hub.records order by entry").fetchall()
    assert at_hub == db.execute("select id, hash from journal order by id").fetchall()
