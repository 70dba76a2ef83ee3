"""Offers to cover a gap in the rota, shared through a real hub: an offer made at the office (as the web
there makes one) reaches the tills' shift leads, an answer given at a till comes back to everyone, a
slot's certificate set at a till reaches the office, and an offer a till tampers with on its way up is not
shared."""

from __future__ import annotations

from datetime import UTC, date, datetime

import psycopg
from psycopg.types.json import Jsonb

from core.clock import SimulatedClock
from hub import local
from hub.connect import connect
from pos.till import Till
from tests.hub.shared_tills import society
from volunteers.offers import ACCEPTED, DECLINED, Offers

# A Friday morning; the slot below is on Tuesdays.
CLOCK = SimulatedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
TUESDAY = date(2026, 11, 24)


def offers(db) -> Offers:
    return Offers(Till(db, till_id="test", clock=CLOCK))


def person(db, name: str) -> int:
    return Till(db).volunteers.by_name(name).id


def on_the_rota(node) -> tuple[list[str], str | None, list[tuple[int, str | None]]]:
    """Who is on the Tuesday café slot that week, what it needs, and each offer for it and its answer."""
    db = node.db()
    try:
        mine = offers(db)
        slot = next(s for s in mine.rota.slots() if s.label == "Tuesday café")
        shift = next(p for p in mine.rota.planned(TUESDAY, TUESDAY) if p.slot.id == slot.id)
        answers = db.execute("select id, decision from rota_offers where slot_id = ? order by id", [slot.id]).fetchall()
        return sorted(name for _, name in shift.covering), mine.needs(slot.id), [tuple(row) for row in answers]
    finally:
        db.close()


def _slot_at_the_office(office) -> int:
    db = office.db()
    try:
        slot = offers(db).rota.add_slot("tue", "09:00", "13:00", needed=1, label="Tuesday café",
                                        operator_id=person(db, "Sam Ortiz"))
        return slot.id
    finally:
        db.close()


def _sync(*nodes) -> None:
    for node in nodes:
        node.sync()


def test_an_offer_made_at_the_office_is_answered_at_a_till_and_everyone_has_the_volunteer_on(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    slot = _slot_at_the_office(office)
    db = office.db()
    offer = offers(db).offer(slot, TUESDAY, volunteer_id=person(db, "Jo Beckford"))  # as the office's web does
    db.close()
    _sync(office, till2, till3)

    db = till2.db()
    waiting = offers(db).waiting()
    assert [(o.id, o.name, o.on) for o in waiting] == [(offer.id, "Jo Beckford", TUESDAY)]  # the shift lead sees it
    offers(db).accept(offer.id, operator_id=person(db, "Priya Kell"))
    # A shift lead at a till says the slot needs a certificate: a slot the office made, keyed by it.
    offers(db).require(slot, "Food hygiene", operator_id=person(db, "Priya Kell"))
    db.close()
    _sync(till2, office, till3)

    for node in (office, till2, till3):
        assert on_the_rota(node) == (["Jo Beckford"], "Food hygiene", [(offer.id, ACCEPTED)]), node.name
        assert node.verified() == [], node.name


def test_two_answers_given_apart_become_one_and_the_one_overruled_is_listed(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    slot = _slot_at_the_office(office)
    db = office.db()
    offer = offers(db).offer(slot, TUESDAY, volunteer_id=person(db, "Jo Beckford"))
    db.close()
    _sync(office, till2)
    db = office.db()
    offers(db).decline(offer.id, operator_id=person(db, "Sam Ortiz"))  # at 10:00
    db.close()
    CLOCK.moment = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
    try:
        db = till2.db()
        offers(db).accept(offer.id, operator_id=person(db, "Priya Kell"))  # at 10:05, not having heard
        db.close()
    finally:
        CLOCK.moment = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    _sync(till2, office, till3, till2)  # the office's decline arrives last, and loses to the later answer

    for node in (office, till2, till3):
        assert on_the_rota(node)[2] == [(offer.id, ACCEPTED)], node.name
    with psycopg.connect(hub_url) as conn:
        listed = conn.execute("select kind, ref_id, kept_data ->> 'decision', lost_data ->> 'decision' "
                              "from hub.conflicts").fetchall()
    assert listed == [("rota_offer", offer.id, ACCEPTED, DECLINED)]


def test_an_offer_tampered_with_in_a_tills_push_is_not_shared(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    slot = _slot_at_the_office(office)
    _sync(office, till2)
    db = till2.db()
    offer = offers(db).offer(slot, TUESDAY, volunteer_id=person(db, "Jo Beckford"))
    rows = local.batch(db, local.mark(db), 10_000)
    db.close()
    sent = next(row for row in rows if row["kind"] == "rota_offer" and row["ref_id"] == offer.id)
    # The journal recorded a waiting offer; the till sends it up as already accepted.
    sent["data"].update(decision=ACCEPTED, decided_at=sent["data"]["at"], decided_by=sent["data"]["volunteer_id"])
    with connect(till2.conninfo) as conn, conn.transaction():
        conn.execute("select hub.push(%s, %s)", [_node(till2), Jsonb(rows)])
    _sync(office, till3)

    for node in (office, till3):
        assert on_the_rota(node)[2] == [], node.name
    with psycopg.connect(hub_url) as conn:
        alerts = [row[0] for row in conn.execute("select what from hub.alerts")]
    assert (f"till till-2 sent rota_offer {offer.id} with values that are not the ones its journal recorded: it is "
            "not shared") in alerts


def test_the_hub_knows_an_offers_columns_as_the_journal_digests_them():
    from core.records import CHANGING
    from hub.schema_offers import PLAIN

    assert {kind: CHANGING[kind].columns for kind in PLAIN} == PLAIN


def _node(node) -> str:
    from core.node import node_id

    db = node.db()
    try:
        return node_id(db)
    finally:
        db.close()
