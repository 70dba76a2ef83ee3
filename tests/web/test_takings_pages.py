"""The treasurer's takings pages over HTTP, on a real till database: takings by day, till and tender, the Zs
with their cash differences and the drill-down into a session, VAT where registered, share capital, receipts a
printer refused; who may open them is the actions × roles table's answer for view_takings, role by role."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from core.money import format_pence
from pos.basket import Basket
from pos.config import Settings, WebSettings
from pos.receipt_queue import ReceiptStatus
from pos.shop import Shop
from pos.tenders import Tender, TenderKind
from pos.web.app import create_app
from tests.conftest import LONDON
from tests.web.conftest import SECRET, client_for, join
from tests.web.roles import signed_in_as
from volunteers.people import Role
from volunteers.permissions import Action, may

PAGES = ["/books/takings", "/books/z", "/books/vat", "/books/shares", "/books/receipts"]


def _sell(shop, codes, tenders, member=None):
    basket = Basket()
    if member is not None:
        shop.membership.attach(basket, member)
    for code in codes:
        shop.till.scan(basket, code)
    return shop.till.complete_sale(basket, tenders(basket.total_pence),
                                   operator_id=shop.volunteers.by_name("Val Test").id)


@pytest.fixture
def trade(shop, products, clock):
    """Thursday 19 November: a member's sale, a card sale, a refund, a void, and a drawer 35p short at the Z.
    Then Friday's till is open with one sale so far."""
    manager = shop.volunteers.by_name("Morgan Test").id
    clock.moment = datetime(2026, 11, 19, 9, 0, tzinfo=LONDON)
    shop.till.open_session(5000, operator_id=manager)
    ada = join(shop, "Ada Able")
    clock.moment = datetime(2026, 11, 19, 9, 30, tzinfo=LONDON)
    first = _sell(shop, ["T1", "K2"], lambda due: [Tender(kind=TenderKind.cash, amount_pence=due)], member=ada)
    clock.moment = datetime(2026, 11, 19, 11, 15, tzinfo=LONDON)
    card = _sell(shop, ["96385074"], lambda due: [Tender(kind=TenderKind.card, amount_pence=due)])
    refund = shop.till.refund(first.sale_number, operator_id=manager, reason="Ada spilt it", quantities={1: 1})
    voided = Basket()
    shop.till.scan(voided, "K2")
    shop.till.void(voided, operator_id=manager)
    expected = shop.current_report().cash_expected_pence
    session = shop.till.close_session(expected - 35, operator_id=manager)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    shop.till.open_session(5000, operator_id=manager)
    today = _sell(shop, ["T1"], lambda due: [Tender(kind=TenderKind.card, amount_pence=due)])
    return {"session": session, "ada": ada, "first": first, "card": card, "refund": refund, "today": today}


@pytest.fixture
def treasurer(app, shop, access):
    return signed_in_as(app, shop, access, "Tomasz Nowicki", Role.shift_lead, Role.treasurer, address="10.0.0.7")


def _cells(page: str) -> str:
    """The page's text without its tags, for reading figures the way a person does."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_treasurer_reads_the_last_weeks_takings_by_day_till_and_tender(treasurer, trade):
    home = treasurer.get("/").text
    assert 'href="/books/takings"' in home
    page = treasurer.get("/books/takings")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = _cells(page.text)
    assert "Sat 14 Nov 2026 to Fri 20 Nov 2026" in text
    thursday = trade["first"].total_pence + trade["card"].total_pence + trade["refund"].total_pence
    assert f"Thu 19/11 till-1 Takings {format_pence(thursday)}" in text
    assert f"Fri 20/11 till-1 Takings {format_pence(trade['today'].total_pence)}" in text  # so far: not cashed up
    assert "Cash" in text and "Card" in text
    assert "As of" not in text and "as of" not in text  # one box: the till's own figures, nothing to date


def test_a_chosen_period_is_kept_and_a_wrong_one_is_a_sentence_not_a_fault(treasurer, trade):
    text = _cells(treasurer.get("/books/takings?first=2026-11-20&last=2026-11-20").text)
    assert "Fri 20 Nov 2026:" in text and "Thu 19/11" not in text
    wrong = treasurer.get("/books/takings?first=2026-11-21&last=2026-11-20")
    assert wrong.status_code == 400 and "The period must end on or after the day it starts." in wrong.text
    assert "Traceback" not in wrong.text
    assert treasurer.get("/books/z?first=2020-01-01").status_code == 400  # longer than a quarter


def test_the_zs_show_each_cash_difference_and_drill_down_to_the_sessions_sales_naming_nobody(treasurer, trade):
    zs = treasurer.get("/books/z").text
    session = trade["session"].id
    assert f'href="/books/z/{session}"' in zs
    assert "35p short" in _cells(zs) or "£0.35 short" in _cells(zs)
    page = treasurer.get(f"/books/z/{session}")
    assert page.status_code == 200
    text = _cells(page.text)
    first, refund = trade["first"], trade["refund"]
    assert "Z 1: till-1, 2026-11-19" in text
    assert f"09:30 Sale {first.sale_number} Total {format_pence(first.total_pence)} Cash" in text
    assert f"Refund {refund.sale_number} of sale {first.sale_number}" in text
    assert "Voided baskets" in text and "1 line," in text
    assert 'name="first"' not in page.text  # a Z is one day's: no period to choose
    assert trade["ada"].number not in page.text and "Ada" not in page.text  # no member, no reason typed
    missing = treasurer.get("/books/z/99999")
    assert missing.status_code == 404 and "There is no such till session." in missing.text


def test_vat_is_a_sentence_until_the_society_is_registered(treasurer, trade):
    assert "not registered for VAT" in treasurer.get("/books/vat").text


def test_vat_by_rate_where_the_society_is_registered(db_path, clock, staff, products, access):
    settings = Settings(db=db_path, society={"vat_registered": True, "vat_number": "GB 123 4567 89"})
    shop = Shop.open(settings, clock=clock)
    try:
        shop.till.open_session(0, operator_id=shop.volunteers.by_name("Morgan Test").id)
        _sell(shop, ["T1", "5000000000012"], lambda due: [Tender(kind=TenderKind.cash, amount_pence=due)])
        shop.till.close_session(120 + 145, operator_id=shop.volunteers.by_name("Morgan Test").id)
        app = create_app(shop, WebSettings(), SECRET)
        board = signed_in_as(app, shop, access, "Sam Ortiz", Role.manager, Role.board_member, address="10.0.0.8")
        text = _cells(board.get("/books/vat").text)
        assert f"20% (standard) Sales {format_pence(120)} VAT {format_pence(20)} Net {format_pence(100)}" in text
        assert f"0% (zero) Sales {format_pence(145)} VAT {format_pence(0)}" in text
    finally:
        shop.close()


def test_share_capital_bought_shows_by_month_and_by_day(treasurer, trade, shop):
    value = shop.membership.rules.share_value_pence
    text = _cells(treasurer.get("/books/shares").text)
    assert f"2026-11 Bought 5, {format_pence(5 * value)}" in text
    assert f"Share capital at the end of 20/11/2026: {format_pence(5 * value)}." in text
    by_day = treasurer.get("/books/shares?by=day").text
    assert "2026-11-19 Bought 5" in _cells(by_day)
    assert '<input type="hidden" name="by" value="day">' in by_day  # choosing another period keeps "by day"


def test_receipts_a_printer_refused_are_listed_by_till(treasurer, trade, shop):
    assert "No receipt is waiting for a reprint" in treasurer.get("/books/receipts").text
    ReceiptStatus(shop.db, "till-1", shop.till.now).failed(trade["card"].id, "the printer is out of paper")
    text = _cells(treasurer.get("/books/receipts").text)
    assert "till-1: 1 receipt still owed to customers" in text
    assert f"Sale {trade['card'].sale_number} Thu 19/11 11:15" in text and "the printer is out of paper" in text


@pytest.mark.parametrize("role", list(Role))
def test_who_may_open_the_takings_pages_is_the_tables_answer_for_viewing_the_takings(app, shop, access, trade, role):
    client = signed_in_as(app, shop, access, f"Someone {role.value.replace('_', ' ').title()}", role,
                          address="10.0.1.1")
    allowed = may(frozenset({role}), Action.view_takings)
    for path in [*PAGES, f"/books/z/{trade['session'].id}"]:
        answer = client.get(path)
        assert answer.status_code == (200 if allowed else 403), (role, path)
        if not allowed:
            assert format_pence(trade["first"].total_pence) not in answer.text
    assert ('href="/books/takings"' in client.get("/").text) == allowed
    assert not may(frozenset({Role.volunteer}), Action.view_takings)  # the refusals, said outright
    assert not may(frozenset({Role.centre_staff}), Action.view_takings)


def test_signed_out_people_and_members_cannot_open_them(app, shop, access, trade):
    stranger = client_for(app, "10.0.2.1")
    assert stranger.get("/books/takings").status_code == 303
    member = client_for(app, "10.0.2.2")
    from tests.web.conftest import sign_in, sign_up

    sign_up(member, access, trade["ada"], trade["ada"].number)
    sign_in(member, trade["ada"].number)
    assert member.get("/books/z").status_code == 403
