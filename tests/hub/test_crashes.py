"""A push cut off at any moment and sent again creates nothing twice and loses nothing: the hub stopped
with `pg_ctl stop -m immediate` in the middle of a push, and the till killed with SIGKILL in the middle
of one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from hub import HubError, local
from hub.connect import connect
from hub.push import push
from pos.database import open_database
from tests.hub.tills import register, sell, shop_file

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def at_hub(hub_url: str) -> int:
    with psycopg.connect(hub_url) as conn:
        return conn.execute("select count(*) from hub.records").fetchone()[0]


def all_there_once(db, hub_url: str) -> None:
    with psycopg.connect(hub_url) as conn:
        rows = conn.execute("select entry, hash, held from hub.records order by entry").fetchall()
    assert [(entry, chained) for entry, chained, _ in rows] == db.execute(
        "select id, hash from journal order by id").fetchall()
    assert not any(held for _, _, held in rows)
    assert local.waiting(db) == 0


@pytest.fixture
def busy_till(tmp_path, hub_url):
    path = shop_file(tmp_path / "till.db")
    conninfo = register(hub_url, path, "till-1", first=True)
    db = open_database(path)
    sell(db, "till-1", 60, seed=2)
    return path, conninfo, db


def test_the_hub_stopped_immediately_in_the_middle_of_a_push(busy_till, hub_url, cluster):
    path, conninfo, db = busy_till
    failed = []

    def pushing():
        own = open_database(path)  # the worker's own connection, as the screen's worker has
        try:
            with connect(conninfo) as conn:
                push(own, conn, batch=2)
        except (psycopg.Error, HubError) as error:
            failed.append(error)

    worker = threading.Thread(target=pushing)
    worker.start()
    while local.mark(db) == 0:
        time.sleep(0.005)
    cluster.stop_server("immediate")
    worker.join(30)
    assert failed, "the push finished before the hub was stopped: nothing was tested"
    cluster.start_server()
    cut = local.mark(db)
    assert 0 < cut < db.execute("select max(id) from journal").fetchone()[0]
    assert at_hub(hub_url) >= cut  # the mark never runs ahead of what the hub committed
    with connect(conninfo) as conn:
        push(db, conn)
    all_there_once(db, hub_url)


def test_the_till_killed_in_the_middle_of_a_push(busy_till, hub_url, tmp_path):
    path, conninfo, db = busy_till
    (tmp_path / "creds").write_text(conninfo)
    loop = ("import sys; from pos.database import open_database; from hub.connect import connect; "
            "from hub.push import push\n"
            f"db = open_database({str(path)!r})\n"
            f"conn = connect(open({str(tmp_path / 'creds')!r}).read())\n"
            "while push(db, conn, batch=1, limit=3).added: pass\n")
    for _ in range(3):
        child = subprocess.Popen([sys.executable, "-c", loop], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        started = at_hub(hub_url)
        deadline = time.monotonic() + 30
        while at_hub(hub_url) < started + 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL, "the push loop ended before it was killed: nothing was tested"
    assert 0 < at_hub(hub_url) < db.execute("select count(*) from journal").fetchone()[0]
    with connect(conninfo) as conn:
        push(db, conn)
    all_there_once(db, hub_url)
