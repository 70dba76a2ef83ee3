"""The reach dashboard's benchmark, for benchmarks/run.py (`--only web-dashboard`, and in the full and web runs):

- web_dashboard_p95_ms: centre staff's dashboard for the last 12 whole weeks, signed in, over HTTP through the
  whole app (session, the role check, the figures counted by centre/figures.py, released under disclosure
  control by centre/release.py and recorded, the template) on the three-year database, the day after its last;
  web_dashboard_ratio: that against the bare SQL that counts the same figures (what no page can beat);
- web_dashboard_exact_p95_ms and web_dashboard_exact_ratio: the same page as a manager sees it (the true
  counts, nothing released), whose visits the bare SQL's are checked to equal, so both compare the same work.
Both pages and the SQL are timed in turn in the same run, so they see the same machine.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.web import p95

PASSWORD = "a benchmark password"
PAGE = "/reach?period=twelve_weeks"


def reach_by_sql(db: sqlite3.Connection, start: str, end: str, first: date, last: date) -> dict:
    """The dashboard's figures with nothing but SQL (UTC days: the same rows and sums, the page's local days
    aside): visits by day, people in by day and kind, signposts by day and service, the society's counts."""
    visits = db.execute(
        "select substr(created_at, 1, 10), count(*), sum(member_number is not null), sum(family_under5),"
        " sum(first_visit), strftime('%H', created_at) from sales where kind = 'sale' and created_at >= ?"
        " and created_at < ? group by 1, 6", [start, end]).fetchall()
    people = db.execute(
        "select substr(at, 1, 10), kind, count(*), sum(family_under5), sum(first_visit) from tallies"
        " where undone_at is null and at >= ? and at < ? group by 1, 2", [start, end]).fetchall()
    signposts = db.execute(
        "select substr(at, 1, 10), service_ref, count(*), sum(family_under5) from signposts"
        " where undone_at is null and at >= ? and at < ? group by 1, 2", [start, end]).fetchall()
    members = db.execute(
        "select sum(admitted_on <= ? and (ceased_on is null or ceased_on > ?)), sum(admitted_on between ? and ?)"
        " from members", [last.isoformat(), last.isoformat(), first.isoformat(), last.isoformat()]).fetchone()
    minutes = db.execute(
        "select coalesce(sum((julianday(ended_at) - julianday(started_at)) * 1440), 0) from shifts"
        " where started_at >= ? and started_at < ? and ended_at is not null", [start, end]).fetchone()
    capital = db.execute(
        "select kind, sum(amount_pence) from cash_movements where created_at >= ? and created_at < ?"
        " and kind in ('share_capital_in', 'share_capital_out') group by kind", [start, end]).fetchall()
    return {"visits": sum(row[1] for row in visits), "people": people, "signposts": signposts,
            "members": members, "minutes": minutes, "capital": capital}


def _signed_in(app, login: str):
    from starlette.testclient import TestClient

    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/sign-in").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    signed = client.post("/sign-in", data={"csrf": token, "login": login, "password": PASSWORD})
    assert signed.status_code == 303, signed.text
    return client


def bench_dashboard(source: Path, rounds: int, *, say, zone: ZoneInfo, until: date) -> None:
    from access.accounts import WebAccess
    from centre.footfall import day_bounds
    from centre.report_text import period
    from core.clock import SimulatedClock
    from pos.config import Settings, WebSettings
    from pos.shop import Shop
    from pos.web.app import create_app
    from volunteers.people import Role

    work = Path(tempfile.mkdtemp(prefix="till-bench-dashboard-"))
    try:
        path = work / "till.db"
        shutil.copy(source, path)
        raw = sqlite3.connect(path)
        today = until + timedelta(days=1)
        shop = Shop.open(Settings(db=path, receipts_dir=work / "receipts"),
                         clock=SimulatedClock(datetime.combine(today, clock_time(10), tzinfo=zone)))
        try:
            access = WebAccess.for_codes(shop.db, shop.clock)
            logins = {}
            for role in (Role.centre_staff, Role.manager):
                person = next(v for v in shop.volunteers.all() if role in v.roles)  # the demo's Chris Lowe, Sam Ortiz
                access.set_password_with_code(person.name, access.issue_staff_code(person, by="benchmark"),
                                              PASSWORD, PASSWORD, address="127.0.0.1")
                logins[role] = person.name
            app = create_app(shop, WebSettings(secret_file=work / "secret"), b"s" * 32)
            centre, manager = _signed_in(app, logins[Role.centre_staff]), _signed_in(app, logins[Role.manager])
            first, last = period("twelve_weeks", today)
            start, end = day_bounds(first, zone)[0], day_bounds(last, zone)[1]
            figures = reach_by_sql(raw, start, end, first, last)
            exact = manager.get(PAGE).text
            # The page and the bare SQL agree, so the ratio compares the same work.
            assert f'<th scope="row">Visits (every sale)</th><td>{figures["visits"]}</td>' in exact, figures["visits"]
            assert "as released to the centre" in centre.get(PAGE).text
            released, true, bare = [], [], []
            for _ in range(rounds):  # in turn: all three see the same machine
                started = time.perf_counter()
                answer = centre.get(PAGE)
                released.append(time.perf_counter() - started)
                assert answer.status_code == 200
                started = time.perf_counter()
                answer = manager.get(PAGE)
                true.append(time.perf_counter() - started)
                assert answer.status_code == 200
                started = time.perf_counter()
                reach_by_sql(raw, start, end, first, last)
                bare.append(time.perf_counter() - started)
        finally:
            shop.close()
            raw.close()
        say("web_dashboard_weeks", f"{((last - first).days + 1) // 7}")
        say("web_dashboard_visits", figures["visits"])
        say("web_dashboard_p95_ms", f"{p95(released) * 1000:.1f}")
        say("web_dashboard_sql_p95_ms", f"{p95(bare) * 1000:.2f}")
        say("web_dashboard_ratio", f"{p95(released) / p95(bare):.1f}")
        say("web_dashboard_exact_p95_ms", f"{p95(true) * 1000:.1f}")
        say("web_dashboard_exact_ratio", f"{p95(true) / p95(bare):.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
