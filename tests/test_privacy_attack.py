"""The centre's figures against an exact attacker (tests/privacy_attacker.py): no count of 1 to 4
may be worked out, from one long export or from many overlapping ones.

BEFORE: the exports as the till made them up to schema version 1 (rounding to 5, "<5", exact
secondary suppression), kept in tests/data/centre-published-before.json.gz: one export of the
whole 57-week demo history (tests/data/centre-history.json) and 21 overlapping four-week exports
ending on each of its last 21 days. The attacker pins small counts in both; these tests keep
proving that it can.

AFTER: the same history released as the till releases it now (centre.release): one long export,
then every whole week and month and the Reports screen's periods into one database, attacked with
everything recorded as released. Nothing small can be pinned.
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from centre.export import prepare, to_json
from centre.figures import Figures
from centre.release import months_in
from centre.report_text import period
from pos.database import open_database
from tests import privacy_attacker as attacker
from tests.conftest import LONDON
from tests.privacy_history import load

BEFORE = Path(__file__).parent / "data" / "centre-published-before.json.gz"


@pytest.fixture(scope="module")
def history():
    return load()


@pytest.fixture(scope="module")
def before():
    with gzip.open(BEFORE, "rt") as kept:
        return json.load(kept)


def test_before_one_long_export_gave_small_counts_away(history, before):
    found = attacker.attack(attacker.pool([before["single"]]), history, attacker.rules_before())
    assert found.checked == 1441
    assert len(found.pinned) == 12
    # Each one pinned really is that count: the attacker is exact, not lucky.
    assert all(1 <= value <= 4 for _, value in found.pinned)


def test_before_overlapping_exports_gave_more_away(history, before):
    found = attacker.attack(attacker.pool(before["windows"]), history, attacker.rules_before())
    assert found.checked == 347
    assert len(found.pinned) == 15


# AFTER: the same history released as the till now releases it ------------------------------------

NOW = datetime(2026, 11, 30, 9, tzinfo=LONDON)


def part(history, first, last):
    """The history's figures for one period, as centre.figures.gather would give them."""
    figures = Figures(first=first, last=last)
    for day in figures.days:
        figures.daily[day] = history.daily[day]
    for (ref, day), n in history.signposts.items():
        if first <= day <= last and n:
            figures.signposts[(ref, day)] = n
            figures.services[ref] = history.services[ref]
    return figures


def export(db, history, first, last, kind="export") -> dict:
    return json.loads(to_json(prepare(db, part(history, first, last), threshold=5, society="Demo",
                                      generated_at=NOW, kind=kind)))


def recorded(db) -> dict:
    """Every cell the till has recorded as released, as the attacker names them."""
    cells = {}
    for kind, first, last, about, value in db.execute(
            "select kind, first, last, subject, value from centre_released_cells"):
        key = ("s", about.split("/", 1)[1], first, last) if kind.startswith("service") else ("m", about, first, last)
        cells[key] = {int(value) if value.isdigit() else value}
    return cells


def test_after_one_long_export_gives_no_small_count_away(history, tmp_path):
    db = open_database(tmp_path / "till.db")
    document = export(db, history, history.first, history.last)
    assert document["schema_version"] == 2 and document["disclosure"]["total"] == "sum of published parts"
    found = attacker.attack(attacker.pool([document]), history, attacker.rules_noise())
    assert found.checked > 1000
    assert found.pinned == []


def test_after_every_week_month_and_screen_period_together_give_no_small_count_away(history, tmp_path):
    db = open_database(tmp_path / "till.db")
    documents = []
    monday = history.first
    while monday + timedelta(days=6) <= history.last:  # every whole week, as it ended
        documents.append(export(db, history, monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    for first, last in months_in(history.first, history.last):  # every whole month
        documents.append(export(db, history, first, last))
    for days_back in range(0, 399, 7):  # the screen's periods, as centre staff would have seen them
        today = history.last + timedelta(days=1 - days_back)
        for preset in ("four_weeks", "twelve_weeks", "three_months"):
            first, last = period(preset, today)
            if first >= history.first:
                documents.append(export(db, history, first, last, kind="screen"))
    assert len(documents) > 150
    cells = attacker.pool(documents)
    for key, values in recorded(db).items():  # and all that is recorded as released
        cells.setdefault(key, set()).update(values)
    found = attacker.attack(cells, history, attacker.rules_noise())
    assert found.checked > 1000
    assert found.pinned == []
