from datetime import date

from pos.basket import Basket
from pos.demo_trade import simulate
from pos.report_text import render_report
from pos.reports import session_report, sessions_on
from pos.sales_export import sale_lines
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON

cash = lambda p: Tender(kind=TenderKind.cash, amount_pence=p)  # noqa: E731
card = lambda p: Tender(kind=TenderKind.card, amount_pence=p)  # noqa: E731


def sell(till, staff, codes, tenders, eat_in=False):
    basket = Basket(eat_in=eat_in)
    for code in codes:
        till.scan(basket, code)
    return till.complete_sale(basket, tenders, operator_id=staff["volunteer"].id)


def report(till, vat=False):
    return session_report(till.db, [till.current_session().id], zone=LONDON, vat_registered=vat)


def test_x_report_adds_up_a_session(till, staff):
    sell(till, staff, ["T1", "K2"], [cash(500)])                 # 300, change 200
    sell(till, staff, ["5000000000012"], [card(145)])            # 145 on card
    sell(till, staff, ["STAMP", "T1"], [cash(285)])              # 165 pass-through + 120
    till.refund(1, operator_id=staff["manager"].id, reason="cold", quantities={1: 1})  # -120 cash
    basket = Basket()
    till.scan(basket, "K2")
    till.void(basket, operator_id=staff["volunteer"].id)
    till.paid_out(250, reason="milk", operator_id=staff["manager"].id)
    till.paid_in(1000, reason="float top-up", operator_id=staff["manager"].id)
    till.no_sale(operator_id=staff["manager"].id)

    x = report(till)
    assert x.kind == "X" and x.sales_count == 3 and x.refunds_count == 1
    assert x.gross_sales_pence == 730 and x.refunds_pence == 120
    assert x.net_sales_pence == 610
    assert x.pass_through_pence == 165 and x.takings_pence == 445
    assert x.tenders == {"card": 145, "cash": 300 + 285 - 120}
    assert (x.voids_count, x.voids_pence, x.no_sales) == (1, 180, 1)
    assert x.cash_expected_pence == 5000 + 465 + 1000 - 250
    assert x.cash_counted_pence is None and x.vat is None
    assert {c.category: c.net_pence for c in x.categories} == {
        "Hot drinks": 120, "Cakes": 180, "Dairy": 145, "Services": 165}


def test_z_report_closes_with_the_counted_difference(till, staff):
    sell(till, staff, ["T1"], [cash(120)])
    session = till.close_session(5100, operator_id=staff["manager"].id)
    z = session_report(till.db, [session.id], zone=LONDON, vat_registered=False)
    assert z.kind == "Z" and z.z_numbers == [1]
    assert z.cash_expected_pence == 5120 and z.cash_counted_pence == 5100 and z.cash_difference_pence == -20
    text = render_report(z, shop_name="Test Café")
    assert "Z REPORT" in text and "-£0.20 (short)" in text and "VAT" not in text


def test_vat_section_only_when_registered(till, staff):
    sell(till, staff, ["K2"], [cash(180)])                 # zero-rated take-away cake
    sell(till, staff, ["K2"], [cash(180)], eat_in=True)    # eaten in: standard
    sell(till, staff, ["T1", "STAMP"], [cash(285)])        # hot drink standard; stamp outside VAT
    assert report(till, vat=False).vat is None
    vat = {(v.vat_class, v.rate): v for v in report(till, vat=True).vat}
    assert set(vat) == {("standard", "20%"), ("zero", "0%")}
    assert vat[("standard", "20%")].gross_pence == 300 and vat[("standard", "20%")].vat_pence == 50
    assert vat[("zero", "0%")].vat_pence == 0
    assert "VAT" in render_report(report(till, vat=True))


def test_vat_rounding():
    from pos.vat import vat_in

    assert vat_in(120, 2000) == 20
    assert vat_in(100, 2000) == 17   # 16.67 rounds up
    assert vat_in(105, 500) == 5
    assert vat_in(-120, 2000) == -20


def test_z_net_sales_equal_the_days_exported_lines(db, staff):
    summary = simulate(db, days=4, seed=7, until=date(2026, 3, 31), till_id="till-1", zone=LONDON)
    assert summary.days == 4
    for day in ("2026-03-28", "2026-03-29", "2026-03-30", "2026-03-31"):  # clocks change on the 29th
        z = session_report(db, sessions_on(db, "till-1", day), zone=LONDON, vat_registered=True)
        exported = list(sale_lines(db, date.fromisoformat(day), date.fromisoformat(day), zone=LONDON))
        assert z.net_sales_pence == sum(row["line_total_pence"] for row in exported)
        assert z.sales_count == len({row["sale_number"] for row in exported if row["kind"] == "sale"})
        assert sum(z.tenders.values()) == z.net_sales_pence + z.donations_pence
