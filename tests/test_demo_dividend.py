"""The demo's board business across a new year: last year's dividend is declared by someone the actions ×
roles table lets declare one (the board or the treasurer), not by the morning's shift lead, whom the core
refuses (a demo of more than a year, such as the benchmarks' three years, stopped there)."""

from __future__ import annotations

from datetime import date

from pos.demo_trade import simulate
from tests.conftest import LONDON
from volunteers.people import Volunteers
from volunteers.permissions import Action, may


def test_a_demo_across_the_new_year_declares_last_years_dividend_by_the_board(db):
    simulate(db, days=20, seed=1, until=date(2026, 1, 10), till_id="till-1", zone=LONDON)
    declared = db.execute("select period_to, declared_by from dividends").fetchall()
    assert [row[0] for row in declared] == ["2025-12-31"]
    assert declared[0][1] == "Sam Ortiz"  # manager and board member
    assert may(Volunteers(db).by_name("Sam Ortiz").roles, Action.dividend)
