from datetime import date, timedelta

import pytest

from coop.register import MemberDetails
from coop.shares import Decision
from core.errors import TillError
from pos.basket import Basket
from pos.config import CoopSettings
from pos.membership import Membership
from pos.reports import session_report
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON
from volunteers.permissions import NeedsApproval

cash = lambda p: Tender(kind=TenderKind.cash, amount_pence=p)  # noqa: E731


@pytest.fixture
def coop(db, till):
    return Membership(db, till, CoopSettings(min_shares=10, withdrawals_suspended=False, notice_days=0,
                                             member_discount_percent=10, category_discount_percent={"Services": 0}))


def details(name="Ada Example"):
    return MemberDetails(name=name, address="1 Green Walk")


def test_joining_at_the_till_takes_share_capital_not_takings(db, till, staff, coop):
    member = coop.join(details(), 20, operator_id=staff["manager"].id)
    assert member.number == "M0001" and coop.shares.held(member.id) == 20
    report = session_report(db, [till.current_session().id], zone=LONDON, vat_registered=True)
    assert report.share_capital_in_pence == 2000
    assert report.net_sales_pence == 0 and report.takings_pence == 0 and report.tenders == {}
    assert report.cash_expected_pence == 5000 + 2000


def test_a_volunteer_needs_a_lead_to_register_a_member(db, staff, coop):
    with pytest.raises(NeedsApproval):
        coop.join(details(), 20, operator_id=staff["volunteer"].id)
    assert db.execute("select count(*) from members").fetchone()[0] == 0
    coop.join(details(), 20, operator_id=staff["volunteer"].id, approver_id=staff["manager"].id)


def test_a_share_rule_refusal_writes_nothing(db, staff, coop):
    with pytest.raises(Exception, match="at least 10"):
        coop.join(details(), 5, operator_id=staff["manager"].id)
    assert db.execute("select count(*) from members").fetchone()[0] == 0
    assert db.execute("select count(*) from cash_movements").fetchone()[0] == 0


def test_paying_out_a_withdrawal_comes_from_the_drawer(db, till, staff, coop):
    member = coop.join(details(), 30, operator_id=staff["manager"].id)
    request = coop.shares.request_withdrawal(member, 30, on=date(2026, 11, 20), at=till.now(), by="Ada")
    coop.shares.decide(request.id, Decision.approved, on=date(2026, 11, 20), at=till.now(), by="Board")
    with pytest.raises(NeedsApproval):
        coop.pay_withdrawal(request.id, operator_id=staff["volunteer"].id)
    assert coop.pay_withdrawal(request.id, operator_id=staff["manager"].id) == 3000
    report = session_report(db, [till.current_session().id], zone=LONDON, vat_registered=False)
    assert (report.share_capital_in_pence, report.share_capital_out_pence, report.cash_expected_pence) == (
        3000, 3000, 5000)
    assert not coop.register.get(member.id).is_member


def test_member_prices_apply_as_lines_come_and_go(till, staff, coop):
    member = coop.join(details(), 10, operator_id=staff["manager"].id)
    basket = Basket()
    till.scan(basket, "K2")
    coop.attach(basket, coop.find(member.card_code))
    till.scan(basket, "K2")        # joins the member-priced line
    till.scan(basket, "STAMP")     # Services: no member discount
    assert basket.member_savings_pence == 36 and basket.total_pence == 360 - 36 + 165
    basket.discount_line(0, 100, "damaged")   # the volunteer's own discount wins over the member price
    assert basket.member_savings_pence == 0
    basket.discount_line(0, 0, "damaged")
    assert basket.member_savings_pence == 36
    sale = till.complete_sale(basket, [cash(basket.total_pence)], operator_id=staff["volunteer"].id)
    assert {line.member_number for line in sale.lines} == {"M0001"}
    assert sale.lines[0].discount_reason == "member price"


def test_find_by_number_or_current_card_only(coop, staff):
    member = coop.join(details(), 10, operator_id=staff["manager"].id)
    assert coop.find("m0001").id == member.id and coop.find(member.card_code).id == member.id
    coop.register.reissue_card(member.id, at="x", by="Sam")
    assert coop.find(member.card_code) is None
    assert coop.find("T1") is None and coop.find("M9999") is None


def test_dividend_uses_member_purchases_net_of_refunds_and_excludes_pass_through(till, staff, coop):
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    bo = coop.join(details("Bo"), 50, operator_id=staff["manager"].id)  # more shares: no more divi
    for member, codes in ((ada, ["K2", "K2", "STAMP"]), (bo, ["K2"])):
        basket = Basket()
        for code in codes:
            till.scan(basket, code)
        coop.attach(basket, member)
        till.complete_sale(basket, [cash(basket.total_pence)], operator_id=staff["volunteer"].id)
    till.refund(1, operator_id=staff["manager"].id, reason="x", quantities={1: 1})
    day = date(2026, 11, 20)
    assert coop.qualifying_purchases(day, day) == {"M0001": 162, "M0002": 162}
    preview = coop.preview_dividend(day, day, 1001)
    assert [p.part_pence for p in preview.parts] == [501, 500]
    with pytest.raises(NeedsApproval):
        coop.declare_dividend(day, day, 1001, operator_id=staff["volunteer"].id)
    till.clock.moment += timedelta(days=1)  # declared once the period is over
    run = coop.declare_dividend(day, day, 1001, operator_id=staff["manager"].id)
    assert coop.preview_dividend(day, day, 1001).parts == preview.parts  # reproducible
    assert coop.dividends.credit_balance(ada.id) == 501 and run == 1


def test_community_benefit_societies_pay_no_dividend(db, till, staff):
    coop = Membership(db, till, CoopSettings(society_type="community-benefit"))
    with pytest.raises(TillError, match="community benefit"):
        coop.preview_dividend(date(2026, 1, 1), date(2026, 12, 31), 100)


def test_my_shares_statement(till, staff, coop):
    member = coop.join(details(), 25, operator_id=staff["manager"].id)
    coop.shares.request_withdrawal(member, 5, on=date(2026, 11, 20), at=till.now(), by="Ada")
    statement = coop.statement(member)
    assert (statement.shares, statement.share_value_pence, statement.paid_in_pence) == (25, 2500, 2500)
    assert statement.pending_withdrawals == ["5 shares asked for on 20/11/2026, waiting for the board"]
    assert statement.dividend_earned_pence == 0 and statement.dividend_estimate_pence is None


def test_till_credit_pays_at_the_till_and_never_goes_below_zero(db, till, staff, coop):
    member = coop.join(details(), 10, operator_id=staff["manager"].id)
    db.execute("insert into member_credit (member_id, at, amount_pence, kind) values (?, 'x', 150, 'dividend')",
               [member.id])
    basket = Basket()
    till.scan(basket, "K2")
    with pytest.raises(Exception, match="scanned first"):
        till.complete_sale(basket, [Tender(kind=TenderKind.member_credit, amount_pence=100), cash(80)],
                           operator_id=staff["volunteer"].id)
    coop.attach(basket, member)  # a typed number: member prices, but the credit stays theirs
    with pytest.raises(Exception, match="scanned first"):
        till.complete_sale(basket, [Tender(kind=TenderKind.member_credit, amount_pence=100), cash(62)],
                           operator_id=staff["volunteer"].id)
    coop.attach(basket, coop.find(member.card_code), card=True)  # 180 less 10% = 162
    with pytest.raises(Exception, match="£1.50 of credit, not £1.62"):
        till.complete_sale(basket, [Tender(kind=TenderKind.member_credit, amount_pence=162)],
                           operator_id=staff["volunteer"].id)
    assert db.execute("select count(*) from sales").fetchone()[0] == 0
    till.complete_sale(basket, [Tender(kind=TenderKind.member_credit, amount_pence=150), cash(12)],
                       operator_id=staff["volunteer"].id)
    assert coop.dividends.credit_balance(member.id) == 0
    till.refund(1, operator_id=staff["manager"].id, reason="x")
    assert coop.dividends.credit_balance(member.id) == 150  # the credit comes back with a refund


def test_no_member_price_on_money_collected_for_others(till, staff, coop):
    member = coop.join(details(), 10, operator_id=staff["manager"].id)
    basket = Basket()
    coop.attach(basket, member)
    till.scan(basket, "STAMP")
    coop.settings.category_discount_percent.clear()
    coop.attach(basket, member)
    assert basket.member_savings_pence == 0 and basket.total_pence == 165


def test_a_dividend_waits_for_its_period_to_end(till, staff, coop):
    with pytest.raises(TillError, match="period that has ended"):
        coop.declare_dividend(date(2026, 11, 1), date(2026, 11, 30), 100, operator_id=staff["manager"].id)


def test_looking_members_up_by_name_is_for_leads_and_is_audited(db, staff, coop):
    from volunteers.permissions import NeedsApproval

    boss, val = staff["manager"].id, staff["volunteer"].id
    member = coop.join(details(), 10, operator_id=boss)
    with pytest.raises(NeedsApproval):
        coop.search("Ada", operator_id=val)
    assert [m.number for m in coop.search("Ada", operator_id=val, approver_id=boss)] == [member.number]
    coop.found(member.id, operator_id=val, approver_id=boss)
    row = db.execute("select operator_id, approver_id, detail from audit_log where action = 'find_member'").fetchone()
    assert row == (val, boss, f"looked up {member.number}")


def _bought(till, staff, coop, member, code="K2"):
    basket = Basket()
    till.scan(basket, code)
    coop.attach(basket, member)
    till.complete_sale(basket, [cash(basket.total_pence)], operator_id=staff["volunteer"].id)


def _cash_dividend(db, till, staff, settings=None):
    coop = Membership(db, till, settings or CoopSettings(min_shares=10, withdrawals_suspended=False, notice_days=0,
                                                         dividend_payout="cash"))
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    _bought(till, staff, coop, ada)
    day = till.today()
    till.clock.moment += timedelta(days=1)
    run = coop.declare_dividend(day, day, 500, operator_id=staff["manager"].id)
    return coop, ada, run


def test_a_cash_dividend_is_owed_until_the_till_pays_it_once(db, till, staff):
    from core import journal

    coop, ada, _ = _cash_dividend(db, till, staff)
    owed = coop.dividends.owed()
    assert [(p.number, p.amount_pence) for p in owed] == [("M0001", 500)]
    assert coop.statement(ada).dividend_owed_pence == 500 and coop.dividends.credit_balance(ada.id) == 0
    with pytest.raises(NeedsApproval):
        coop.pay_dividend(owed[0].part_id, operator_id=staff["volunteer"].id)
    assert coop.pay_dividend(owed[0].part_id, operator_id=staff["manager"].id) == 500
    with pytest.raises(Exception, match="settled already"):
        coop.pay_dividend(owed[0].part_id, operator_id=staff["manager"].id)
    assert coop.dividends.owed() == [] and coop.statement(ada).dividend_owed_pence == 0
    report = session_report(db, [till.current_session().id], zone=LONDON, vat_registered=False)
    assert report.dividend_paid_pence == 500
    assert report.cash_expected_pence == 5000 + 1000 + 171 - 500  # float, shares, the sale (5% off), the dividend
    assert report.takings_pence == 171  # paying a dividend is not a refund of takings
    assert journal.verify(db) == []
    assert db.execute("select count(*) from journal where kind = 'dividend_paid'").fetchone()[0] == 1


def test_an_under_16s_cash_dividend_can_only_become_till_credit(db, till, staff):
    coop, ada, _ = _cash_dividend(db, till, staff)
    young = coop.update_member(ada, {"date_of_birth": date(2015, 6, 1)}, operator_id=staff["manager"].id)
    part = coop.dividends.owed()[0].part_id
    with pytest.raises(Exception, match="under 16"):
        coop.pay_dividend(part, operator_id=staff["manager"].id)
    assert db.execute("select count(*) from cash_movements where kind = 'dividend_out'").fetchone()[0] == 0
    assert coop.pay_dividend(part, operator_id=staff["manager"].id, as_credit=True) == 500
    assert coop.dividends.credit_balance(young.id) == 500 and coop.dividends.owed() == []


def test_a_member_chooses_how_their_dividend_is_paid(db, till, staff, coop):
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    bo = coop.join(details("Bo"), 10, operator_id=staff["manager"].id)
    coop.update_member(bo, {"dividend_payout": "shares"}, operator_id=staff["manager"].id)
    for member in (ada, bo):
        _bought(till, staff, coop, member)
    day = till.today()
    assert [p.payout.value for p in coop.preview_dividend(day, day, 1000).parts] == ["credit", "shares"]
    assert [c["field"] for c in coop.register.changes(bo.id)][-1] == "dividend_payout"  # who and when, kept
    till.clock.moment += timedelta(days=1)
    coop.declare_dividend(day, day, 1000, operator_id=staff["manager"].id)
    holding = coop.shares.holding(bo.id)
    # Five £1 shares from the dividend are paid up, though no cash moved for them.
    assert (holding.shares, holding.paid_in_pence) == (15, 1500)


def test_credit_left_when_a_member_leaves_is_paid_out_in_cash(db, till, staff, coop):
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    db.execute("insert into member_credit (member_id, at, amount_pence, kind) values (?, 'x', 250, 'dividend')",
               [ada.id])
    request = coop.shares.request_withdrawal(ada, 10, on=till.today(), at=till.now(), by="Ada")
    coop.shares.decide(request.id, Decision.approved, on=till.today(), at=till.now(), by="Board")
    coop.pay_withdrawal(request.id, operator_id=staff["manager"].id)
    gone = coop.register.get(ada.id)
    assert not gone.is_member
    with pytest.raises(TillError, match="no longer a member"):
        coop.attach(Basket(), gone)  # so the credit could never be spent at the till
    with pytest.raises(NeedsApproval):
        coop.pay_out_credit(gone, operator_id=staff["volunteer"].id)
    assert coop.pay_out_credit(gone, operator_id=staff["manager"].id) == 250
    assert coop.dividends.credit_balance(ada.id) == 0
    with pytest.raises(TillError, match="no till credit"):
        coop.pay_out_credit(gone, operator_id=staff["manager"].id)
    report = session_report(db, [till.current_session().id], zone=LONDON, vat_registered=False)
    assert (report.credit_paid_out_pence, report.cash_expected_pence) == (250, 5000 + 1000 - 1000 - 250)


def test_the_estimate_never_counts_purchases_a_dividend_already_covered(db, till, staff, coop):
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    _bought(till, staff, coop, ada)
    day = till.today()
    till.clock.moment += timedelta(days=1)
    coop.declare_dividend(day, day, 81, operator_id=staff["manager"].id)
    statement = coop.statement(ada)
    assert (statement.dividend_earned_pence, statement.dividend_estimate_pence) == (81, 0)
    till.close_session(0, operator_id=staff["manager"].id)
    till.open_session(5000, operator_id=staff["manager"].id)  # the next day's trade
    _bought(till, staff, coop, ada)  # after the period: half a penny per penny, as last time
    assert coop.statement(ada).dividend_estimate_pence == 81


def test_a_date_of_birth_is_kept_only_for_the_under_16_rule(db, till, staff, coop):
    with pytest.raises(Exception, match="only for members under 16"):
        coop.join(MemberDetails(name="Grown Up", address="1 Green Walk", date_of_birth=date(1990, 1, 1)), 10,
                  operator_id=staff["manager"].id)
    with pytest.raises(Exception, match="future"):
        coop.join(MemberDetails(name="Not Yet", address="1 Green Walk", date_of_birth=date(2030, 1, 1)), 10,
                  operator_id=staff["manager"].id)
    assert db.execute("select count(*) from members").fetchone()[0] == 0
    young = coop.join(MemberDetails(name="Young", address="1 Green Walk", date_of_birth=date(2014, 3, 1)), 10,
                      operator_id=staff["manager"].id)
    assert young.age_on(till.today()) == 12


def test_ending_a_membership_needs_its_shares_withdrawn_first(db, till, staff, coop):
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    with pytest.raises(TillError, match="still holds 10 shares"):
        coop.cease_member(ada, reason="moved away", operator_id=staff["manager"].id)
    assert coop.register.get(ada.id).is_member
    db.execute("insert into members (number, name, address, under5_household, consent_contact, admitted_on,"
               " card_hash, created_at) values ('M0002', 'No Shares', 'x', 0, 0, '2026-01-01', 't', 'x')")
    bo = coop.register.by_number("M0002")
    with pytest.raises(NeedsApproval):
        coop.cease_member(bo, reason="expelled by the board", operator_id=staff["volunteer"].id)
    assert coop.cease_member(bo, reason="expelled by the board", operator_id=staff["manager"].id).ceased_on == \
        till.today()


def test_the_card_is_never_saved_with_a_basket_and_leavers_cannot_spend_credit(db, till, staff, coop):
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    db.execute("insert into member_credit (member_id, at, amount_pence, kind) values (?, 'x', 500, 'dividend')",
               [ada.id])
    basket = Basket()
    till.scan(basket, "K2")
    coop.attach(basket, coop.find(ada.card_code), card=True)
    basket.taken = [Tender(kind=TenderKind.member_credit, amount_pence=100), cash(10)]
    till.keep_open_basket(basket, operator_id=staff["volunteer"].id)
    restored = till.open_basket()
    assert restored.member_number == "M0001" and not restored.member_card  # a crash, or a parked one
    with pytest.raises(Exception, match="scanned first"):
        till.complete_sale(restored, [Tender(kind=TenderKind.member_credit, amount_pence=162)],
                           operator_id=staff["volunteer"].id)
    coop.attach(restored, None)  # another member now: credit worked out for Ada does not go with them
    assert [t.kind for t in restored.taken] == ["cash"]
    request = coop.shares.request_withdrawal(ada, 10, on=till.today(), at=till.now(), by="Ada")
    coop.shares.decide(request.id, Decision.approved, on=till.today(), at=till.now(), by="Board")
    coop.pay_withdrawal(request.id, operator_id=staff["manager"].id)  # she has left, card in hand
    with pytest.raises(Exception, match="no longer a member"):
        till.complete_sale(basket, [Tender(kind=TenderKind.member_credit, amount_pence=162)],
                           operator_id=staff["volunteer"].id)
    assert coop.dividends.credit_balance(ada.id) == 500
