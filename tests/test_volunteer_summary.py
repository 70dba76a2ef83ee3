"""A volunteer's own summary: shifts and hours over a period, time credits and their history, certificates
and what runs out soon, coming shifts and offers; someone else's only for a shift lead or manager."""

from datetime import date, datetime

import pytest

from pos.basket import Basket
from pos.till import Till
from tests.conftest import LONDON
from volunteers.certificates import Certificates
from volunteers.offers import Offers
from volunteers.permissions import NeedsApproval
from volunteers.summary import summary

AT = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def worked(db, clock, staff, products) -> Till:
    """Val gave 3:30 on 18 November and 2:00 on 2 October, and spends one credit on the 20th."""
    till = Till(db, clock=clock, zone=LONDON, time_credits_per_hour=1, time_credit_categories=frozenset({"Cakes"}))
    val = staff["volunteer"].id
    for day, start, end in ((date(2026, 10, 2), (9, 0), (11, 0)), (date(2026, 11, 18), (9, 0), (12, 30))):
        clock.moment = datetime(day.year, day.month, day.day, *start, tzinfo=LONDON)
        till.start_shift(val)
        clock.moment = datetime(day.year, day.month, day.day, *end, tzinfo=LONDON)
        till.sign_out(val)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    till.open_session(5000, operator_id=staff["manager"].id)
    till.volunteers.set_pin(val, "2468")
    basket = Basket()
    till.scan(basket, "K2")  # a cake, £1.80: one credit pays for it
    till.complete_sale(basket, [till.time_credit_tender(basket, val, "2468", 1)], operator_id=staff["manager"].id)
    certificates = Certificates(till.db)
    certificates.record(val, "Food hygiene", certified_on=date(2023, 12, 1), expires_on=date(2026, 12, 1),
                             by=staff["manager"].id, at=AT)
    certificates.record(val, "First aid", certified_on=date(2025, 1, 1), expires_on=date(2028, 1, 1),
                             by=staff["manager"].id, at=AT)
    return till


def test_a_volunteers_hours_credits_and_certificates_for_a_period(worked, staff):
    val = staff["volunteer"].id
    mine = summary(worked, worked.time_credits, val, viewer_id=val, first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert (mine.name, len(mine.shifts), mine.hours, mine.to_check) == ("Val Test", 1, "3:30", 0)
    whole_year = summary(worked, worked.time_credits, val, viewer_id=val, first=date(2026, 1, 1),
                         last=date(2026, 12, 31))
    assert whole_year.hours == "5:30"
    sale_number = worked.db.execute("select sale_number from sales").fetchone()[0]
    assert mine.credits == 2 + 3 - 1  # earned by the hour in each month, less one spent
    assert [(line.on, line.what, line.credits) for line in mine.credit_history] == [
        (date(2026, 10, 1), "earned for 2:00 given in 2026-10", 2),
        (date(2026, 11, 1), "earned for 3:30 given in 2026-11", 3),
        (date(2026, 11, 20), f"spent at sale {sale_number}", -1)]
    assert [(line.certificate.kind, line.state) for line in mine.certificates] == [
        ("First aid", "current"), ("Food hygiene", "expiring")]
    assert mine.expiring == ["Food hygiene expires on 01/12/2026"]


def test_their_coming_shifts_and_offers(worked, staff):
    val, boss = staff["volunteer"].id, staff["manager"].id
    offers = Offers(worked)
    café = offers.rota.add_slot("tue", "09:00", "13:00", needed=2, label="Café", operator_id=boss)
    shop = offers.rota.add_slot("sat", "10:00", "14:00", needed=1, label="Shop", operator_id=boss)
    offers.rota.put_on(café.id, val, week_of=None, operator_id=boss)
    offers.offer(shop.id, date(2026, 11, 28), volunteer_id=val)
    mine = summary(worked, worked.time_credits, val, viewer_id=val, first=date(2026, 11, 1),
                   last=date(2026, 11, 30), weeks_ahead=2)
    assert [(p.on, p.slot.label) for p in mine.coming] == [(date(2026, 11, 24), "Café"), (date(2026, 12, 1), "Café")]
    assert [(o.on, o.slot.label, o.waiting) for o in mine.offers] == [(date(2026, 11, 28), "Shop", True)]


def test_someone_elses_summary_only_for_a_shift_lead_or_manager(worked, staff):
    from volunteers.people import Role

    val, boss = staff["volunteer"].id, staff["manager"].id
    kim = worked.volunteers.add("Kim Other", Role.volunteer, at=AT)
    with pytest.raises(NeedsApproval):
        summary(worked, worked.time_credits, val, viewer_id=kim.id, first=date(2026, 11, 1), last=date(2026, 11, 30))
    seen = summary(worked, worked.time_credits, val, viewer_id=boss, first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert seen.hours == "3:30"
