"""The team pages over HTTP (pos/web/pages/team.py): everyone's hours and time credits, the training to
renew and the rota to read, open to whoever the actions × roles table lets see everyone's hours, with names
and hours only, and each look at the hours or the training in the audit."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.conftest import LONDON
from tests.web.conftest import join, sign_in, sign_up
from tests.web.roles import signed_in_as
from volunteers.certificates import Certificates
from volunteers.offers import Offers
from volunteers.people import Role
from volunteers.permissions import ALLOWED, Action

PATHS = ("/team/hours", "/team/training", "/team/rota")


@pytest.fixture
def worked(shop, clock):
    """Val gave 3:30 on Wednesday 18 November; her food hygiene runs out on 1 December, Morgan's first aid ran
    out in October; Val has an emergency contact that these pages must never show."""
    val, boss = shop.volunteers.by_name("Val Test").id, shop.volunteers.by_name("Morgan Test").id
    clock.moment = datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)
    shop.till.start_shift(val)
    clock.moment = datetime(2026, 11, 18, 12, 30, tzinfo=LONDON)
    shop.till.sign_out(val)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    training = Certificates(shop.db)
    training.record(val, "Food hygiene", certified_on=date(2023, 12, 1), expires_on=date(2026, 12, 1), by=boss,
                    at="2026-01-01T00:00:00+00:00")
    training.record(boss, "First aid", certified_on=date(2023, 10, 1), expires_on=date(2026, 10, 1), by=boss,
                    at="2026-01-01T00:00:00+00:00")
    shop.volunteers.update(val, emergency_contact="Pat Test 07700 900123")
    return val


@pytest.fixture
def board(app, shop, access):
    return signed_in_as(app, shop, access, "Bea Board", Role.board_member, address="10.0.0.7")


@pytest.mark.parametrize("role", list(Role))
def test_the_team_pages_are_open_to_the_roles_the_table_lets_see_hours(app, shop, access, role):
    client = signed_in_as(app, shop, access, f"Someone {role.value}", role, address="10.0.0.9")
    allowed = role in ALLOWED[Action.see_hours]
    for path in PATHS:
        assert client.get(path).status_code == (200 if allowed else 403), (role, path)
    assert ("/team/hours" in client.get("/").text) == allowed


def test_a_board_member_reads_everyones_hours_and_credits_but_no_contact_details(shop, worked, board, access):
    page = board.get("/team/hours")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = page.text
    assert "Hours given and time credits earned in 2026" in text
    assert '<td data-label="Volunteer">Val Test</td><td data-label="Month">2026-11</td>' in text
    assert '<td data-label="Hours">3:30</td><td data-label="Time credits">3</td>' in text
    assert "Pat Test" not in text and "07700" not in text
    assert shop.db.execute("select count(*) from audit_log where detail = 'web: team hours of every volunteer in 2026'"
                           ).fetchone()[0] == 1
    assert "No shifts were given in 2025." in board.get("/team/hours?year=2025").text


@pytest.mark.parametrize("year", ["1999", "2027", "soon", "²", "9" * 5000], ids=["old", "ahead", "word", "sup", "long"])
def test_a_year_that_cannot_be_shown_is_a_sentence(board, worked, year):
    answer = board.get("/team/hours", params={"year": year})
    assert answer.status_code == 400 and "Choose a year from 2000 to 2026." in answer.text
    assert "Traceback" not in answer.text


def test_the_training_page_lists_what_has_run_out_and_what_soon_will(shop, worked, board):
    text = board.get("/team/training").text
    assert "Morgan Test: First aid, ran out on 01/10/2026" in text
    assert "Val Test: Food hygiene, runs out on 01/12/2026" in text
    assert "Pat Test" not in text
    assert "runs out on" not in board.get("/team/training?days=nonsense").text.split("Running out in the next 30")[0]
    assert shop.db.execute("select count(*) from audit_log where detail = 'web: team training of every volunteer'"
                           ).fetchone()[0] == 2


def test_the_board_reads_the_rota_with_its_gaps_and_cannot_change_it(shop, board):
    boss = shop.volunteers.by_name("Morgan Test").id
    offers = Offers(shop.till)
    slot = offers.rota.add_slot("tue", "09:00", "13:00", needed=2, label="Café morning", operator_id=boss)
    offers.rota.put_on(slot.id, shop.volunteers.by_name("Val Test").id, week_of=None, operator_id=boss)
    text = board.get("/team/rota").text
    assert "Tue 24 Nov, 09:00 to 13:00</strong>: Café morning" in text
    assert "On it: Val Test." in text and "Needs 1 more." in text and "4 places still to fill." in text
    assert "<form method=\"post\"" not in text.split("</header>")[1]  # to read: no offer, no answer


def test_members_and_volunteers_are_refused_and_the_signed_out_sent_to_sign_in(shop, client, access, app):
    member = join(shop, "Ada Able")
    sign_up(client, access, member, member.number)
    sign_in(client, member.number)
    val = signed_in_as(app, shop, access, "Vic Volunteer", Role.volunteer, address="10.0.0.8")
    for path in PATHS:
        assert client.get(path).status_code == 403
        assert val.get(path).status_code == 403
    client.cookies.clear()
    assert client.get("/team/hours").headers["location"] == "/sign-in?next=/team/hours"
