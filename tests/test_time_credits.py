"""Time credits: earned from closed shifts, spent one an item on set categories, never below zero."""

from datetime import datetime

import pytest

from core.errors import TillError
from pos.basket import Basket
from pos.report_text import render_report
from pos.reports import session_report
from pos.tenders import PaymentError, Tender, TenderKind
from pos.till import Till
from tests.conftest import LONDON


@pytest.fixture
def credit_till(db, clock, staff, products) -> Till:
    till = Till(db, clock=clock, zone=LONDON, time_credits_per_hour=1,
                time_credit_categories=frozenset({"Hot drinks", "Cakes"}))
    till.volunteers.set_pin(staff["volunteer"].id, "2468")
    # Val gives three and a half hours on Wednesday: three credits (part hours do not round up).
    clock.moment = datetime(2026, 11, 18, 9, 0, tzinfo=LONDON)
    till.start_shift(staff["volunteer"].id)
    clock.moment = datetime(2026, 11, 18, 12, 30, tzinfo=LONDON)
    till.sign_out(staff["volunteer"].id)
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    till.open_session(5000, operator_id=staff["manager"].id)
    return till


def basket_of(till, *codes):
    basket = Basket()
    for code in codes:
        till.scan(basket, code)
    return basket


def test_credits_pay_for_the_dearest_set_items_and_the_rest_is_paid_in_money(credit_till, staff):
    val = staff["volunteer"].id
    assert credit_till.time_credits.balance(val, credit_till.today()) == 3
    basket = basket_of(credit_till, "T1", "K2", "5000000000029")  # tea 1.20, cake 1.80, beans 0.95
    tender = credit_till.time_credit_tender(basket, val, "2468", 1)
    assert tender.amount_pence == 180  # the cake, not the tea; beans are not a set item
    sale = credit_till.complete_sale(basket, [tender, Tender(kind=TenderKind.cash, amount_pence=215)],
                                     operator_id=staff["manager"].id)
    assert sale.total_pence == 395  # still takings at full price
    assert credit_till.time_credits.balance(val, credit_till.today()) == 2
    report = session_report(credit_till.db, [sale.session_id], zone=LONDON, vat_registered=False)
    assert report.time_credits == 1 and report.tenders["time_credits"] == 180
    assert report.cash_expected_pence == 5000 + 215  # credits are not cash in the drawer
    assert "Time credits taken" in render_report(report) and "1 for £1.80" in render_report(report)


def test_never_below_zero_and_only_with_the_volunteers_own_pin(credit_till, staff, db):
    val = staff["volunteer"].id
    basket = basket_of(credit_till, "T1", "T1", "T1", "T1")
    with pytest.raises(PaymentError, match="3 time credits, not 4"):
        credit_till.time_credit_tender(basket, val, "2468", 4)
    with pytest.raises(TillError):
        credit_till.time_credit_tender(basket, val, "0000", 1)
    # Two tenders made before either sale completes cannot both spend the last credits.
    first = credit_till.time_credit_tender(basket, val, "2468", 3)
    other = basket_of(credit_till, "T1", "T1", "T1")
    second = credit_till.time_credit_tender(other, val, "2468", 3)
    credit_till.complete_sale(basket, [first, Tender(kind=TenderKind.cash, amount_pence=120)],
                              operator_id=val)
    sales_before = db.execute("select count(*) from sales").fetchone()[0]
    with pytest.raises(TillError, match="0 time credits, not 3"):
        credit_till.complete_sale(other, [second], operator_id=val)
    assert db.execute("select count(*) from sales").fetchone()[0] == sales_before
    assert credit_till.time_credits.balance(val, credit_till.today()) == 0


def test_items_outside_the_set_categories_cannot_be_paid_with_credits(credit_till, staff):
    basket = basket_of(credit_till, "5000000000029", "T1")
    with pytest.raises(TillError, match="1 such item, not 2"):
        credit_till.time_credit_tender(basket, staff["volunteer"].id, "2468", 2)
    # A hand-made tender claiming more money than the items it covers is refused too.
    forged = Tender(kind=TenderKind.time_credits, amount_pence=215, credits=1, volunteer_id=staff["volunteer"].id)
    with pytest.raises(TillError, match="does not match"):
        credit_till.complete_sale(basket, [forged], operator_id=staff["volunteer"].id)


def test_a_refund_gives_the_credits_back(credit_till, staff):
    val = staff["volunteer"].id
    basket = basket_of(credit_till, "T1", "K2")
    sale = credit_till.complete_sale(basket, [credit_till.time_credit_tender(basket, val, "2468", 2)],
                                     operator_id=staff["manager"].id)
    assert credit_till.time_credits.balance(val, credit_till.today()) == 1
    first = credit_till.refund(sale.sale_number, operator_id=staff["manager"].id, reason="spilt", quantities={1: 1})
    assert credit_till.time_credits.balance(val, credit_till.today()) == 2  # the tea's own credit
    assert [(t.kind, t.amount_pence) for t in first.tenders] == [("time_credits", -120)]
    refund = credit_till.refund(sale.sale_number, operator_id=staff["manager"].id, reason="spilt")
    assert [t.kind for t in refund.tenders] == ["time_credits"]
    assert credit_till.time_credits.balance(val, credit_till.today()) == 3


def test_a_part_refund_gives_back_the_way_each_item_was_paid(credit_till, staff, db):
    val, boss = staff["volunteer"].id, staff["manager"].id
    basket = basket_of(credit_till, "T1", "5000000000029")  # tea on a credit, beans in cash
    tender = credit_till.time_credit_tender(basket, val, "2468", 1)
    sale = credit_till.complete_sale(basket, [tender, Tender(kind=TenderKind.cash, amount_pence=95)], operator_id=boss)
    beans = credit_till.refund(sale.sale_number, operator_id=boss, reason="dented", quantities={2: 1})
    assert [(t.kind, t.amount_pence) for t in beans.tenders] == [("cash", -95)]
    assert credit_till.time_credits.balance(val, credit_till.today()) == 2
    with pytest.raises(PaymentError, match="£1.20 of this refund goes back as time credits"):
        credit_till.refund(sale.sale_number, operator_id=boss, reason="cold", quantities={1: 1},
                           tenders=[Tender(kind=TenderKind.cash, amount_pence=120)])
    tea = credit_till.refund(sale.sale_number, operator_id=boss, reason="cold", quantities={1: 1})
    assert [(t.kind, t.amount_pence) for t in tea.tenders] == [("time_credits", -120)]
    assert credit_till.time_credits.balance(val, credit_till.today()) == 3
    assert db.execute("select sum(credits), sum(amount_pence) from time_credit_spends").fetchone() == (0, 0)


def test_two_of_a_line_one_on_credit_the_first_refunded_gives_the_credit_back(credit_till, staff):
    val, boss = staff["volunteer"].id, staff["manager"].id
    basket = basket_of(credit_till, "T1", "T1")
    tender = credit_till.time_credit_tender(basket, val, "2468", 1)
    sale = credit_till.complete_sale(basket, [tender, Tender(kind=TenderKind.card, amount_pence=120)],
                                     operator_id=boss)
    one = credit_till.refund(sale.sale_number, operator_id=boss, reason="x", quantities={1: 1})
    assert [(t.kind, t.amount_pence) for t in one.tenders] == [("time_credits", -120)]
    other = credit_till.refund(sale.sale_number, operator_id=boss, reason="x", quantities={1: 1})
    assert [(t.kind, t.amount_pence) for t in other.tenders] == [("card", -120)]


def test_free_items_are_not_paid_for_with_credits(credit_till, staff):
    basket = basket_of(credit_till, "T1")
    basket.discount_percent(0, 100, "birthday")
    with pytest.raises(PaymentError, match="nothing in this basket"):
        credit_till.time_credit_tender(basket, staff["volunteer"].id, "2468")
    with pytest.raises(TillError):
        credit_till.time_credit_tender(basket, staff["volunteer"].id, "2468", 1)


def test_a_society_that_does_not_take_credits_says_so(db, clock, staff, products):
    till = Till(db, clock=clock, zone=LONDON)
    till.open_session(5000, operator_id=staff["manager"].id)
    basket = basket_of(till, "T1")
    forged = Tender(kind=TenderKind.time_credits, amount_pence=120, credits=1, volunteer_id=staff["volunteer"].id)
    with pytest.raises(TillError, match="does not take time credits"):
        till.complete_sale(basket, [forged], operator_id=staff["volunteer"].id)


def test_left_unsaid_the_number_is_as_many_as_will_go(credit_till, staff):
    val = staff["volunteer"].id
    basket = basket_of(credit_till, "T1", "T1", "T1", "T1")
    assert credit_till.time_credit_tender(basket, val, "2468").credits == 3
    assert credit_till.time_credit_tender(basket_of(credit_till, "T1"), val, "2468").credits == 1
    with pytest.raises(PaymentError, match="nothing in this basket"):
        credit_till.time_credit_tender(basket_of(credit_till, "5000000000029"), val, "2468")
