"""What a reviewer tried on the back office's pages, kept as tests: dates at the ends of the calendar, record
numbers too large for SQLite, HEAD requests to pages that act on POST, a price above £9,999.99 changed again,
and centre staff asking for years of released figures at once. Each gets a sentence or a 404, never a 500,
and changes nothing."""

from __future__ import annotations

import pytest

from pos.web.web import whole_number
from tests.web.conftest import csrf
from tests.web.roles import signed_in_as
from volunteers.people import Role

HUGE = "99999999999999999999999"


@pytest.fixture
def treasurer(app, shop, access):
    return signed_in_as(app, shop, access, "Tomasz Nowicki", Role.shift_lead, Role.treasurer, address="10.0.0.7")


@pytest.fixture
def board(app, shop, access):
    return signed_in_as(app, shop, access, "Bea Board", Role.manager, Role.board_member, address="10.0.0.8")


@pytest.fixture
def centre(app, shop, access):
    return signed_in_as(app, shop, access, "Cleo Centre", Role.centre_staff, address="10.0.0.5")


@pytest.mark.parametrize("path", ["/books/takings", "/books/z", "/books/vat", "/books/shares"])
@pytest.mark.parametrize("query", ["last=0001-01-01", "first=0001-01-01&last=0001-01-02", "last=9999-12-31"])
def test_the_takings_pages_answer_a_date_at_the_ends_of_the_calendar_in_a_sentence(treasurer, path, query):
    answer = treasurer.get(f"{path}?{query}")
    assert answer.status_code == 400 and "hoose days between the years" in answer.text


@pytest.mark.parametrize("query", ["from=0001-01-01&to=0001-01-07", "from=9999-12-01&to=9999-12-31&step=1",
                                   "from=0001-01-01&to=0001-01-07&step=-1"])
def test_the_reach_pages_answer_a_date_at_the_ends_of_the_calendar_in_a_sentence(centre, query):
    for path in ("/reach", "/reach/export"):
        answer = centre.get(f"{path}?{query}&format=csv")
        assert answer.status_code == 400 and "hoose days between the years" in answer.text, path


def test_centre_staff_see_at_most_a_year_of_released_figures_at_once(shop, centre):
    before = shop.db.execute("select count(*) from centre_releases").fetchone()[0]
    answer = centre.get("/reach?from=2024-11-04&to=2026-11-15")  # whole weeks that have ended: two years
    assert answer.status_code == 400 and "at most a year at a time" in answer.text
    assert shop.db.execute("select count(*) from centre_releases").fetchone()[0] == before  # nothing recorded


def test_a_record_number_too_large_for_sqlite_is_no_such_page(treasurer, board):
    assert treasurer.get(f"/books/z/{HUGE}").status_code == 404
    assert treasurer.get(f"/catalogue/{HUGE}").status_code == 404
    token = csrf(treasurer.get("/catalogue").text)
    assert treasurer.post(f"/catalogue/{HUGE}/price", data={"csrf": token, "price": "1"}).status_code == 404
    token = csrf(board.get("/board/withdrawals").text)
    answer = board.post("/board/withdrawals/decide", data={"csrf": token, "request": HUGE, "decision": "approved"})
    assert answer.status_code != 500


def test_head_requests_read_the_page_and_never_act(shop, board):
    for path in ("/register/export", "/board/dividend/confirm", "/board/dividend", "/books/takings"):
        answer = board.head(path)
        assert answer.status_code in (200, 303, 400), path
        assert answer.content == b"", path
    assert shop.db.execute("select count(*) from dividends").fetchone()[0] == 0
    assert shop.db.execute("select count(*) from audit_log where action like '%export%'").fetchone()[0] == 0


def test_a_price_over_9999_pounds_can_be_changed_again(shop, treasurer, products):
    milk = products["milk"].id
    for typed, was in (("99999.99", "145"), ("1.50", "9999999")):
        asked = treasurer.post(f"/catalogue/{milk}/price", data={"csrf": csrf(treasurer.get("/catalogue").text),
                                                                  "price": typed})
        assert asked.status_code == 200, asked.text
        done = treasurer.post(f"/catalogue/{milk}/price/confirm",
                              data={"csrf": csrf(asked.text), "price": typed, "was": was})
        assert done.status_code == 303, done.text
    assert shop.catalogue.get(milk).price_pence == 150


def test_a_number_in_a_form_is_read_up_to_its_own_ceiling():
    assert whole_number("999999") == 999_999 and whole_number("1000000") is None
    assert whole_number("9999999", most=10_000_000) == 9_999_999 and whole_number("10000001", most=10_000_000) is None
    assert whole_number("²") is None and whole_number("-1") is None and whole_number("9" * 5000, most=2**63 - 1) is None
