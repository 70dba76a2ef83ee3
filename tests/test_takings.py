"""The treasurer's figures (pos/takings.py, coop/capital.py) over real databases: two tills' days of trade from
the demo simulator, and a till's own sales, refunds, voids and cash-up where a figure needs a known answer."""

from __future__ import annotations

from datetime import date

import pytest

from coop.capital import capital_pence, movements
from coop.register import MemberDetails, Register
from coop.rules import ShareRules
from coop.shares import Decision, Shares
from core.errors import TillError
from pos.basket import Basket
from pos.config import CoopSettings
from pos.database import open_database
from pos.demo_trade import simulate
from pos.membership import Membership
from pos.receipt_queue import ReceiptStatus
from pos.reports import session_report
from pos.takings import (
    LONGEST_DAYS,
    Period,
    closed_sessions,
    daily_takings,
    period,
    refused_receipts,
    session_detail,
    vat_by_rate,
    z_reports,
)
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON

LAST_DAY = date(2026, 11, 19)
WEEK = Period(date(2026, 11, 13), LAST_DAY)


@pytest.fixture(scope="module")
def two_tills(tmp_path_factory):
    """Three days of trade at two tills of one shop (read only: tests that change things make their own)."""
    db = open_database(tmp_path_factory.mktemp("takings") / "till.db")
    simulate(db, days=3, seed=7, until=LAST_DAY, till_id="till-1", zone=LONDON)
    simulate(db, days=3, seed=8, until=LAST_DAY, till_id="till-2", zone=LONDON)
    yield db
    db.close()


def test_the_period_is_the_last_week_unless_one_is_chosen_and_a_wrong_one_is_a_sentence():
    assert period(None, None, today=LAST_DAY) == WEEK
    assert period("2026-11-01", "2026-11-02", today=LAST_DAY) == Period(date(2026, 11, 1), date(2026, 11, 2))
    assert period(None, "2026-11-02", today=LAST_DAY).first == date(2026, 10, 27)
    for first, last, said in [("2026-11-31", None, "a day of the calendar"), ("x", None, "a day of the calendar"),
                              ("2026-11-19", "2026-11-18", "end on or after"),
                              ("2025-01-01", "2026-11-19", f"at most {LONGEST_DAYS} days")]:
        with pytest.raises(TillError, match=said):
            period(first, last, today=LAST_DAY)


def test_each_tills_day_takes_what_its_z_says_by_tender(two_tills):
    takings = daily_takings(two_tills, WEEK)
    assert {(line.day, line.till) for line in takings.lines} == {
        (date(2026, 11, day), till) for day in (17, 18, 19) for till in ("till-1", "till-2")}
    zs = {(z.report.date, z.report.till): z.report for z in z_reports(two_tills, WEEK, zone=LONDON,
                                                                        vat_registered=False)}
    for line in takings.lines:
        z = zs[(line.day.isoformat(), line.till)]
        assert line.takings_pence == z.takings_pence and line.tenders == z.tenders
    assert takings.tender_kinds[:2] == ["cash", "card"]  # the till's own order, not the alphabet's
    assert takings.takings_pence == sum(z.takings_pence for z in zs.values())
    assert takings.tender_total("cash") == sum(z.tenders.get("cash", 0) for z in zs.values())


def test_a_days_takings_before_the_cash_up_are_what_it_has_taken_so_far(db, till, staff):
    basket = Basket()
    till.scan(basket, "T1")
    till.complete_sale(basket, [Tender(kind=TenderKind.card, amount_pence=120)], operator_id=staff["volunteer"].id)
    today = daily_takings(db, Period(till.today(), till.today()))
    assert [(line.till, line.takings_pence, line.tenders) for line in today.lines] == [("till-1", 120, {"card": 120})]
    assert z_reports(db, Period(till.today(), till.today()), zone=LONDON, vat_registered=False) == []


def test_the_zs_of_a_period_are_the_paper_zs_with_their_cash_differences_added_up_over_time(two_tills):
    lines = z_reports(two_tills, WEEK, zone=LONDON, vat_registered=True)
    assert len(lines) == 6 and [line.report.date for line in lines] == sorted(line.report.date for line in lines)
    running = 0
    for line in lines:
        assert line.report == session_report(two_tills, [line.session_id], zone=LONDON, vat_registered=True)
        assert line.report.kind == "Z"
        running += line.report.cash_difference_pence
        assert line.running_difference_pence == running
    assert any(line.report.cash_difference_pence for line in lines)  # the demo's counts are not all exact
    assert z_reports(two_tills, Period(date(2026, 11, 1), date(2026, 11, 16)), zone=LONDON,
                     vat_registered=False) == []


def test_a_short_drawer_shows_as_a_difference_and_carries_into_the_running_total(db, till, staff):
    basket = Basket()
    till.scan(basket, "T1")
    till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)], operator_id=staff["volunteer"].id)
    till.close_session(5000 + 120 - 35, operator_id=staff["manager"].id)
    [line] = z_reports(db, Period(till.today(), till.today()), zone=LONDON, vat_registered=False)
    assert (line.report.cash_expected_pence, line.report.cash_counted_pence) == (5120, 5085)
    assert line.report.cash_difference_pence == line.running_difference_pence == -35


def test_vat_by_rate_over_a_period_is_the_sum_of_each_zs_own_vat(two_tills):
    ids = closed_sessions(two_tills, WEEK)
    lines = vat_by_rate(two_tills, WEEK, zone=LONDON)
    assert {line.rate for line in lines} >= {"20%", "0%"}
    for line in lines:
        own = [v for i in ids for v in session_report(two_tills, [i], zone=LONDON, vat_registered=True).vat
               if (v.vat_class, v.rate_bp) == (line.vat_class, line.rate_bp)]
        assert line.gross_pence == sum(v.gross_pence for v in own)
        assert abs(line.vat_pence - sum(v.vat_pence for v in own)) <= len(own)  # each Z rounds its own VAT
    assert vat_by_rate(two_tills, Period(date(2026, 1, 1), date(2026, 1, 2)), zone=LONDON) == []


def test_a_session_drilled_into_lists_each_sale_refund_and_void_and_names_nobody(db, till, staff):
    membership = Membership(db, till, CoopSettings())
    member = membership.join(MemberDetails.checked(name="Ada Able", address="1 High St"), 5,
                             operator_id=staff["manager"].id)
    basket = Basket()
    membership.attach(basket, member)
    till.scan(basket, "T1")
    till.scan(basket, "K2")
    paid = basket.total_pence  # less the member's discount
    till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=paid - 100),
                                Tender(kind=TenderKind.card, amount_pence=100)], operator_id=staff["volunteer"].id)
    refund = till.refund(1, operator_id=staff["manager"].id, reason=f"{member.name} spilt it", quantities={1: 1})
    voided = Basket()
    till.scan(voided, "K2")
    till.void(voided, operator_id=staff["volunteer"].id)

    detail = session_detail(db, till.current_session().id, zone=LONDON, vat_registered=False)
    assert detail.report.kind == "X" and detail.report.sales_count == 1 and detail.report.refunds_count == 1
    sale, given_back = detail.sales
    assert (sale.kind, sale.number, sale.total_pence, sale.tenders) == ("sale", 1, paid,
                                                                      [("Cash", paid - 100), ("Card", 100)])
    assert (given_back.kind, given_back.refund_of, given_back.total_pence) == ("refund", 1, refund.total_pence)
    assert [(void.lines, void.total_pence) for void in detail.voids] == [(1, 180)]
    said = repr(detail.sales) + repr(detail.voids)
    assert member.number not in said and "Ada" not in said and "spilt" not in said
    with pytest.raises(TillError, match="no such till session"):
        session_detail(db, 999, zone=LONDON, vat_registered=False)


def test_receipts_a_printer_refused_are_listed_by_till_until_printed(db, till, staff):
    sales = []
    for _ in range(3):
        basket = Basket()
        till.scan(basket, "T1")
        sales.append(till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)],
                                        operator_id=staff["volunteer"].id))
    status = ReceiptStatus(db, "till-1", till.now)
    assert refused_receipts(db) == []  # pending ones are the till's business still
    status.failed(sales[0].id, "the printer is out of paper")
    status.failed(sales[2].id, "the printer is out of paper")
    [at_till] = refused_receipts(db)
    assert at_till.till == "till-1"
    assert [(r.sale_number, r.last_error) for r in at_till.refused] == [(1, "the printer is out of paper"),
                                                                         (3, "the printer is out of paper")]
    status.printed(sales[0].id)
    assert [r.sale_number for r in refused_receipts(db)[0].refused] == [3]


def test_share_capital_moves_by_day_and_month_bought_given_as_dividend_and_withdrawn(db, staff):
    rules = ShareRules(share_value_pence=100, notice_days=0, withdrawals_suspended=False)
    shares, at = Shares(db, rules), "2026-10-01T10:00:00+00:00"
    ada = _member(db, "Ada Able")
    bo = _member(db, "Bo Birchley")
    shares.buy(ada, 20, on=date(2026, 10, 1), at=at, by="Morgan Test")
    shares.buy(bo, 5, on=date(2026, 10, 1), at=at, by="Morgan Test")
    shares.add_dividend_shares(ada, 3, on=date(2026, 10, 20), at=at, by="Morgan Test", note="dividend 2025")
    asked = shares.request_withdrawal(ada, 10, on=date(2026, 11, 2), at=at, by="Ada Able")
    shares.decide(asked.id, Decision.approved, on=date(2026, 11, 2), at=at, by="The board")
    shares.pay_out(asked.id, on=date(2026, 11, 3), at=at, by="Morgan Test")

    by_month = movements(db, date(2026, 10, 1), date(2026, 11, 30), by="month", share_value_pence=100)
    assert [(m.period, m.shares, m.pence) for m in by_month] == [
        ("2026-10", {"purchase": 25, "dividend_shares": 3, "payout": 0},
         {"purchase": 2500, "dividend_shares": 300, "payout": 0}),
        ("2026-11", {"purchase": 0, "dividend_shares": 0, "payout": -10},
         {"purchase": 0, "dividend_shares": 0, "payout": -1000})]  # the request and decision move nothing
    assert [m.net_pence for m in by_month] == [2800, -1000]
    by_day = movements(db, date(2026, 10, 1), date(2026, 10, 31), by="day", share_value_pence=100)
    assert [m.period for m in by_day] == ["2026-10-01", "2026-10-20"]
    assert capital_pence(db, date(2026, 10, 31), share_value_pence=100) == 2800
    assert capital_pence(db, date(2026, 11, 30), share_value_pence=100) == 1800
    with pytest.raises(ValueError):
        movements(db, date(2026, 10, 1), date(2026, 10, 31), by="week", share_value_pence=100)


def _member(db, name: str):
    return Register(db).admit(MemberDetails.checked(name=name, address="1 High St"), on=date(2026, 10, 1),
                              at="2026-10-01T10:00:00+00:00", by="Morgan Test")

