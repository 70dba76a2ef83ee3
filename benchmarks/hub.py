"""The hub's benchmarks, run by benchmarks/run.py on the same three-year database, each as a ratio
against a baseline measured in the same run:

- hub_push_records_per_s and hub_push_ratio: pushing the whole journal (the first sync of a till that
  joins with three years of books) against a bare psycopg COPY of the same rows, bodies read alike;
- sale_commit_ratio_with_hub: the sale commit while the push worker is pushing, against without it.
- hub_catchup_s: two tills, each three days of a busy café recorded while the hub was out of reach,
  pushed when it is back and pulled into the office's consolidated copy (hub/office.py).

Skipped with one line when PostgreSQL is not installed.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

#: How often the worker pushes while the sale commit is measured: a stress, the till's default is 30 s.
EVERY = 0.1


def bench(source: Path, rounds: int, *, say, zone, until) -> None:
    from tests.hub.cluster import MISSING, Cluster, find_postgres

    bindir = find_postgres()
    if bindir is None:
        say("hub", f"skipped: {MISSING}")
        return
    cluster = Cluster.start(bindir)
    work = Path(tempfile.mkdtemp(prefix="till-bench-hub-"))
    try:
        path = work / "till.db"
        shutil.copy(source, path)
        cluster.sql("create database hub")
        cluster.sql("create database bare")
        credentials = _register(cluster, path, work)
        _push(cluster, path, credentials, say)
        _sale_commit(path, credentials, rounds, say=say, zone=zone, until=until)
        _catchup(cluster, work, say=say, zone=zone, until=until)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def _register(cluster, path: Path, work: Path) -> Path:
    from core.node import node_id
    from hub.connect import init_hub, write_credentials
    from pos.database import open_database

    db = open_database(path)
    node = node_id(db)
    db.close()
    conninfo = init_hub(cluster.conninfo("hub"), society="Bench Co-op", node=node, till_id="till-1")
    return write_credentials(work / "hub-credentials", conninfo)


def _push(cluster, path: Path, credentials: Path, say) -> None:
    import psycopg

    from hub import local
    from hub.connect import connect, read_credentials
    from hub.push import BATCH, push
    from pos.database import open_database

    db = open_database(path)
    with psycopg.connect(cluster.conninfo("bare"), autocommit=True) as bare:
        bare.execute("create table records (node_id text, entry bigint, kind text, ref_id bigint, version int, "
                     "digest text, hash text, body text, primary key (node_id, entry))")
        started = time.perf_counter()
        with bare.transaction(), bare.cursor().copy("copy records from stdin") as copy:
            after = 0
            while rows := local.batch(db, after, BATCH):
                for row in rows:
                    copy.write_row(("node", row["entry"], row["kind"], row["ref_id"], row["version"], row["digest"],
                                    row["hash"], row["body"]))
                after = rows[-1]["entry"]
        copied = time.perf_counter() - started
    with connect(read_credentials(credentials)) as conn:
        started = time.perf_counter()
        done = push(db, conn)
        pushed = time.perf_counter() - started
    db.close()
    say("hub_push_records", done.added)
    say("hub_push_records_per_s", f"{done.added / pushed:.0f}")
    say("hub_copy_records_per_s", f"{done.added / copied:.0f}")
    say("hub_push_ratio", f"{pushed / copied:.2f}")


def _sale_commit(path: Path, credentials: Path, rounds: int, *, say, zone, until) -> None:
    """Blocks of sales with the worker pushing (every EVERY seconds, far more often than a till's 30 s)
    and without, alternated so both see the same disk and load."""
    from benchmarks.run import timed_sale
    from core.clock import SimulatedClock
    from hub.worker import PushWorker
    from pos.database import open_database
    from pos.till import Till

    db = open_database(path)
    clock = SimulatedClock(datetime.combine(until + timedelta(days=2), datetime.min.time(), tzinfo=zone)
                           .replace(hour=9))
    till = Till(db, till_id="till-1", clock=clock, zone=zone)
    operator = till.volunteers.all()[0].id
    if till.current_session() is None:
        till.open_session(5000, operator_id=operator)
    codes = [p.barcodes[0] for p in till.catalogue.all(active_only=True) if p.barcodes and p.stock_tracked][:3]

    def sale() -> float:
        return timed_sale(till, codes, operator)

    alone, pushing = [], []
    block = max(20, rounds // 4)
    for _ in range(8):
        alone += [sale() for _ in range(block)]
        worker = PushWorker(path, credentials, every=EVERY).start()
        while worker.rounds < 1:  # measured running, not starting (opening its file, logging in to the hub)
            time.sleep(0.01)
        pushing += [sale() for _ in range(block)]
        worker.stop()
    db.close()
    alone_ms, pushing_ms = statistics.median(alone) * 1000, statistics.median(pushing) * 1000
    say("sale_commit_with_hub_ms", f"{pushing_ms:.3f}")
    say("sale_commit_ratio_with_hub", f"{pushing_ms / alone_ms:.2f}")


def _catchup(cluster, work: Path, *, say, zone, until) -> None:
    """Two tills trade three days apart from the hub; then both push and the office pulls."""
    from core.node import node_id
    from hub.connect import connect, init_hub, join_hub
    from hub.office import pull
    from hub.push import push
    from pos.consolidated import copy_path, open_copy
    from pos.database import open_database
    from pos.demo_trade import simulate

    cluster.sql("create database catchup")
    admin = cluster.conninfo("catchup")
    tills = []
    for n, till_id in enumerate(("till-1", "till-2")):
        db = open_database(work / f"{till_id}.db")
        register = init_hub if n == 0 else join_hub
        extra = {"society": "Bench Co-op"} if n == 0 else {}
        tills.append((db, register(admin, node=node_id(db), till_id=till_id, **extra)))
        simulate(db, days=3, seed=n, until=until, till_id=till_id, zone=zone)
    copy = open_copy(copy_path(work / "office.db"))
    started = time.perf_counter()
    for db, conninfo in tills:
        with connect(conninfo) as conn:
            push(db, conn)
    with connect(admin) as conn:
        pulled = pull(conn, copy)
    took = time.perf_counter() - started
    for db, _ in tills:
        db.close()
    copy.close()
    say("hub_catchup_records", pulled.records)
    say("hub_catchup_s", f"{took:.2f}")



def federation(source: Path, *, tills: int, say, zone, until) -> None:
    """`--only federation`, by hand (not in CI): one simulated till's books (`--days`, a year) cloned under
    `tills` till ids into one hub, as the hub holds them after their pushes; then the office's pull into its
    consolidated copy, and the consolidated reports of the last month and the last day."""
    from tests.hub.cluster import MISSING, Cluster, find_postgres

    bindir = find_postgres()
    if bindir is None:
        say("federation", f"skipped: {MISSING}")
        return
    cluster = Cluster.start(bindir)
    work = Path(tempfile.mkdtemp(prefix="till-bench-federation-"))
    try:
        cluster.sql("create database federation")
        admin = cluster.conninfo("federation")
        started = time.perf_counter()
        _clone(source, admin, tills, work)
        say("federation_tills", tills)
        say("federation_hub_load_s", f"{time.perf_counter() - started:.1f}")
        _office(admin, work, say=say, zone=zone)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def _clone(source: Path, admin: str, tills: int, work: Path) -> None:
    """The till's journal, each record with its body as a push sends it, copied in under every till id (the
    till's id in the bodies changed to the clone's)."""
    import psycopg

    from core.node import node_id
    from hub import local
    from hub.connect import init_hub
    from hub.push import BATCH
    from pos.database import open_database

    path = work / "till.db"
    shutil.copy(source, path)
    db = open_database(path)
    rows, after = [], 0
    while found := local.batch(db, after, BATCH * 10):
        rows += [(r["entry"], r["kind"], r["ref_id"], r["version"], r["digest"], r["hash"], r["body"]) for r in found]
        after = found[-1]["entry"]
    init_hub(admin, society="Bench Co-op", node=node_id(db), till_id="till-1")
    db.close()
    with psycopg.connect(admin, autocommit=True) as conn:
        for k in range(1, tills + 1):
            node, till_id = f"{k:032x}", f"till-{k:02d}"
            with conn.transaction():
                conn.execute("insert into hub.nodes (node_id, role, till_id, number, head_entry) values "
                             "(%s, %s, %s, %s, %s)", [node, f"bench_{k}", till_id, k + 1, rows[-1][0]])
                with conn.cursor().copy("copy hub.records (node_id, entry, kind, ref_id, version, digest, hash, "
                                        "body) from stdin") as copy:
                    for entry, kind, ref_id, version, digest, chained, body in rows:
                        body = body.replace('"till-1"', f'"{till_id}"') if body else body
                        copy.write_row((node, entry, kind, ref_id, version, digest, chained, body))
        conn.execute("delete from hub.nodes n where not exists (select 1 from hub.records r "
                     "where r.node_id = n.node_id)")  # the registering till itself: its records are the clones'


def _office(admin: str, work: Path, *, say, zone) -> None:
    from datetime import date

    from hub.connect import connect
    from hub.office import pull
    from pos import consolidated
    from pos.reports import session_report

    copy = consolidated.open_copy(consolidated.copy_path(work / "office.db"))
    started = time.perf_counter()
    with connect(admin) as conn:
        pulled = pull(conn, copy)
    say("federation_pull_records", pulled.records)
    say("federation_pull_s", f"{time.perf_counter() - started:.1f}")
    last = consolidated.last_day(copy)
    first = date(last.year, last.month, 1)
    started = time.perf_counter()
    ids = [row[0] for row in copy.execute("select id from till_sessions where business_date between ? and ? and "
                                          "closed_at is not null order by till_id, opened_at, id",
                                          [first.isoformat(), last.isoformat()])]
    month = session_report(copy, ids, zone=zone, vat_registered=False)
    say("federation_month_report_s", f"{time.perf_counter() - started:.2f}")
    say("federation_month_sales", month.sales_count)
    started = time.perf_counter()
    consolidated.z_report(copy, last, zone=zone, vat_registered=False)
    say("federation_day_z_s", f"{time.perf_counter() - started:.2f}")
    copy.close()
