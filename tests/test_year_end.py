"""The co-op's year end (pos/year_end.py): each figure checked against a count made here from the raw
records, the parts adding up to the whole, and the command's text, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from core.clock import from_stamp
from pos.config import load_settings
from pos.database import open_database
from pos.year_end import NOT_KNOWN, year_end
from tests.conftest import LONDON
from tests.demo_year import YEAR_ENDING, year_path

FIRST, LAST = date(2025, 11, 1), YEAR_ENDING


@pytest.fixture(scope="module")
def year_db(tmp_path_factory):
    db = open_database(year_path(tmp_path_factory))
    yield db
    db.close()


@pytest.fixture(scope="module")
def found(year_db):
    return year_end(year_db, load_settings(), LAST)


def test_the_year_is_the_twelve_months_to_the_year_end(found):
    assert (found.first, found.last) == (FIRST, LAST)


def test_members_against_the_register_counted_here(year_db, found):
    rows = [(date.fromisoformat(a), c and date.fromisoformat(c))
            for a, c in year_db.execute("select admitted_on, ceased_on from members")]

    def member_on(day):
        return sum(a <= day and (c is None or c > day) for a, c in rows)

    m = found.members
    assert m.at_start == member_on(date(2025, 10, 31)) > 0 and m.at_end == member_on(LAST)
    assert m.joined == sum(FIRST <= a <= LAST for a, _ in rows) > 0
    assert m.ceased == sum(c is not None and FIRST <= c <= LAST for _, c in rows)
    assert m.at_start + m.joined - m.ceased == m.at_end


def test_share_capital_against_the_ledger_counted_here(year_db, found):
    value = load_settings().coop.share_value_pence
    ledger = list(year_db.execute("select on_date, kind, shares from share_ledger"))
    s = found.share_capital
    assert s.at_start_pence == value * sum(n for on, _, n in ledger if on < FIRST.isoformat()) > 0
    assert s.issued_for_cash_pence == value * sum(n for on, k, n in ledger
                                                  if k == "purchase" and FIRST.isoformat() <= on <= LAST.isoformat())
    assert s.at_start_pence + s.issued_for_cash_pence + s.issued_as_dividend_pence - s.withdrawn_pence \
        == s.at_end_pence
    assert found.withdrawals.requested == sum(k == "withdrawal_request" and FIRST.isoformat() <= on <= LAST.isoformat()
                                              for on, k, _ in ledger)
    assert found.withdrawals.pending_at_end >= 1  # withdrawals are suspended in the demo: none is paid


def test_the_dividend_declared_in_january_is_in_the_year(year_db, found):
    runs = [run for run, at in year_db.execute("select id, declared_at from dividends")
            if FIRST <= from_stamp(at).astimezone(LONDON).date() <= LAST]
    parts = sum(year_db.execute("select sum(part_pence) from dividend_parts where dividend_id = ?", [run]).fetchone()[0]
                for run in runs)
    d = found.dividend
    assert d.declared == len(runs) == 1 and d.declared_pence > 0
    assert d.as_credit_pence + d.as_shares_pence + d.as_cash_pence == d.declared_pence
    assert parts == d.declared_pence


def test_trading_volunteering_and_footfall_against_counts_made_here(year_db, found):
    takings = sum(total for total, passing, day in year_db.execute(
        "select l.line_total_pence, l.pass_through, s.business_date from sale_lines l join sales s on s.id = l.sale_id")
        if not passing and FIRST.isoformat() <= day <= LAST.isoformat())
    t = found.trading
    assert t.takings_pence == takings and t.output_vat_pence == 0  # the demo society is not registered
    assert t.surplus_known_pence == takings - t.paid_out_pence and t.not_known == NOT_KNOWN
    minutes, people = 0, set()
    for volunteer, start, end in year_db.execute("select volunteer_id, started_at, ended_at from shifts"):
        if end and FIRST <= from_stamp(start).astimezone(LONDON).date() <= LAST:
            minutes += int((from_stamp(end) - from_stamp(start)).total_seconds() // 60)
            people.add(volunteer)
    assert not year_db.execute("select 1 from shift_corrections").fetchone()  # else the raw count would differ
    assert (found.volunteering.minutes, found.volunteering.volunteers) == (minutes, len(people))
    visits = sum(FIRST <= from_stamp(at).astimezone(LONDON).date() <= LAST
                 for (at,) in year_db.execute("select created_at from sales where kind = 'sale'"))
    assert found.footfall["visits"] == visits > 0


def run(capsys, monkeypatch, pin, *argv):
    from pos.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{pin}\n"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_in_text_csv_and_json(tmp_path_factory, found, capsys, monkeypatch):
    base = ["--db", str(year_path(tmp_path_factory)), "year-end", "--year-ending", "31/10/2026"]
    code, _, err = run(capsys, monkeypatch, "2222", *base, "--by", "Priya Kell")
    assert code == 1 and "needs a manager" in err
    code, out, _ = run(capsys, monkeypatch, "1111", *base, "--by", "Sam Ortiz", "--format", "json")
    assert code == 0 and json.loads(out) == json.loads(found.model_dump_json())
    code, out, _ = run(capsys, monkeypatch, "1111", *base, "--by", "Sam Ortiz", "--format", "csv")
    rows = {(r["section"], r["figure"]): int(r["value"]) for r in csv.DictReader(io.StringIO(out))}
    assert code == 0 and rows[("members", "at the end")] == found.members.at_end
    assert rows[("share capital", "at the end")] == found.share_capital.at_end_pence
    code, out, _ = run(capsys, monkeypatch, "1111", *base, "--by", "Sam Ortiz")
    assert code == 0 and "year end, 01/11/2025 to 31/10/2026" in out and "SHARE CAPITAL" in out
    assert "Not known to the till" in out


def test_the_year_end_chosen_is_the_last_31_march_until_another_is_typed():
    from core.errors import TillError
    from pos.year_end import year_ending

    assert year_ending(None, today=date(2026, 11, 20)) == date(2026, 3, 31)
    assert year_ending("", today=date(2026, 3, 31)) == date(2025, 3, 31)  # that day's year is not over
    assert year_ending(None, today=date(2026, 4, 1)) == date(2026, 3, 31)
    assert year_ending("2026-10-31", today=date(2026, 11, 20)) == date(2026, 10, 31)
    assert year_ending("2026-11-20", today=date(2026, 11, 20)) == date(2026, 11, 20)  # the year so far
    for typed, said in [("31/10/2026", "a day of the calendar"), ("2026-02-29", "a day of the calendar"),
                        ("2026-11-21", "still to come"), ("0001-12-31", "no books from before 1900")]:
        with pytest.raises(TillError, match=said):
            year_ending(typed, today=date(2026, 11, 20))
