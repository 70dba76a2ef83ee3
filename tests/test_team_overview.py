"""Everyone's hours and the training that runs out, as the board and the treasurer read them on the web
(volunteers.summary.everyones_hours, volunteers.certificates.Certificates.due)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.conftest import LONDON
from volunteers.certificates import Certificates, Due
from volunteers.people import Role, Volunteers
from volunteers.permissions import NeedsApproval
from volunteers.shifts import Shifts
from volunteers.summary import everyones_hours

AT = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def shifts(till, clock, staff):
    """Val gave 3:30 on 18 November and Morgan 2:00 on 2 October."""
    for who, day, start, end in ((staff["volunteer"].id, date(2026, 11, 18), (9, 0), (12, 30)),
                                 (staff["manager"].id, date(2026, 10, 2), (9, 0), (11, 0))):
        clock.moment = datetime(day.year, day.month, day.day, *start, tzinfo=LONDON)
        till.start_shift(who)
        clock.moment = datetime(day.year, day.month, day.day, *end, tzinfo=LONDON)
        till.sign_out(who)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    return Shifts(till.db, LONDON)


def test_a_board_member_sees_everyones_hours_and_credits_per_month(till, staff, shifts):
    board = till.volunteers.add("Bea Board", Role.board_member, at=AT)
    rows = everyones_hours(till.volunteers, shifts, viewer_id=board.id, first=date(2026, 1, 1),
                           last=date(2026, 11, 20), credits_per_hour=2)
    assert [(r.name, r.month, r.hours, r.credits) for r in rows] == [
        ("Morgan Test", "2026-10", "2:00", 4), ("Val Test", "2026-11", "3:30", 7)]
    november = everyones_hours(till.volunteers, shifts, viewer_id=board.id, first=date(2026, 11, 1),
                               last=date(2026, 11, 30), credits_per_hour=1)
    assert [r.name for r in november] == ["Val Test"]


def test_a_volunteer_may_not_see_everyones_hours(till, staff, shifts):
    with pytest.raises(NeedsApproval):
        everyones_hours(till.volunteers, shifts, viewer_id=staff["volunteer"].id, first=date(2026, 1, 1),
                        last=date(2026, 11, 20), credits_per_hour=1)


def test_training_due_lists_the_expired_and_what_runs_out_within_the_days_asked(db, staff):
    training = Certificates(db)
    val, boss = staff["volunteer"].id, staff["manager"].id
    training.record(val, "Food hygiene", certified_on=date(2023, 11, 1), expires_on=date(2026, 11, 1), by=boss, at=AT)
    training.record(val, "First aid", certified_on=date(2024, 1, 1), expires_on=date(2026, 12, 10), by=boss, at=AT)
    training.record(boss, "First aid", certified_on=date(2024, 1, 1), expires_on=date(2027, 3, 1), by=boss, at=AT)
    training.record(boss, "Till training", certified_on=date(2026, 1, 1), expires_on=None, by=boss, at=AT)
    today = date(2026, 11, 20)
    assert training.due(today, 30) == [Due("Val Test", "Food hygiene", date(2026, 11, 1), expired=True),
                                       Due("Val Test", "First aid", date(2026, 12, 10), expired=False)]
    assert [d.name for d in training.due(today, 120)] == ["Val Test", "Val Test", "Morgan Test"]
    assert training.due(today, 0) == [Due("Val Test", "Food hygiene", date(2026, 11, 1), expired=True)]
    # Renewed: the newest of a kind counts; someone who has left is no one's worry.
    training.record(val, "Food hygiene", certified_on=today, expires_on=date(2029, 11, 20), by=boss, at=AT)
    assert [d.kind for d in training.due(today, 30)] == ["First aid"]
    Volunteers(db).retire(val, on=today.isoformat())
    assert training.due(today, 30) == []
