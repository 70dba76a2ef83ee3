"""Two tills selling at once, each pushing from a background worker as the till screen does: afterwards
every record is at the hub once, and the hub's figures for each till are that till's own Z reports."""

from __future__ import annotations

import threading
import time

import psycopg

from hub import local
from hub.connect import write_credentials
from hub.totals import till_totals
from hub.worker import PushWorker, sync_once
from pos.database import open_database
from pos.reports import session_report
from tests.hub.tills import register, sell, shop_file


def test_two_tills_selling_and_pushing_at_once(tmp_path, hub_url):
    tills = {}
    for n, till_id in enumerate(("till-1", "till-2")):
        path = shop_file(tmp_path / f"{till_id}.db")
        credentials = write_credentials(tmp_path / f"{till_id}.creds", register(hub_url, path, till_id, first=n == 0))
        tills[till_id] = (path, credentials)
    workers = [PushWorker(path, credentials, every=0.05).start() for path, credentials in tills.values()]
    errors = []

    def trade(till_id: str, seed: int) -> None:
        try:
            db = open_database(tills[till_id][0])  # the screen's connection; the worker has its own
            for day in range(3):
                sell(db, till_id, 15, seed=seed * 10 + day, close=True)
                # The next day's selling starts while this till's worker is pushing the day just sold.
                worker, before = workers[seed], workers[seed].rounds
                worker.poke()
                deadline = time.monotonic() + 30
                while worker.rounds == before and time.monotonic() < deadline:
                    time.sleep(0.01)
            db.close()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    sellers = [threading.Thread(target=trade, args=(till_id, n)) for n, till_id in enumerate(tills)]
    for thread in sellers:
        thread.start()
    for thread in sellers:
        thread.join(120)
    for worker in workers:
        worker.stop()
    assert errors == []
    assert all(worker.rounds >= 3 for worker in workers), "the workers never pushed while the tills sold"
    for path, credentials in tills.values():
        sync_once(path, credentials)  # what the last few seconds sold, as the next round would
    with psycopg.connect(hub_url) as conn:
        figures = till_totals(conn)
        at_hub = dict(conn.execute("select n.till_id, count(*) from hub.records r join hub.nodes n using (node_id) "
                                   "group by 1").fetchall())
    for till_id, (path, _) in tills.items():
        db = open_database(path)
        assert local.waiting(db) == 0
        assert at_hub[till_id] == db.execute("select count(*) from journal").fetchone()[0]
        sessions = [row[0] for row in db.execute("select id from till_sessions where till_id = ? and z_number is not "
                                                 "null", [till_id])]
        assert len(sessions) == 3
        zs = [session_report(db, [session], zone=db_zone(), vat_registered=False) for session in sessions]
        assert figures[till_id] == {"sales": sum(z.sales_count for z in zs), "refunds": sum(z.refunds_count for z in zs),
                                    "net_pence": sum(z.net_sales_pence for z in zs)}
        assert figures[till_id]["sales"] == 45


def db_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")
