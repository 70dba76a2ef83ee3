"""The office's consolidated copy (hub/office.py, pos/consolidated.py), on a real hub: two tills trade
for days and push, the office pulls, and each consolidated Z is the sum of the tills' own Zs."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from hub import office
from hub.connect import connect
from hub.push import push
from pos import consolidated
from pos.database import open_database
from pos.demo_trade import simulate
from pos.reports import session_report, sessions_on
from tests.hub.tills import register

ZONE = ZoneInfo("Europe/London")
FIRST = date(2026, 11, 16)
#: Every figure of a Z that adds up across tills.
SUMMED = ("sales_count", "gross_sales_pence", "discounts_pence", "refunds_count", "refunds_pence", "net_sales_pence",
          "pass_through_pence", "takings_pence", "voids_count", "voids_pence", "no_sales", "paid_in_pence",
          "paid_out_pence", "paid_forward", "claimed", "donations_pence", "time_credits", "share_capital_in_pence",
          "share_capital_out_pence", "dividend_paid_pence", "credit_paid_out_pence", "float_pence",
          "cash_sales_pence", "cash_expected_pence", "cash_counted_pence", "cash_difference_pence")


def _till(tmp_path, hub_url, till_id: str, *, first: bool):
    path = tmp_path / f"{till_id}.db"
    open_database(path).close()
    return path, register(hub_url, path, till_id, first=first)


def _trade(path, till_id: str, days: int, until: date, seed: int) -> None:
    db = open_database(path)
    simulate(db, days=days, seed=seed, until=until, till_id=till_id, zone=ZONE)
    db.close()


def _push(path, conninfo: str) -> None:
    db = open_database(path)
    with connect(conninfo) as conn:
        push(db, conn)
    db.close()


def _pull(hub_url, copy) -> office.Pulled:
    with psycopg.connect(hub_url, autocommit=True) as conn:
        return office.pull(conn, copy)


def _own_z(path, till_id: str, day: date):
    db = open_database(path)
    try:
        ids = sessions_on(db, till_id, day.isoformat())
        return session_report(db, ids, zone=ZONE, vat_registered=False) if ids else None
    finally:
        db.close()


def _assert_sum(copy, paths: dict, day: date) -> None:
    mine = consolidated.z_report(copy, day, zone=ZONE, vat_registered=False)
    theirs = [z for z in (_own_z(path, till_id, day) for till_id, path in paths.items()) if z is not None]
    assert theirs, f"no till traded on {day}"
    for name in SUMMED:
        assert getattr(mine, name) == sum(getattr(z, name) for z in theirs), (day, name)
    tenders: dict[str, int] = {}
    for z in theirs:
        for kind, pence in z.tenders.items():
            tenders[kind] = tenders.get(kind, 0) + pence
    assert mine.tenders == tenders
    assert mine.till == (consolidated.ALL_TILLS if len(theirs) > 1 else theirs[0].till)


@pytest.fixture
def two_tills(tmp_path, hub_url):
    tills = {till_id: _till(tmp_path, hub_url, till_id, first=n == 0) for n, till_id in enumerate(("till-1", "till-2"))}
    for n, (till_id, (path, conninfo)) in enumerate(tills.items()):
        _trade(path, till_id, 3, FIRST + timedelta(days=2), seed=n)
        _push(path, conninfo)
    copy = consolidated.open_copy(consolidated.copy_path(tmp_path / "office.db"))
    yield tills, copy
    copy.close()


def test_a_consolidated_z_is_the_sum_of_the_tills_zs_to_the_penny(two_tills, hub_url):
    tills, copy = two_tills
    pulled = _pull(hub_url, copy)
    assert pulled.records > 0 and set(pulled.tills) == {"till-1", "till-2"} and pulled.flagged == []
    paths = {till_id: path for till_id, (path, _) in tills.items()}
    for offset in range(3):
        _assert_sum(copy, paths, FIRST + timedelta(days=offset))
    # Every sale of both tills is in the copy once, under its own till and number.
    for till_id, path in paths.items():
        db = open_database(path)
        theirs = db.execute("select sale_number, total_pence, business_date from sales order by 1").fetchall()
        db.close()
        assert copy.execute("select sale_number, total_pence, business_date from sales where till_id = ? order by 1",
                            [till_id]).fetchall() == theirs


def test_pulling_again_takes_nothing_twice_and_journals_nothing(two_tills, hub_url):
    tills, copy = two_tills
    _pull(hub_url, copy)
    before = {table: copy.execute(f"select count(*) from {table}").fetchone()[0]
              for table in ("sales", "sale_lines", "tenders", "till_sessions", "stock_movements", "audit_log")}
    again = _pull(hub_url, copy)
    assert again.records == 0
    assert {table: copy.execute(f"select count(*) from {table}").fetchone()[0] for table in before} == before
    # The copy is not a till: nothing in it is journalled (so nothing could be pushed from it).
    assert copy.execute("select count(*) from journal").fetchone()[0] == 0
    # Ids made at both tills (sales 1, 2 … at each) do not collide in the copy.
    assert before["sales"] == sum(open_database(path).execute("select count(*) from sales").fetchone()[0]
                                  for path, _ in tills.values())


def test_a_till_apart_for_three_days_is_counted_in_its_days_and_said_late(two_tills, hub_url):
    tills, copy = two_tills
    _pull(hub_url, copy)
    paths = {till_id: path for till_id, (path, _) in tills.items()}
    outage = [FIRST + timedelta(days=3 + n) for n in range(3)]
    for n, (till_id, (path, _)) in enumerate(tills.items()):
        _trade(path, till_id, 6, outage[-1], seed=n)  # three more days at each till
    _push(*tills["till-1"])  # till-2 cannot reach the hub for those three days
    _pull(hub_url, copy)
    for day in outage:  # the office reports the days with what it has
        assert consolidated.late_note(copy, "z", day, day, "2026-11-22T18:00:00Z").startswith("No records")
        assert consolidated.z_report(copy, day, zone=ZONE, vat_registered=False).till == "till-1"
    _push(*tills["till-2"])  # the network is back
    caught_up = _pull(hub_url, copy)
    assert caught_up.late > 0
    for day in outage:
        _assert_sum(copy, paths, day)  # counted in the days they were sold, not the day they arrived
        db = open_database(paths["till-2"])
        sold = db.execute("select count(*) from sales where business_date = ?", [day.isoformat()]).fetchone()[0]
        db.close()
        note = consolidated.late_note(copy, "z", day, day, "2026-11-23T09:00:00Z")
        assert note.startswith(f"{sold + 1} records arrived late")  # its sales and its Z
        assert consolidated.late_note(copy, "z", day, day, "2026-11-23T09:05:00Z").startswith("No records")


def test_the_office_pulls_and_reports_every_till_from_the_command_line(two_tills, hub_url, tmp_path, capsys):
    import json

    from pos.cli import main

    tills, _ = two_tills
    office_db = ["--db", str(tmp_path / "office.db")]
    assert main([*office_db, "office", "pull", "--admin", hub_url]) == 0
    out = capsys.readouterr()
    assert "till-1:" in out.out and "till-2:" in out.out
    day = FIRST + timedelta(days=1)
    assert main([*office_db, "report", "z", "--all-tills", "--date", day.isoformat(), "--format", "json"]) == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    own = [_own_z(path, till_id, day) for till_id, (path, _) in tills.items()]
    assert report["till"] == "all tills" and report["net_sales_pence"] == sum(z.net_sales_pence for z in own)
    assert "No records arrived late" in out.err
    assert main([*office_db, "sales", "export", "--all-tills", "--from", day.isoformat(), "--to", day.isoformat(),
                 "--format", "json"]) == 0
    lines = json.loads(capsys.readouterr().out)
    assert {line["till"] for line in lines} == {"till-1", "till-2"}
    assert sum(line["line_total_pence"] for line in lines) == report["net_sales_pence"]
