import sqlite3

import pytest

from core.errors import TillError
from inventory.products import CatalogueError
from inventory.stock import Stock
from pos.basket import Basket, BasketError
from pos.database import open_database
from pos.tenders import PaymentError, Tender, TenderKind
from pos.till import NotOpen, Till

cash = lambda p: Tender(kind=TenderKind.cash, amount_pence=p)  # noqa: E731
card = lambda p: Tender(kind=TenderKind.card, amount_pence=p)  # noqa: E731


def count(db, table):
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def sell(till, staff, *codes, tenders=None, eat_in=False, member=None):
    basket = Basket(eat_in=eat_in)
    for code in codes:
        till.scan(basket, code)
    basket.attach_member(member)
    return till.complete_sale(basket, tenders or [cash(basket.total_pence)], operator_id=staff["volunteer"].id)


def test_a_sale_records_lines_tenders_and_stock_together(db, till, staff, products):
    Stock(db).goods_in(products["milk"].id, 10, at=till.now())
    sale = sell(till, staff, "5000000000012", "5000000000012", "T1", tenders=[cash(1000)])
    assert sale.sale_number == 1 and sale.total_pence == 2 * 145 + 120
    assert sale.change_pence == 1000 - 410
    assert count(db, "sale_lines") == 2 and count(db, "tenders") == 1
    assert Stock(db).on_hand(products["milk"].id) == 8
    # Made-to-order tea moves no stock.
    assert not Stock(db).movements(products["tea"].id)
    stored = till.get_sale(1)
    assert [l.model_dump(exclude={"id"}) for l in stored.lines] == [l.model_dump(exclude={"id"}) for l in sale.lines]
    assert stored.tenders == sale.tenders
    assert stored.operator_id == staff["volunteer"].id and stored.till_id == "till-1"


def test_sale_numbers_run_per_till(db, db_path, till, staff, clock):
    other = Till(open_database(db_path), till_id="till-2", clock=clock, zone=till.zone)
    other.open_session(0, operator_id=staff["manager"].id)
    assert [sell(till, staff, "T1").sale_number for _ in range(3)] == [1, 2, 3]
    assert sell(other, staff, "T1").sale_number == 1
    assert sell(till, staff, "T1").sale_number == 4


def test_every_line_carries_the_member_number(till, staff):
    sale = sell(till, staff, "T1", "K2", member="M0042")
    assert {line.member_number for line in till.get_sale(sale.sale_number).lines} == {"M0042"}


def test_nothing_is_written_when_payment_falls_short(db, till, staff):
    basket = Basket()
    till.scan(basket, "T1")
    with pytest.raises(PaymentError):
        till.complete_sale(basket, [cash(100)], operator_id=staff["volunteer"].id)
    assert count(db, "sales") == 0
    assert len(basket.lines) == 1  # the basket is still there to pay again


def test_a_failure_half_way_leaves_no_trace(db, till, staff, products):
    basket = Basket()
    till.scan(basket, "T1")
    basket.lines[0].product_id = 999_999  # the line insert will fail its foreign key
    with pytest.raises(sqlite3.IntegrityError):
        till.complete_sale(basket, [cash(120)], operator_id=staff["volunteer"].id)
    assert count(db, "sales") == 0 and count(db, "tenders") == 0


def test_cannot_sell_with_the_till_closed(db, clock, staff, products):
    closed = Till(db, clock=clock)
    basket = Basket()
    closed.scan(basket, "T1")
    with pytest.raises(NotOpen):
        closed.complete_sale(basket, [cash(120)], operator_id=staff["volunteer"].id)


def test_a_till_closed_under_a_sale_is_opened_again_by_a_shift_lead(db, db_path, till, staff):
    from volunteers.permissions import NeedsApproval

    basket = Basket()
    till.scan(basket, "T1")
    # The Z on the command line: another connection to the same file.
    Till(open_database(db_path), till_id="till-1", clock=till.clock).close_session(0, operator_id=staff["manager"].id)
    with pytest.raises(NotOpen):
        till.complete_sale(basket, [cash(120)], operator_id=staff["volunteer"].id)
    with pytest.raises(NeedsApproval):
        till.reopen_session(2000, operator_id=staff["volunteer"].id)
    session = till.reopen_session(2000, operator_id=staff["volunteer"].id, approver_id=staff["manager"].id)
    assert session.float_pence == 2000 and session.closed_at is None
    assert till.complete_sale(basket, [cash(120)], operator_id=staff["volunteer"].id).session_id == session.id
    assert db.execute("select approver_id from audit_log where action = 'reopen_till'").fetchone()[0] \
        == staff["manager"].id


def test_empty_basket_cannot_be_sold(till, staff):
    with pytest.raises(BasketError, match="empty"):
        till.complete_sale(Basket(), [], operator_id=staff["volunteer"].id)


def test_unknown_operator_is_refused(till):
    basket = Basket()
    till.scan(basket, "T1")
    with pytest.raises(TillError, match="no volunteer"):
        till.complete_sale(basket, [cash(120)], operator_id=12345)


def test_old_sales_keep_their_price(db, till, staff, products):
    sell(till, staff, "T1")
    till.catalogue.set_price(products["tea"].id, 150, at=till.now())
    sell(till, staff, "T1")
    assert [till.get_sale(n).lines[0].unit_price_pence for n in (1, 2)] == [120, 150]


def test_vat_class_follows_eat_in_and_hot_food(till, staff):
    take_away = sell(till, staff, "K2", "T1", "5000000000029", "STAMP")
    eat_in = sell(till, staff, "K2", eat_in=True)
    assert [(l.vat_class, l.vat_rate_bp) for l in take_away.lines] == [
        ("zero", 0), ("standard", 2000), ("zero", 0), ("outside", 0)]
    assert (eat_in.lines[0].vat_class, eat_in.lines[0].vat_rate_bp) == ("standard", 2000)


def test_discounted_sale_stores_the_discount_with_its_reason(till, staff):
    basket = Basket()
    till.scan(basket, "K2")
    till.scan(basket, "T1")
    basket.discount_all(30, "birthday")
    sale = till.complete_sale(basket, [cash(270)], operator_id=staff["volunteer"].id)
    assert sum(l.discount_pence for l in sale.lines) == 30
    assert {l.discount_reason for l in sale.lines} == {"birthday"}
    assert sum(l.line_total_pence for l in sale.lines) == sale.total_pence == 270


# Refunds ---------------------------------------------------------------------------


def test_whole_refund_returns_money_and_stock(db, till, staff, products):
    Stock(db).goods_in(products["milk"].id, 5, at=till.now())
    sell(till, staff, "5000000000012", "T1")
    refund = till.refund(1, operator_id=staff["manager"].id, reason="wrong item")
    assert refund.kind == "refund" and refund.sale_number == 2 and refund.refund_of == till.get_sale(1).id
    assert refund.total_pence == -265
    assert [l.quantity for l in refund.lines] == [-1, -1]
    assert refund.tenders[0].kind == TenderKind.cash and refund.tenders[0].amount_pence == -265
    assert Stock(db).on_hand(products["milk"].id) == 5
    with pytest.raises(TillError, match="already been refunded"):
        till.refund(1, operator_id=staff["manager"].id, reason="again")


def test_partial_refunds_never_exceed_what_was_sold(till, staff):
    basket = Basket()
    till.scan(basket, "K2", 3)
    basket.discount_line(0, 100, "damaged",  # 3 x 180 - 100 = 440: not divisible by 3
                         approved_by=staff["manager"].id)  # above the volunteer limit
    till.complete_sale(basket, [cash(440)], operator_id=staff["volunteer"].id)
    sale = till.get_sale(1)
    amounts = []
    for _ in range(3):
        foreseen = till.refund_total(sale, {1: 1})  # what the refund dialog shows before it is done
        amounts.append(till.refund(1, operator_id=staff["manager"].id, reason="stale", quantities={1: 1}).total_pence)
        assert amounts[-1] == -foreseen
    assert sum(amounts) == -440  # every penny back, no more
    with pytest.raises(TillError):
        till.refund(1, operator_id=staff["manager"].id, reason="stale", quantities={1: 1})


def test_refund_of_more_than_remains_is_refused_and_writes_nothing(db, till, staff):
    sell(till, staff, "T1")
    before = count(db, "sales")
    with pytest.raises(TillError, match="1 can be refunded, not 2"):
        till.refund(1, operator_id=staff["manager"].id, reason="x", quantities={1: 2})
    with pytest.raises(TillError, match="no line 5"):
        till.refund(1, operator_id=staff["manager"].id, reason="x", quantities={5: 1})
    assert count(db, "sales") == before


def test_refunded_goods_marked_as_waste_do_not_return_to_stock(db, till, staff, products):
    Stock(db).goods_in(products["milk"].id, 5, at=till.now())
    sell(till, staff, "5000000000012")
    till.refund(1, operator_id=staff["manager"].id, reason="sour", waste=True)
    assert Stock(db).on_hand(products["milk"].id) == 4
    assert [m["kind"] for m in Stock(db).movements(products["milk"].id)] == ["goods_in", "sale", "refund", "wastage"]


def test_a_refund_cannot_be_refunded_and_needs_a_reason(till, staff):
    sell(till, staff, "T1")
    with pytest.raises(TillError, match="say why"):
        till.refund(1, operator_id=staff["manager"].id, reason="")
    till.refund(1, operator_id=staff["manager"].id, reason="spilt")
    with pytest.raises(TillError, match="itself a refund"):
        till.refund(2, operator_id=staff["manager"].id, reason="x")


def test_refund_tenders_must_add_up(till, staff):
    sell(till, staff, "K2", tenders=[card(180)])
    with pytest.raises(PaymentError, match="add up"):
        till.refund(1, operator_id=staff["manager"].id, reason="x", tenders=[card(100)])
    refund = till.refund(1, operator_id=staff["manager"].id, reason="x", tenders=[card(180)])
    assert refund.tenders[0].kind == TenderKind.card and refund.tenders[0].amount_pence == -180


def test_unknown_sale_number(till, staff):
    with pytest.raises(TillError, match="no sale number 77"):
        till.refund(77, operator_id=staff["manager"].id, reason="x")


# Voids, cash movements, sessions -----------------------------------------------


def test_void_leaves_a_record_and_empties_the_basket(db, till, staff):
    basket = Basket()
    till.scan(basket, "T1")
    till.scan(basket, "K2")
    till.void(basket, operator_id=staff["volunteer"].id, reason="changed mind")
    assert basket.is_empty
    assert db.execute("select line_count, total_pence, reason from voids").fetchone() == (2, 300, "changed mind")
    assert count(db, "sales") == 0


def test_paid_out_needs_a_reason_and_a_positive_amount(db, till, staff):
    with pytest.raises(TillError, match="say what"):
        till.paid_out(250, reason="", operator_id=staff["manager"].id)
    with pytest.raises(TillError, match="more than"):
        till.paid_out(0, reason="milk", operator_id=staff["manager"].id)
    till.paid_out(250, reason="milk from the corner shop", operator_id=staff["manager"].id)
    till.no_sale(operator_id=staff["manager"].id)
    assert count(db, "cash_movements") == 2


def test_one_open_session_per_till(till, staff):
    with pytest.raises(TillError, match="already open"):
        till.open_session(100, operator_id=staff["manager"].id)
    closed = till.close_session(5000, operator_id=staff["manager"].id)
    assert closed.z_number == 1 and closed.counted_pence == 5000
    assert till.current_session() is None
    with pytest.raises(NotOpen):
        till.close_session(0, operator_id=staff["manager"].id)
    assert till.open_session(5000, operator_id=staff["manager"].id).float_pence == 5000


def test_business_date_is_the_local_day_the_session_opened(db, clock, staff, products):
    clock.set("2026-06-30T23:30:00")  # 22:30 UTC in summer time: still the 30th in London
    late = Till(db, clock=clock)
    assert late.open_session(0, operator_id=staff["manager"].id).business_date == "2026-06-30"


def test_add_by_product_id(till, staff, products):
    basket = Basket()
    till.add_product(basket, products["cake"].id, 2)
    assert basket.lines[0].name == "Slice of cake" and basket.lines[0].quantity == 2
    with pytest.raises(CatalogueError, match="no product number 9999"):
        till.add_product(basket, 9999)
    assert len(basket.lines) == 1


def test_refunds_go_back_the_way_they_were_paid(till, staff):
    sell(till, staff, "5000000000012", "K2",
         tenders=[Tender(kind=TenderKind.healthy_start, amount_pence=145), cash(500)])  # 325 total
    first = till.refund(1, operator_id=staff["manager"].id, reason="x", quantities={1: 1})
    assert {t.kind: t.amount_pence for t in first.tenders} == {"healthy_start": -65, "cash": -80}  # in the shares they paid: 145 and 180 of 325
    second = till.refund(1, operator_id=staff["manager"].id, reason="x", quantities={2: 1})
    paid_back = {}
    for refund in (first, second):
        for t in refund.tenders:
            paid_back[t.kind] = paid_back.get(t.kind, 0) - t.amount_pence
    assert paid_back == {"healthy_start": 145, "cash": 180}  # never more to a tender than it paid


def test_rounding_up_for_the_community_fund_is_not_takings(db, till, staff):
    from pos.reports import session_report
    from tests.conftest import LONDON

    basket = Basket()
    till.scan(basket, "K2")
    till.scan(basket, "T1")
    assert basket.round_up() == 100  # £3.00 is already round: a whole pound more
    basket.donate(35)
    sale = till.complete_sale(basket, [cash(500)], operator_id=staff["volunteer"].id)
    assert sale.total_pence == 335 and sale.change_pence == 165
    assert sum(l.line_total_pence for l in sale.lines) == 300 and till.get_sale(1).donation_pence == 35
    x = session_report(db, [till.current_session().id], zone=LONDON, vat_registered=True)
    assert (x.net_sales_pence, x.takings_pence, x.donations_pence, x.community_fund_pence) == (300, 300, 35, 35)
    assert x.tenders == {"cash": 335} and x.cash_expected_pence == 5000 + 335
    assert sum(v.gross_pence for v in x.vat) == 300  # no VAT on a gift
    refund = till.refund(1, operator_id=staff["manager"].id, reason="changed mind")
    assert refund.total_pence == -300  # the gift stays in the fund
    with pytest.raises(BasketError):
        Basket().round_up()


def test_pay_it_forward_pool_never_goes_negative_and_keeps_no_name(db, till, staff, products):
    from pos.reports import session_report
    from tests.conftest import LONDON

    basket = Basket(member_number="M0009")
    till.scan(basket, "T1", 2)
    basket.pay_forward(0)
    till.scan(basket, "T1")  # one for themselves: a separate line
    sale = till.complete_sale(basket, [cash(360)], operator_id=staff["volunteer"].id)
    assert [(l.quantity, l.pay_forward) for l in sale.lines] == [(2, True), (1, False)]
    assert till.paid_forward() == [(products["tea"].id, "Tea", 2)]
    for _ in range(2):
        claim = Basket(member_number="M0042")
        claim.claim(products["tea"])
        free = till.complete_sale(claim, [], operator_id=staff["volunteer"].id)
        assert free.total_pence == 0 and free.lines[0].member_number is None  # nobody's name kept
    assert till.paid_forward() == []
    one_more = Basket()
    one_more.claim(products["tea"])
    with pytest.raises(PaymentError, match="nothing of that kind is waiting"):
        till.complete_sale(one_more, [], operator_id=staff["volunteer"].id)
    assert db.execute("select count(*) from sales").fetchone()[0] == 3
    x = session_report(db, [till.current_session().id], zone=LONDON, vat_registered=False)
    assert (x.paid_forward, x.claimed, x.takings_pence) == (2, 2, 360)
    with pytest.raises(PaymentError):  # what was paid forward has been claimed: it cannot be refunded
        till.refund(1, operator_id=staff["manager"].id, reason="x", quantities={1: 1})
