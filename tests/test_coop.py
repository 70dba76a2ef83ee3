from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.dividend import CeasedMembers, DividendError, Dividends, Payout, plan
from coop.register import CARD_PREFIX, MemberDetails, Register, RegisterError
from coop.shares import Decision, ShareError, ShareRules, Shares
from core.allocation import allocate

AT = "2026-11-20T10:00:00.000000Z"
RULES = ShareRules(share_value_pence=100, min_shares=10, max_shares=1000, notice_days=90,
                   withdrawals_suspended=False)


def admit(db, name="Ada Example", on=date(2025, 1, 10), **extra):
    return Register(db).admit(MemberDetails(name=name, address="1 Green Walk", **extra), on=on, at=AT, by="Sam")


# The register ---------------------------------------------------------------------------


def test_admitting_numbers_members_and_logs_who_did_it(db):
    first, second = admit(db), admit(db, "Bo Example")
    assert (first.number, second.number) == ("M0001", "M0002")
    assert Register(db).changes(first.id)[0]["changed_by"] == "Sam"


def test_changes_are_recorded_and_rows_never_deleted(db):
    member = admit(db)
    register = Register(db)
    register.update(member.id, MemberDetails(name="Ada Example", address="2 Green Walk"), at=AT, by="Priya",
                    on=date(2026, 11, 20))
    register.cease(member.id, on=date(2026, 3, 1), at=AT, by="Priya", reason="moved away")
    assert [(c["field"], c["old_value"], c["new_value"]) for c in register.changes(member.id)][1:] == [
        ("address", "1 Green Walk", "2 Green Walk"), ("ceased_on", None, "2026-03-01 (moved away)")]
    assert register.all()[0].ceased_on == date(2026, 3, 1)
    assert register.all(on=date(2026, 2, 1))[0].number == "M0001"
    assert register.all(on=date(2026, 3, 1)) == []


def test_contact_details_need_a_purpose():
    with pytest.raises(RegisterError, match="what the email may be used for"):
        MemberDetails.checked(name="A", address="B", email="a@example.org")
    assert MemberDetails.checked(name="A", address="B", email="a@example.org", email_purpose="AGM notices").email


def test_a_reissued_card_stops_the_old_one(db):
    member = admit(db)
    register = Register(db)
    assert register.by_card(member.card_code).id == member.id
    renewed = register.reissue_card(member.id, at=AT, by="Sam")
    assert register.by_card(member.card_code) is None
    assert register.by_card(renewed.card_code).id == member.id
    assert register.by_card("5000000000012") is None
    assert member.card_code.startswith(CARD_PREFIX) and len(member.card_code) >= len(CARD_PREFIX) + 16
    assert register.get(member.id).card_code is None  # read back from the register: no code kept


# Shares ----------------------------------------------------------------------------------


def test_whole_shares_within_the_minimum_and_maximum(db):
    member = admit(db)
    shares = Shares(db, RULES)
    with pytest.raises(ShareError, match="at least 10"):
        shares.buy(member, 5, on=date(2025, 1, 10), at=AT, by="Sam")
    assert shares.buy(member, 10, on=date(2025, 1, 10), at=AT, by="Sam") == 1000
    with pytest.raises(ShareError, match="whole"):
        shares.buy(member, 0, on=date(2025, 1, 10), at=AT, by="Sam")
    with pytest.raises(ShareError, match="at most 1000"):
        shares.buy(member, 991, on=date(2025, 1, 10), at=AT, by="Sam")
    assert shares.holding(member.id).shares == 10


def test_the_legal_cap_and_sane_rules():
    with pytest.raises(ShareError, match="legal cap"):
        ShareRules(share_value_pence=100, max_shares=100_001)
    with pytest.raises(ShareError):
        ShareRules(min_shares=5, max_shares=4)


def test_withdrawal_life_notice_decision_payment_and_leaving(db):
    member = admit(db)
    shares = Shares(db, RULES)
    shares.buy(member, 50, on=date(2025, 1, 10), at=AT, by="Sam")
    with pytest.raises(ShareError, match="below the minimum"):
        shares.request_withdrawal(member, 45, on=date(2026, 1, 1), at=AT, by="Sam")
    request = shares.request_withdrawal(member, 50, on=date(2026, 1, 1), at=AT, by="Sam")
    assert request.notice_ends == date(2026, 4, 1)
    with pytest.raises(ShareError, match="not approved"):
        shares.pay_out(request.id, on=date(2026, 5, 1), at=AT, by="Sam")
    shares.decide(request.id, Decision.approved, on=date(2026, 2, 1), at=AT, by="Board")
    with pytest.raises(ShareError, match="notice period runs until 2026-04-01"):
        shares.pay_out(request.id, on=date(2026, 3, 31), at=AT, by="Sam")
    assert shares.pay_out(request.id, on=date(2026, 4, 1), at=AT, by="Sam") == 5000
    assert shares.held(member.id) == 0
    assert Register(db).get(member.id).ceased_on == date(2026, 4, 1)  # withdrawing everything ends membership
    with pytest.raises(ShareError, match="paid already"):
        shares.pay_out(request.id, on=date(2026, 4, 2), at=AT, by="Sam")


def test_part_approval_refusal_and_suspension(db):
    member = admit(db)
    shares = Shares(db, RULES)
    shares.buy(member, 40, on=date(2025, 1, 10), at=AT, by="Sam")
    request = shares.request_withdrawal(member, 20, on=date(2025, 6, 1), at=AT, by="Sam")
    with pytest.raises(ShareError, match="1 to 19"):
        shares.decide(request.id, Decision.part_approved, approved_shares=20, on=date(2025, 7, 1), at=AT, by="Board")
    shares.decide(request.id, Decision.part_approved, approved_shares=15, on=date(2025, 7, 1), at=AT, by="Board")
    assert shares.pay_out(request.id, on=date(2025, 9, 1), at=AT, by="Sam") == 1500
    assert shares.held(member.id) == 25 and Register(db).get(member.id).is_member
    refused = shares.request_withdrawal(member, 5, on=date(2025, 10, 1), at=AT, by="Sam")
    shares.decide(refused.id, Decision.refused, on=date(2025, 10, 2), at=AT, by="Board")
    with pytest.raises(ShareError, match="not approved"):
        shares.pay_out(refused.id, on=date(2026, 3, 1), at=AT, by="Sam")
    suspended = Shares(db, ShareRules(min_shares=10, max_shares=1000, withdrawals_suspended=True))
    again = suspended.request_withdrawal(member, 5, on=date(2025, 11, 1), at=AT, by="Sam")
    suspended.decide(again.id, Decision.approved, on=date(2025, 11, 2), at=AT, by="Board")
    with pytest.raises(ShareError, match="suspended"):
        suspended.pay_out(again.id, on=date(2026, 6, 1), at=AT, by="Sam")


def test_no_payment_to_an_under_16(db):
    child = admit(db, "Kit Young", date_of_birth=date(2015, 6, 1))
    shares = Shares(db, RULES)
    shares.buy(child, 10, on=date(2025, 1, 10), at=AT, by="Sam")
    request = shares.request_withdrawal(child, 10, on=date(2025, 1, 11), at=AT, by="Sam")
    shares.decide(request.id, Decision.approved, on=date(2025, 1, 12), at=AT, by="Board")
    with pytest.raises(ShareError, match="under 16"):
        shares.pay_out(request.id, on=date(2026, 1, 1), at=AT, by="Sam")
    assert shares.pay_out(request.id, on=date(2031, 6, 1), at=AT, by="Sam") == 1000


# The dividend ---------------------------------------------------------------------------


def test_parts_follow_purchases_not_shareholding_and_add_up(db):
    a, b, c = admit(db, "A"), admit(db, "B"), admit(db, "C")
    Shares(db, RULES).buy(c, 1000, on=date(2025, 1, 10), at=AT, by="Sam")  # shares play no part
    result = plan([a, b, c], {"M0001": 300, "M0002": 100}, sum_pence=1001, period_from=date(2025, 1, 1),
                  period_to=date(2025, 12, 31), ceased=CeasedMembers.exclude)
    assert [(p.number, p.part_pence) for p in result.parts] == [("M0001", 751), ("M0002", 250)]
    assert sum(p.part_pence for p in result.parts) == 1001


def test_ceased_members_follow_the_setting(db):
    a, b = admit(db, "A"), admit(db, "B")
    b = Register(db).cease(b.id, on=date(2025, 6, 30), at=AT, by="Sam", reason="moved")
    kwargs = dict(sum_pence=100, period_from=date(2025, 1, 1), period_to=date(2025, 12, 31))
    assert len(plan([a, b], {"M0001": 50, "M0002": 50}, ceased=CeasedMembers.include, **kwargs).parts) == 2
    assert len(plan([a, b], {"M0001": 50, "M0002": 50}, ceased=CeasedMembers.exclude, **kwargs).parts) == 1
    with pytest.raises(DividendError, match="no member made qualifying purchases"):
        plan([a, b], {}, ceased=CeasedMembers.include, **kwargs)


def test_declaring_pays_credit_or_shares_and_is_stored(db):
    a, b = admit(db, "A"), admit(db, "B")
    Shares(db, RULES).buy(a, 10, on=date(2025, 1, 10), at=AT, by="Sam")
    Shares(db, RULES).buy(b, 10, on=date(2025, 1, 10), at=AT, by="Sam")
    result = plan([a, b], {"M0001": 750, "M0002": 250}, sum_pence=1050, period_from=date(2025, 1, 1),
                  period_to=date(2025, 12, 31), ceased=CeasedMembers.exclude, payouts={"M0002": Payout.shares})
    dividends = Dividends(db, RULES)
    run = dividends.declare(result, on=date(2026, 1, 15), at=AT, by="Sam")
    assert dividends.credit_balance(a.id) == 788
    assert Shares(db, RULES).held(b.id) == 12 and dividends.credit_balance(b.id) == 262 - 200
    assert [p["part_pence"] for p in dividends.parts(run)] == [788, 262]
    with pytest.raises(DividendError, match="overlapping"):
        dividends.declare(result, on=date(2026, 1, 16), at=AT, by="Sam")


@given(st.integers(0, 10_000_000), st.lists(st.integers(0, 1_000_000), min_size=1, max_size=30))
def test_allocation_adds_up_is_never_negative_and_proportional_within_a_penny(total, weights):
    if not any(weights):
        return
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    whole = sum(weights)
    for part, weight in zip(parts, weights):
        assert abs(part * whole - total * weight) < whole  # within one penny of the exact share
        if weight == 0:
            assert part == 0


def test_two_approvals_cannot_leave_less_than_the_minimum(db):
    member = admit(db)
    shares = Shares(db, ShareRules(min_shares=5, max_shares=100, notice_days=0, withdrawals_suspended=False))
    shares.buy(member, 10, on=date(2025, 1, 10), at=AT, by="Sam")
    first = shares.request_withdrawal(member, 5, on=date(2025, 2, 1), at=AT, by="Sam")
    second = shares.request_withdrawal(member, 5, on=date(2025, 2, 1), at=AT, by="Sam")
    shares.decide(first.id, Decision.approved, on=date(2025, 2, 2), at=AT, by="Board")
    shares.decide(second.id, Decision.part_approved, approved_shares=2, on=date(2025, 2, 2), at=AT, by="Board")
    shares.pay_out(first.id, on=date(2025, 2, 3), at=AT, by="Sam")
    with pytest.raises(ShareError, match="below the minimum"):
        shares.pay_out(second.id, on=date(2025, 2, 3), at=AT, by="Sam")
    assert shares.held(member.id) == 5


def test_the_notice_given_is_the_notice_when_asked(db):
    member = admit(db)
    ninety = Shares(db, RULES)
    ninety.buy(member, 20, on=date(2025, 1, 10), at=AT, by="Sam")
    request = ninety.request_withdrawal(member, 20, on=date(2025, 6, 1), at=AT, by="Sam")
    ninety.decide(request.id, Decision.approved, on=date(2025, 6, 2), at=AT, by="Board")
    no_notice = Shares(db, ShareRules(min_shares=10, max_shares=1000, notice_days=0, withdrawals_suspended=False))
    with pytest.raises(ShareError, match="notice period runs until 2025-08-30"):
        no_notice.pay_out(request.id, on=date(2025, 6, 3), at=AT, by="Sam")


def test_an_under_16s_cash_dividend_becomes_credit(db):
    child = admit(db, "Kit Young", date_of_birth=date(2015, 6, 1))
    result = plan([child], {"M0001": 500}, sum_pence=100, period_from=date(2025, 1, 1), period_to=date(2025, 12, 31),
                  ceased=CeasedMembers.exclude, default_payout=Payout.cash)
    dividends = Dividends(db, RULES)
    run = dividends.declare(result, on=date(2026, 1, 15), at=AT, by="Sam")
    assert dividends.parts(run)[0]["payout"] == "credit" and dividends.credit_balance(child.id) == 100


_PAYOUTS = st.sampled_from([Payout.credit, Payout.cash, Payout.shares])


@settings(deadline=None)  # a real database file per example, on a machine the whole suite shares
@given(st.integers(1, 5_000_000), st.lists(st.tuples(st.integers(-500, 200_000), _PAYOUTS, st.booleans()),
                                           min_size=1, max_size=12))
def test_declared_parts_always_add_up_whatever_each_member_chose(total, members):
    """plan() then declare(), on a real database: what is credited, issued as shares and owed in
    cash adds up to the board's sum to the penny; nobody without purchases gets anything."""
    import tempfile
    from pathlib import Path

    from pos.database import open_database

    if not any(spent > 0 for spent, _, _ in members):
        return
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "till.db")
        rules = ShareRules(share_value_pence=100, max_shares=100_000)
        register = Register(db)
        admitted = []
        for index, (_, _, left) in enumerate(members):
            member = register.admit(MemberDetails(name=f"Member {index}", address="1 Green Walk"),
                                    on=date(2024, 1, 1), at=AT, by="Sam")
            if left:
                member = register.cease(member.id, on=date(2025, 6, 1), at=AT, by="Sam", reason="moved")
            admitted.append(member)
        spent = {m.number: s for m, (s, _, _) in zip(admitted, members)}
        chose = {m.number: p for m, (_, p, _) in zip(admitted, members)}
        try:
            result = plan(admitted, spent, sum_pence=total, period_from=date(2025, 1, 1), period_to=date(2025, 12, 31),
                          ceased=CeasedMembers.include, payouts=chose)
        except DividendError:
            assert not any(s > 0 for s in spent.values())
            return
        assert sum(p.part_pence for p in result.parts) == total
        assert all(p.part_pence > 0 and spent[p.number] > 0 for p in result.parts)
        dividends = Dividends(db, rules)
        run = dividends.declare(result, on=date(2026, 1, 15), at=AT, by="Sam")
        credited = db.execute("select coalesce(sum(amount_pence), 0) from member_credit").fetchone()[0]
        issued = Shares(db, rules).total_capital_pence()
        owed = sum(p.amount_pence for p in dividends.owed())
        assert credited + issued + owed == total
        assert [p["part_pence"] for p in dividends.parts(run)] == [p.part_pence for p in result.parts]
        db.close()
