from datetime import datetime

import pytest

from core.clock import stamp
from core.errors import TillError
from pos.basket import Basket
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.conftest import LONDON


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def open_till(db, clock, staff, products):
    return Till(db, clock=clock, zone=LONDON)


def test_a_shift_across_the_clocks_going_back_counts_real_time(db, open_till, staff, clock):
    # 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT.
    clock.moment = at("2026-10-24T22:00:00")
    open_till.start_shift(staff["volunteer"].id)
    clock.moment = at("2026-10-25T03:00:00")
    open_till.sign_out(staff["volunteer"].id)
    rows = open_till.shifts.hours(at("2026-10-01").date(), at("2026-10-31").date())
    assert [(r.name, r.month, r.minutes, r.hours) for r in rows] == [("Val Test", "2026-10", 6 * 60, "6:00")]


def test_across_midnight_and_month_end_counts_in_the_month_it_started(db, open_till, staff, clock):
    clock.moment = at("2026-03-31T22:30:00")
    open_till.start_shift(staff["volunteer"].id)
    clock.moment = at("2026-04-01T01:15:00")  # and the clocks went forward on 29 March: BST both ends
    open_till.sign_out(staff["volunteer"].id)
    rows = open_till.shifts.hours(at("2026-03-01").date(), at("2026-04-30").date())
    assert [(r.month, r.minutes, r.credits) for r in rows] == [("2026-03", 165, 2)]


def test_the_z_closes_forgotten_shifts_with_a_flag_not_a_long_day(db, open_till, staff, clock):
    clock.moment = at("2026-11-20T09:00:00")
    open_till.start_shift(staff["volunteer"].id)
    open_till.start_shift(staff["manager"].id)
    open_till.open_session(5000, operator_id=staff["manager"].id)
    clock.moment = at("2026-11-20T11:30:00")
    basket = Basket()
    open_till.scan(basket, "T1")
    open_till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)], operator_id=staff["volunteer"].id)
    clock.moment = at("2026-11-20T23:00:00")  # the volunteer never signed out
    open_till.close_session(5120, operator_id=staff["manager"].id)
    shifts = {s.volunteer_id: s for s in open_till.shifts._shifts()}
    forgotten, closer = shifts[staff["volunteer"].id], shifts[staff["manager"].id]
    assert forgotten.needs_check and forgotten.minutes == 150  # to their last sale, not 14 hours
    assert not closer.needs_check and closer.minutes == 14 * 60
    assert open_till.shifts.hours(at("2026-11-01").date(), at("2026-11-30").date())[1].to_check == 1


def test_a_managers_correction_is_kept_beside_the_original(db, open_till, staff, clock):
    clock.moment = at("2026-11-20T09:00:00")
    open_till.start_shift(staff["volunteer"].id)
    clock.moment = at("2026-11-20T09:05:00")
    open_till.sign_out(staff["volunteer"].id)
    shift = open_till.shifts.for_volunteer(staff["volunteer"].id)[0]
    with pytest.raises(TillError, match="say why"):
        open_till.shifts.correct(shift.id, started_at=shift.started_at, ended_at=stamp(at("2026-11-20T13:00:00")),
                                 by=staff["manager"].id, reason=" ", at=open_till.now())
    with pytest.raises(TillError, match="16 hours"):
        open_till.shifts.correct(shift.id, started_at=shift.started_at, ended_at=stamp(at("2026-11-21T13:00:00")),
                                 by=staff["manager"].id, reason="x", at=open_till.now())
    fixed = open_till.shifts.correct(shift.id, started_at=shift.started_at,
                                     ended_at=stamp(at("2026-11-20T13:00:00")), by=staff["manager"].id,
                                     reason="signed out by mistake at 9:05", at=open_till.now())
    assert fixed.minutes == 240 and fixed.corrected
    assert db.execute("select ended_at from shifts where id = ?", [shift.id]).fetchone()[0] == stamp(
        at("2026-11-20T09:05:00"))
