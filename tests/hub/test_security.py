"""A till's role at the hub: it adds its own records through the push function and nothing else. The
attacker's methods are kept as the tests: a stolen till's credentials used by hand."""

from __future__ import annotations

import os
import stat

import psycopg
import pytest
from psycopg.types.json import Jsonb

from core.node import node_id
from hub import HubError, local
from hub.connect import connect, read_credentials, revoke_till, write_credentials
from hub.push import push
from pos.database import open_database
from tests.hub.tills import register, sell, shop_file


@pytest.fixture
def tills(tmp_path, hub_url):
    found = {}
    for n, till_id in enumerate(("till-1", "till-2")):
        path = shop_file(tmp_path / f"{till_id}.db")
        conninfo = register(hub_url, path, till_id, first=n == 0)
        db = open_database(path)
        sell(db, till_id, 3, seed=n)
        with connect(conninfo) as conn:
            push(db, conn)
        found[till_id] = (db, conninfo)
    return found


@pytest.mark.parametrize("statement", [
    "update hub.records set body = null",
    "delete from hub.records",
    "select * from hub.records",
    "select * from hub.nodes",
    "insert into hub.records (node_id, entry, kind, ref_id, version, hash) values ('x', 99, 'sale', 1, 1, 'x')",
    "update hub.nodes set quarantine_entry = null",
    "truncate hub.records",
    "create table hub.mine (id int)",
])
def test_a_tills_role_cannot_touch_the_hubs_rows(tills, hub_url, statement):
    _, conninfo = tills["till-1"]
    with psycopg.connect(conninfo, autocommit=True) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)
    with psycopg.connect(hub_url) as admin:  # and the hub still holds both tills' records, untouched
        counts = admin.execute("select count(distinct node_id), count(*) filter (where body is null) "
                               "from hub.records").fetchone()
    assert counts == (2, 0)


def test_a_till_cannot_push_as_another_till(tills):
    db_two, _ = tills["till-2"]
    _, conninfo = tills["till-1"]
    row = {"entry": 10_000, "kind": "sale", "ref_id": 1, "version": 1, "digest": "0" * 64, "hash": "0" * 64,
           "body": None}
    with psycopg.connect(conninfo, autocommit=True) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege,
                                                                        match="not registered"):
        conn.execute("select hub.push(%s, %s)", [node_id(db_two), Jsonb([row])])


def test_a_revoked_till_is_refused_and_every_till_is_asked_to_reset_pins(tills, hub_url):
    db, conninfo = tills["till-2"]
    sell(db, "till-2", 2, seed=5)
    before = local.mark(db)
    already = connect(conninfo)  # a session opened before the revocation is refused too
    assert revoke_till(hub_url, "till-2") == "till-2"
    with pytest.raises(HubError, match=r"^the hub refused this till: this till was revoked at the hub$"):
        push(db, already)
    already.close()
    with pytest.raises(HubError, match=r"^the hub refuses this till: it was revoked \(lost or stolen\)$"):
        connect(conninfo)
    assert local.mark(db) == before  # refused: the mark did not move
    with connect(tills["till-1"][1]) as conn:
        status = conn.execute("select hub.my_status()").fetchone()[0]
    assert status["pin_resets"] == 1 and not status["revoked"]


def test_credentials_are_readable_by_their_owner_only(tmp_path):
    path = write_credentials(tmp_path / "config" / "hub-credentials", "host=hub user=till_x password=secret")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_credentials(path) == "host=hub user=till_x password=secret"
    os.chmod(path, 0o644)
    with pytest.raises(HubError, match="can be read by others: run `chmod 600"):
        read_credentials(path)
