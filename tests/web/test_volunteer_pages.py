"""A volunteer's own pages over HTTP: their hours, credits and certificates; the rota with its gaps and
offering to cover one; shift leads answering offers. Each volunteer sees only their own record."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.conftest import LONDON
from tests.web.conftest import client_for, csrf, join, sign_in, sign_up
from volunteers.certificates import Certificates
from volunteers.offers import Offers
from volunteers.people import Role

# The clock says Friday 20 November 2026, 10:00.
NEXT_TUESDAY = date(2026, 11, 24)
AT = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def rota(shop):
    """Tuesday mornings in the café need two; Kim is on every week, so one place is open."""
    boss = shop.volunteers.by_name("Morgan Test").id
    kim = shop.volunteers.add("Kim Regular", Role.volunteer, at=AT)
    offers = Offers(shop.till)
    slot = offers.rota.add_slot("tue", "09:00", "13:00", needed=2, label="Café morning", operator_id=boss)
    offers.rota.put_on(slot.id, kim.id, week_of=None, operator_id=boss)
    return slot


@pytest.fixture
def val(shop, client, access):
    sign_up(client, access, shop.volunteers.by_name("Val Test"), "Val Test")
    sign_in(client, "Val Test")
    return client


@pytest.fixture
def lead(app, shop, access):
    person = shop.volunteers.add("Lee Lead", Role.shift_lead, at=AT)
    lee = client_for(app, "10.0.0.2")
    sign_up(lee, access, person, "Lee Lead")
    sign_in(lee, "Lee Lead")
    return lee


def offer(client, slot_id: int, on: date, token: str | None = None):
    token = token or csrf(client.get("/rota").text)
    return client.post("/rota/offer", data={"csrf": token, "slot": str(slot_id), "on": on.isoformat()})


def test_a_volunteer_sees_their_hours_credits_and_certificates(shop, clock, val):
    till = shop.till
    me = shop.volunteers.by_name("Val Test").id
    clock.moment = datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)
    till.start_shift(me)
    clock.moment = datetime(2026, 11, 18, 12, 30, tzinfo=LONDON)
    till.sign_out(me)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    Certificates(shop.db).record(me, "Food hygiene", certified_on=date(2023, 12, 1), expires_on=date(2026, 12, 1),
                                 by=shop.volunteers.by_name("Morgan Test").id, at=AT)
    home = val.get("/")
    assert "/volunteering" in home.text and "/rota/offers" not in home.text
    page = val.get("/volunteering")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = page.text
    assert "Hours given</th><td>3:30" in text
    assert "Wed 18/11/2026" in text and "09:00-12:30" in text
    assert "Food hygiene expires on 01/12/2026" in text and "runs out soon" in text
    assert "earned for 3:30 given in 2026-11" in text


def test_the_volunteering_page_is_in_the_audit(shop, val, access):
    val.get("/volunteering")
    account = access.db.execute("select id from web_accounts where volunteer_id = ?",
                                [shop.volunteers.by_name("Val Test").id]).fetchone()[0]
    assert [(v["page"], v["subject"]) for v in access.views(account)] == [("volunteering", "Val Test")]
    assert shop.db.execute("select count(*) from audit_log where detail = 'web: volunteering of Val Test'"
                           ).fetchone()[0] == 1


def test_a_volunteer_offers_to_cover_a_gap_and_a_shift_lead_accepts(shop, rota, val, lead):
    page = val.get("/rota")
    assert "Needs 1 more" in page.text and "I can cover this" in page.text
    answer = offer(val, rota.id, NEXT_TUESDAY)
    assert answer.status_code == 303 and answer.headers["location"] == "/rota?done=1"
    after = val.get("/rota?done=1").text
    assert "a shift lead will answer" in after and "Take back my offer" in after

    waiting = lead.get("/rota/offers").text
    assert "Val Test" in waiting and "Tue 24 Nov" in waiting
    offer_id = Offers(shop.till).waiting()[0].id
    done = lead.post("/rota/answer", data={"csrf": csrf(waiting), "offer": str(offer_id), "answer": "accept"})
    assert done.status_code == 200 and "Val Test&#39;s offer for Tuesday 24 November is accepted." in done.text
    assert [name for _, name in Offers(shop.till).rota.week(NEXT_TUESDAY)[0].covering] == ["Kim Regular", "Val Test"]
    assert "Tue 24 Nov, 09:00 to 13:00: Café morning" in val.get("/volunteering").text


def test_refusals_are_a_sentence_on_the_rota_page(shop, rota, val):
    assert offer(val, rota.id, NEXT_TUESDAY).status_code == 303
    again = offer(val, rota.id, NEXT_TUESDAY)
    assert again.status_code == 400
    assert "You have already offered for that shift; a shift lead will answer." in again.text
    wrong_day = offer(val, rota.id, date(2026, 11, 25))
    assert wrong_day.status_code == 400 and "That shift is on Tuesdays." in wrong_day.text
    gone = offer(val, rota.id, date(2026, 11, 17))
    assert "That day has gone." in gone.text
    nonsense = val.post(
        "/rota/offer", data={"csrf": csrf(val.get("/rota").text), "slot": "x", "on": "soon"})
    assert nonsense.status_code == 400 and "That shift is not on the rota." in nonsense.text
    assert "Traceback" not in nonsense.text


def test_a_shift_needing_a_certificate_says_so_and_offers_no_button(shop, rota, val):
    Offers(shop.till).require(rota.id, "Food hygiene", operator_id=shop.volunteers.by_name("Morgan Test").id)
    page = val.get("/rota").text
    assert "Needs a Food hygiene certificate." in page and "I can cover this" not in page
    forced = offer(val, rota.id, NEXT_TUESDAY)  # the attacker's method: post the form anyway
    assert forced.status_code == 400 and "needs a Food hygiene certificate in date on 24/11/2026" in forced.text
    assert Offers(shop.till).waiting() == []


def test_a_volunteer_takes_back_only_their_own_offer(app, shop, access, rota, val):
    kit = shop.volunteers.add("Kit Other", Role.volunteer, at=AT)
    other = client_for(app, "10.0.0.3")
    sign_up(other, access, kit, "Kit Other")
    sign_in(other, "Kit Other")
    assert offer(val, rota.id, NEXT_TUESDAY).status_code == 303
    vals_offer = Offers(shop.till).waiting()[0].id
    # The attacker's method: Kit changes the number in the form to Val's offer.
    taken = other.post("/rota/take-back", data={"csrf": csrf(other.get("/rota").text), "offer": str(vals_offer)})
    assert taken.status_code == 400 and "Only the volunteer who made an offer can take it back." in taken.text
    assert Offers(shop.till).waiting()[0].waiting
    mine = val.post("/rota/take-back", data={"csrf": csrf(val.get("/rota").text), "offer": str(vals_offer)})
    assert mine.status_code == 303 and Offers(shop.till).waiting() == []


def test_a_volunteer_cannot_answer_offers_even_by_posting_the_form(shop, rota, val):
    assert offer(val, rota.id, NEXT_TUESDAY).status_code == 303
    offer_id = Offers(shop.till).waiting()[0].id
    assert val.get("/rota/offers").status_code == 403
    forced = val.post("/rota/answer", data={"csrf": csrf(val.get("/rota").text), "offer": str(offer_id),
                                            "answer": "accept"})
    assert forced.status_code == 403 and "Val Test" not in forced.text.split("</header>")[-1]
    assert Offers(shop.till).waiting()[0].waiting


def test_offers_and_answers_need_the_csrf_token(shop, rota, val, lead):
    assert val.post("/rota/offer", data={"slot": str(rota.id), "on": NEXT_TUESDAY.isoformat()}).status_code == 403
    assert Offers(shop.till).waiting() == []
    assert offer(val, rota.id, NEXT_TUESDAY).status_code == 303
    offer_id = Offers(shop.till).waiting()[0].id
    stale = lead.post("/rota/answer", data={"csrf": "forged", "offer": str(offer_id), "answer": "decline"})
    assert stale.status_code == 403 and Offers(shop.till).waiting()[0].waiting


def test_a_lead_declines_and_a_stale_answer_is_a_sentence(shop, rota, val, lead):
    assert offer(val, rota.id, NEXT_TUESDAY).status_code == 303
    offer_id = str(Offers(shop.till).waiting()[0].id)
    token = csrf(lead.get("/rota/offers").text)
    declined = lead.post("/rota/answer", data={"csrf": token, "offer": offer_id, "answer": "decline"})
    assert "is declined." in declined.text
    twice = lead.post("/rota/answer", data={"csrf": token, "offer": offer_id, "answer": "accept"})
    assert twice.status_code == 400 and f"Offer {offer_id} was declined already." in twice.text


def test_members_have_no_volunteer_pages(shop, client, access, rota):
    member = join(shop, "Ada Able")
    sign_up(client, access, member, member.number)
    sign_in(client, member.number)
    for path in ("/volunteering", "/rota", "/rota/offers"):
        assert client.get(path).status_code == 403, path
