"""The rota: planned shifts each week, regulars, cover, away, and the gaps."""

from datetime import date

import pytest

from core.clock import monday_of
from core.errors import TillError
from volunteers.people import Role
from volunteers.permissions import NeedsApproval
from volunteers.rota import Rota, parse_day, parse_time

# The till fixture's clock says Friday 20 November 2026.
NEXT_TUESDAY = date(2026, 11, 24)


@pytest.fixture
def rota(till):
    return Rota(till)


@pytest.fixture
def people(till, staff):
    kim = till.volunteers.add("Kim Regular", Role.volunteer, at=till.now())
    return {"boss": staff["manager"].id, "val": staff["volunteer"].id, "kim": kim.id}


def test_a_week_shows_who_is_on_and_the_gaps(rota, people):
    morning = rota.add_slot("tue", "9:00", "13:00", needed=2, label="Café morning", operator_id=people["boss"])
    rota.add_slot("Sat", "10.00", "1400", needed=1, label="Shop", operator_id=people["boss"])
    rota.put_on(morning.id, people["kim"], week_of=None, operator_id=people["boss"])
    week = rota.week(NEXT_TUESDAY)
    assert [p.describe() for p in week] == [
        "Tue 24 Nov 09:00-13:00 Café morning: Kim Regular  NEEDS 1 MORE",
        "Sat 28 Nov 10:00-14:00 Shop: nobody yet  NEEDS 1 MORE",
    ]
    rota.cover(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])  # Val steps up, one week only
    assert rota.week(NEXT_TUESDAY)[0].gap == 0
    assert rota.week(date(2026, 12, 1))[0].covering == [(people["kim"], "Kim Regular")]
    # The fortnight from Friday 20th: Saturdays have nobody, Tuesday 1st has only Kim.
    assert [p.on for p in rota.gaps(date(2026, 11, 20), days=14)] == [date(2026, 11, 21), date(2026, 11, 28),
                                                                        date(2026, 12, 1)]


def test_away_for_a_week_and_back_again(rota, people):
    slot = rota.add_slot("tue", "09:00", "13:00", needed=1, label="Café", operator_id=people["boss"])
    rota.put_on(slot.id, people["kim"], week_of=None, operator_id=people["boss"])
    rota.away(slot.id, NEXT_TUESDAY, volunteer_id=people["kim"])
    assert rota.week(NEXT_TUESDAY)[0].covering == [] and rota.week(NEXT_TUESDAY)[0].gap == 1
    assert rota.week(date(2026, 12, 1))[0].gap == 0  # only that week
    rota.cover(slot.id, NEXT_TUESDAY, volunteer_id=people["kim"])  # can come after all
    assert rota.week(NEXT_TUESDAY)[0].covering == [(people["kim"], "Kim Regular")]
    with pytest.raises(TillError, match="already on it"):
        rota.cover(slot.id, NEXT_TUESDAY, volunteer_id=people["kim"])


def test_only_shift_leads_plan_and_volunteers_only_change_themselves(rota, people):
    with pytest.raises(NeedsApproval):
        rota.add_slot("mon", "09:00", "12:00", needed=1, label="x", operator_id=people["val"])
    slot = rota.add_slot("mon", "09:00", "12:00", needed=1, label="x", operator_id=people["val"],
                         approver_id=people["boss"])
    rota.put_on(slot.id, people["kim"], week_of=None, operator_id=people["boss"])
    with pytest.raises(NeedsApproval):
        rota.away(slot.id, date(2026, 11, 23), volunteer_id=people["kim"], operator_id=people["val"])
    with pytest.raises(TillError, match="not on that shift"):
        rota.away(slot.id, date(2026, 11, 23), volunteer_id=people["val"])


def test_bad_plans_are_refused_with_a_reason(rota, people):
    boss = people["boss"]
    with pytest.raises(TillError, match="not a day"):
        rota.add_slot("funday", "09:00", "12:00", needed=1, label="x", operator_id=boss)
    with pytest.raises(TillError, match="not a time"):
        rota.add_slot("mon", "9am", "12:00", needed=1, label="x", operator_id=boss)
    with pytest.raises(TillError, match="ends after"):
        rota.add_slot("mon", "12:00", "09:00", needed=1, label="x", operator_id=boss)
    slot = rota.add_slot("mon", "09:00", "12:00", needed=1, label="x", operator_id=boss)
    with pytest.raises(TillError, match="on Mondays"):
        rota.cover(slot.id, NEXT_TUESDAY, volunteer_id=people["val"])
    with pytest.raises(TillError, match="has gone"):
        rota.cover(slot.id, date(2026, 11, 16), volunteer_id=people["val"])
    assert rota.slots() == [slot]


def test_parsing_days_and_times():
    assert [parse_day(d) for d in ("mon", "Tuesday", "7", "SU")] == [0, 1, 6, 6]
    assert [parse_time(t) for t in ("9:00", "09.30", "1330", "0:05")] == ["09:00", "09:30", "13:30", "00:05"]
    assert monday_of(date(2026, 11, 29)) == date(2026, 11, 23)


def test_changing_the_rota_never_rewrites_weeks_gone_by(rota, people, till, clock):
    from datetime import datetime

    from tests.conftest import LONDON

    slot = rota.add_slot("mon", "09:00", "12:00", needed=1, label="x", operator_id=people["boss"])
    rota.put_on(slot.id, people["kim"], week_of=None, operator_id=people["boss"])  # on Friday 20th
    assert rota.week(date(2026, 11, 16))[0].covering == []  # Monday 16th had gone already
    assert rota.week(date(2026, 11, 23))[0].covering == [(people["kim"], "Kim Regular")]
    clock.moment = datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)
    rota.take_off(slot.id, people["kim"], operator_id=people["boss"])
    assert rota.week(date(2026, 11, 30))[0].covering == [(people["kim"], "Kim Regular")]  # she did it
    assert rota.week(date(2026, 12, 7))[0].covering == []
    with pytest.raises(TillError, match="has gone"):
        rota.put_on(slot.id, people["val"], week_of=date(2026, 11, 23), operator_id=people["boss"])
    rota.end_slot(slot.id, operator_id=people["boss"])
    with pytest.raises(TillError, match="taken off the rota"):
        rota.cover(slot.id, date(2026, 12, 7), volunteer_id=people["val"])
