"""Releasing the centre's figures: the same figure every time, recorded, audited, with a secret that stays in."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta

from centre.audit import narrow, pinned
from centre.export import prepare, to_csv, to_html, to_json
from centre.figures import MEASURES, Figures
from centre.report_text import RELEASED, period, step
from pos.database import open_database
from tests import privacy_attacker as attacker
from tests.conftest import LONDON
from tests.privacy_history import load

MONDAY = date(2026, 11, 2)
AT = datetime(2026, 12, 1, 9, tzinfo=LONDON)


def figures_of(first: date, last: date, daily) -> Figures:
    figures = Figures(first=first, last=last)
    for day in figures.days:
        figures.daily[day] = Counter({m: 0 for m in MEASURES}) + Counter(daily(day))
    return figures


def release(db, first, last, daily, kind="export") -> dict:
    return json.loads(to_json(prepare(db, figures_of(first, last, daily), threshold=5, society="S",
                                      generated_at=AT, kind=kind)))


def busy(day):  # a few dozen visits a day: most figures are rounded, not hidden
    n = 20 + day.day
    return {"visits": n, "member_visits": n // 3, "non_member_visits": n - n // 3, "first_visits": day.day % 5}


def test_asking_again_or_over_another_period_shows_the_same_figures(tmp_path):
    db = open_database(tmp_path / "till.db")
    week = release(db, MONDAY, MONDAY + timedelta(days=6), busy)
    again = release(db, MONDAY, MONDAY + timedelta(days=6), busy)
    month = release(db, date(2026, 11, 1), date(2026, 11, 30), busy)
    assert week["daily"] == again["daily"] and week["weekly"] == again["weekly"]
    by_day = {row["date"]: row for row in month["daily"]}
    assert all(by_day[row["date"]] == row for row in week["daily"])
    assert {w["start"]: w for w in month["weekly"]}[MONDAY.isoformat()] == week["weekly"][0]
    # The noise is real: some figure is not what plain rounding to 5 gives.
    plain = [(row[m] + 2) // 5 * 5 for row in figures_rows(busy) for m in ("visits", "member_visits")]
    shown = [row[m] for row in month["daily"] for m in ("visits", "member_visits")]
    assert plain != shown


def figures_rows(daily):
    return [{m: daily(date(2026, 11, d)).get(m, 0) for m in MEASURES} for d in range(1, 31)]


def test_a_figure_once_released_is_shown_as_released_after_a_late_correction(tmp_path):
    db = open_database(tmp_path / "till.db")
    first = release(db, MONDAY, MONDAY + timedelta(days=6), busy)
    later = release(db, MONDAY, MONDAY + timedelta(days=6), lambda d: {**busy(d), "visits": busy(d)["visits"] + 3,
                                                                        "non_member_visits": busy(d)["non_member_visits"] + 3})
    assert later["daily"] == first["daily"]
    releases = db.execute("select first, last, kind, threshold from centre_releases").fetchall()
    assert releases == [("2026-11-02", "2026-11-08", "export", 5)] * 2
    cells = dict(db.execute("select cell, value from centre_released_cells").fetchall())
    assert cells["day:2026-11-02:visits"] == str(first["daily"][0]["visits"])
    assert len(cells) == 7 * 11 + 11  # each cell recorded once, however often it is shown


def test_the_secret_is_made_once_and_never_leaves(tmp_path):
    db = open_database(tmp_path / "till.db")
    figures = figures_of(MONDAY, MONDAY + timedelta(days=6), busy)
    published = prepare(db, figures, threshold=5, society="S", generated_at=AT)
    (secret,) = db.execute("select secret from disclosure_key").fetchone()
    prepare(db, figures, threshold=5, society="S", generated_at=AT)
    assert db.execute("select secret from disclosure_key").fetchall() == [(secret,)]
    assert len(secret) == 64
    for text in (to_csv(published), to_json(published), to_html(published)):
        assert secret not in text and secret[:16] not in text


def test_the_audit_narrows_intervals_through_the_sums():
    # A week shown "<5" whose four non-zero days each show "<5": each day must be 1.
    days = [("day", n) for n in range(4)]
    ranges = {("week", 0): (1, 4), **{d: (1, 4) for d in days}}
    sums = [(("week", 0), tuple(days))]
    assert narrow(ranges, sums)[days[0]] == (1, 1)
    assert pinned(ranges, sums, set(days)) == set(days)
    # A week shown 20 (16 to 24 with the noise) over four days of "<5": each must be 4.
    assert pinned({**ranges, ("week", 0): (16, 24)}, sums, set(days)) == set(days)
    # Hidden ("[c]": at least 1), the week pins nothing.
    assert pinned({**ranges, ("week", 0): (1, 10**9)}, sums, set(days)) == set()


def test_the_week_that_would_pin_its_days_is_hidden(tmp_path):
    db = open_database(tmp_path / "till.db")
    document = release(db, MONDAY, MONDAY + timedelta(days=6), lambda d: {"first_visits": 1} if d.weekday() < 4 else {})
    assert [row["first_visits"] for row in document["daily"]] == ["<5"] * 4 + [0] * 3
    assert document["weekly"][0]["first_visits"] == "[c]"
    figures = figures_of(MONDAY, MONDAY + timedelta(days=6), lambda d: {"first_visits": 1} if d.weekday() < 4 else {})
    assert attacker.attack(attacker.pool([document]), figures, attacker.rules_noise()).pinned == []


def test_the_screen_offers_fixed_calendar_periods_only():
    today = date(2026, 11, 20)  # a Friday
    for _, preset in RELEASED:
        first, last = period(preset, today)
        assert last < today
        assert (first.weekday(), last.weekday()) == (0, 6) or (first.day, (last + timedelta(days=1)).day) == (1, 1)
        earlier = step(first, last, -1)
        assert earlier[1] == first - timedelta(days=1)
    assert period("three_months", today) == (date(2026, 8, 1), date(2026, 10, 31))
    assert step(date(2026, 8, 1), date(2026, 10, 31), -1) == (date(2026, 5, 1), date(2026, 7, 31))


def test_the_long_history_exports_in_well_under_a_second(tmp_path):
    import time

    history = load()
    db = open_database(tmp_path / "till.db")
    started = time.perf_counter()
    prepare(db, history, threshold=5, society="S", generated_at=AT)
    assert time.perf_counter() - started < 5  # 57 weeks, perturbed, audited and recorded


def test_the_command_line_releases_whole_ended_weeks_and_months_only(capsys, demo_db):
    from tests.test_cli import run

    code, _, err = run(capsys, "--db", str(demo_db), "footfall", "export", "--from", "2026-11-17", "--to", "2026-11-19")
    assert code == 1 and "whole weeks (Monday to Sunday) or whole calendar months only" in err
    code, out, _ = run(capsys, "--db", str(demo_db), "footfall", "export", "--from", "2026-11-16", "--to", "2026-11-22")
    assert code == 0 and out.startswith("period,start,end,measure")
    db = open_database(demo_db)
    assert db.execute("select first, last, kind from centre_releases").fetchall() == [
        ("2026-11-16", "2026-11-22", "export")]


def test_every_tills_figures_and_one_tills_alone_are_never_both_released_for_the_same_days(tmp_path):
    import pytest

    from core.errors import TillError

    db = open_database(tmp_path / "till.db")
    release(db, MONDAY, MONDAY + timedelta(days=6), busy, kind="export (all tills)")
    count = db.execute("select count(*) from centre_releases").fetchone()[0]
    # The attacker's method: this till's own week, taken from every till's, would show the others' small counts.
    for kind in ("export", "screen"):
        with pytest.raises(TillError, match="every till's were released for some of these days already"):
            release(db, date(2026, 11, 1), date(2026, 11, 30), busy, kind=kind)
    assert db.execute("select count(*) from centre_releases").fetchone()[0] == count
    release(db, MONDAY + timedelta(days=7), MONDAY + timedelta(days=13), busy, kind="screen")  # other days: fine
    with pytest.raises(TillError, match="this till's alone were released"):
        release(db, MONDAY + timedelta(days=7), MONDAY + timedelta(days=13), busy, kind="export (all tills)")
