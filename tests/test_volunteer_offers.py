"""Offering to cover a gap in the rota: a volunteer offers, a shift lead accepts or declines; never for a
shift that is full, started or gone, or that needs a certificate the volunteer will not hold in date."""

from datetime import date, datetime

import pytest

from core.journal import verify
from tests.conftest import LONDON
from volunteers.offers import ACCEPTED, DECLINED, WITHDRAWN, OfferError, Offers
from volunteers.people import Role
from volunteers.permissions import NeedsApproval

# The till fixture's clock says Friday 20 November 2026, 10:00.
NEXT_TUESDAY = date(2026, 11, 24)
AT = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def people(till, staff):
    lead = till.volunteers.add("Lee Lead", Role.shift_lead, at=AT)
    kim = till.volunteers.add("Kim Regular", Role.volunteer, at=AT)
    return {"boss": staff["manager"].id, "val": staff["volunteer"].id, "kim": kim.id, "lead": lead.id}


@pytest.fixture
def offers(till):
    return Offers(till)


@pytest.fixture
def morning(offers, people):
    """Tuesday mornings in the café: two people, Kim on it every week, so one place to fill."""
    slot = offers.rota.add_slot("tue", "09:00", "13:00", needed=2, label="Café morning", operator_id=people["boss"])
    offers.rota.put_on(slot.id, people["kim"], week_of=None, operator_id=people["boss"])
    return slot


def test_an_offer_waits_for_a_shift_lead_who_puts_it_on_the_rota(offers, people, morning, till):
    offer = offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    assert offer.waiting and offers.waiting() == [offer]
    assert offers.rota.gaps(NEXT_TUESDAY, days=1)[0].gap == 1  # an offer is not cover yet
    assert "waiting for a shift lead" in offer.describe()

    accepted = offers.accept(offer.id, operator_id=people["lead"])
    assert (accepted.decision, accepted.decided_by) == (ACCEPTED, people["lead"])
    assert offers.rota.gaps(NEXT_TUESDAY, days=1) == []
    assert [name for _, name in offers.rota.week(NEXT_TUESDAY)[0].covering] == ["Kim Regular", "Val Test"]
    assert offers.rota.week(date(2026, 12, 1))[0].gap == 1  # one week only
    assert offers.waiting() == []
    assert till.db.execute("select detail from audit_log order by id desc limit 1").fetchone()[0] == (
        f"accepted offer {offer.id}: Val Test on slot {morning.id} for 2026-11-24")
    with pytest.raises(OfferError, match="was accepted already"):
        offers.decline(offer.id, operator_id=people["lead"])


def test_a_declined_or_withdrawn_offer_changes_nothing_on_the_rota(offers, people, morning):
    first = offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    assert offers.decline(first.id, operator_id=people["boss"]).decision == DECLINED
    again = offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])  # they may ask again
    with pytest.raises(OfferError, match="only the volunteer who made an offer"):
        offers.withdraw(again.id, volunteer_id=people["kim"])
    assert offers.withdraw(again.id, volunteer_id=people["val"]).decision == WITHDRAWN
    assert offers.rota.gaps(NEXT_TUESDAY, days=1)[0].gap == 1
    assert [o.decision for o in offers.of(people["val"])] == [DECLINED, WITHDRAWN]


def test_only_a_shift_lead_or_manager_answers_an_offer(offers, people, morning):
    offer = offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    with pytest.raises(NeedsApproval):
        offers.accept(offer.id, operator_id=people["kim"])
    with pytest.raises(NeedsApproval):
        offers.decline(offer.id, operator_id=people["val"])  # not even their own
    assert offers.get(offer.id).waiting
    assert offers.accept(offer.id, operator_id=people["kim"], approver_id=people["lead"]).decision == ACCEPTED


def test_no_offer_for_a_full_shift_nor_twice_nor_from_someone_already_on_it(offers, people, morning, till):
    with pytest.raises(OfferError, match="Kim Regular is already on that shift"):
        offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["kim"])
    offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    with pytest.raises(OfferError, match="already offered"):
        offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    offers.rota.cover(morning.id, NEXT_TUESDAY, volunteer_id=people["lead"])  # the lead takes the place
    sam = till.volunteers.add("Sam Late", Role.volunteer, at=AT)
    with pytest.raises(OfferError, match="that shift is full"):
        offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=sam.id)
    # Val's offer came before the shift filled: accepting it now is refused, saying what to do.
    waiting = offers.waiting()[0]
    with pytest.raises(OfferError, match="that shift is full: decline the offer instead"):
        offers.accept(waiting.id, operator_id=people["boss"])
    assert offers.get(waiting.id).waiting


def test_no_offer_for_a_shift_that_has_started_or_gone_or_on_the_wrong_day(offers, people, till, clock):
    friday = offers.rota.add_slot("fri", "09:00", "12:00", needed=1, label="Shop", operator_id=people["boss"])
    later = offers.rota.add_slot("fri", "14:00", "17:00", needed=1, label="Shop", operator_id=people["boss"])
    with pytest.raises(OfferError, match="has already started"):  # it is 10:00 on Friday
        offers.offer(friday.id, date(2026, 11, 20), volunteer_id=people["val"])
    with pytest.raises(OfferError, match="that day has gone"):
        offers.offer(friday.id, date(2026, 11, 13), volunteer_id=people["val"])
    with pytest.raises(OfferError, match="that shift is on Fridays"):
        offers.offer(friday.id, NEXT_TUESDAY, volunteer_id=people["val"])
    for far in (date(9999, 12, 31), date(2027, 2, 19)):  # a Friday years away, and one 13 weeks away
        with pytest.raises(OfferError, match="offers are for the next 12 weeks"):
            offers.offer(friday.id, far, volunteer_id=people["val"])
    assert offers.why_not(friday.id, date(2027, 2, 12), people["val"]) is None  # 12 weeks on: still fine
    offer = offers.offer(later.id, date(2026, 11, 20), volunteer_id=people["val"])  # this afternoon: fine
    clock.moment = datetime(2026, 11, 20, 14, 30, tzinfo=LONDON)
    assert offers.waiting() == []  # too late to answer: a lead no longer sees it
    with pytest.raises(OfferError, match="has already started"):
        offers.accept(offer.id, operator_id=people["boss"])


def test_a_shift_that_needs_a_certificate_takes_offers_only_from_those_in_date_that_day(offers, people, morning, till):
    offers.require(morning.id, "Food hygiene", operator_id=people["lead"])
    with pytest.raises(NeedsApproval):
        offers.require(morning.id, None, operator_id=people["val"])
    certificates = offers.certificates
    with pytest.raises(OfferError, match="needs a Food hygiene certificate in date on 24/11/2026"):
        offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    # Valid on Tuesday but not a week later: the day of the shift is what counts, not today.
    certificates.record(people["val"], "Food hygiene", certified_on=date(2023, 11, 27), expires_on=date(2026, 11, 26),
                        by=people["boss"], at=AT)
    offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    with pytest.raises(OfferError, match="in date on 01/12/2026"):
        offers.offer(morning.id, date(2026, 12, 1), volunteer_id=people["val"])
    certificates.record(people["val"], "First aid", certified_on=date(2026, 1, 1), expires_on=None, by=people["boss"], at=AT)
    with pytest.raises(OfferError, match="Food hygiene"):  # another certificate does not stand in for it
        offers.offer(morning.id, date(2026, 12, 1), volunteer_id=people["val"])
    offers.require(morning.id, None, operator_id=people["boss"])
    offers.offer(morning.id, date(2026, 12, 1), volunteer_id=people["val"])


def test_the_rota_ahead_shows_each_gap_its_offers_and_whether_this_volunteer_may_offer(offers, people, morning):
    offers.require(morning.id, "Food hygiene", operator_id=people["lead"])
    offers.certificates.record(people["val"], "Food hygiene", certified_on=date(2026, 1, 1),
                               expires_on=date(2029, 1, 1), by=people["boss"], at=AT)
    offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    lines = offers.ahead(people["val"], weeks=2)
    assert [(line.shift.on, line.shift.gap, line.needs, line.offers) for line in lines] == [
        (NEXT_TUESDAY, 1, "Food hygiene", 1), (date(2026, 12, 1), 1, "Food hygiene", 0)]
    assert [line.cannot_offer for line in lines] == ["you have offered; a shift lead will answer", None]
    assert [line.cannot_offer for line in offers.ahead(people["kim"], weeks=1)] == [
        "Kim Regular is already on that shift"]
    lee = offers.ahead(people["lead"], weeks=1)[0]
    assert lee.cannot_offer.startswith("that shift needs a Food hygiene certificate")


def test_offers_and_what_a_slot_needs_are_in_the_journal(offers, people, morning, till):
    offer = offers.offer(morning.id, NEXT_TUESDAY, volunteer_id=people["val"])
    offers.require(morning.id, "Food hygiene", operator_id=people["lead"])
    offers.decline(offer.id, operator_id=people["lead"])
    kinds = [kind for kind, in till.db.execute("select kind from journal where kind like 'rota_%' order by id")]
    assert kinds.count("rota_offer") == 2 and kinds.count("rota_need") == 1
    assert verify(till.db) == []
    # Someone changing an answer behind the till's back is found.
    till.db.conn.execute("update rota_offers set decision = 'accepted' where id = ?", [offer.id])
    till.db.conn.commit()
    assert "rota offer" in str(verify(till.db)[0])


def test_a_shift_lead_answers_offers_from_the_command_line(capsys, demo_db, monkeypatch):
    from pos.cli import main
    from pos.database import open_database
    from pos.till import Till
    from tests.test_cli import typed

    db = open_database(demo_db)
    offers = Offers(Till(db))  # the till's own clock, as the command line's
    jo = offers.till.volunteers.by_name("Jo Beckford").id
    line = next(line for line in offers.ahead(jo, weeks=2) if line.cannot_offer is None and line.needs is None
                and line.shift.on > offers.till.today())
    offer = offers.offer(line.shift.slot.id, line.shift.on, volunteer_id=jo)
    db.close()

    def till(*argv):
        code = main(["--db", str(demo_db), "rota", *argv])
        return (code, *capsys.readouterr())

    code, out, _ = till("offers")
    assert code == 0 and out == offer.describe() + "\n"
    typed(monkeypatch, "3333")
    code, _, err = till("accept", str(offer.id), "--by", "Jo Beckford")
    assert code == 1 and "Accepting an offer to cover a shift (till rota accept) needs a shift lead or a manager" in err
    typed(monkeypatch, "2222")
    code, _, err = till("accept", str(offer.id), "--by", "Priya Kell")
    assert code == 0 and f"Jo Beckford is on the rota for {offer.on:%a %d %b}" in err
    code, out, err = till("offers")
    assert (code, out, err) == (0, "", "No offers are waiting.\n")
    typed(monkeypatch, "2222")
    code, _, err = till("decline", str(offer.id), "--by", "Priya Kell")
    assert code == 1 and f"offer {offer.id} was accepted already" in err
    code, out, _ = till("--week", offer.on.isoformat())
    assert code == 0 and "Jo Beckford" in next(l for l in out.splitlines() if l.startswith(f"{offer.on:%a %d %b}")
                                               and offer.slot.label in l)
