"""A member's own actions on the web, in the core (access.member_self), without a web server: real
SQLite files; whose record it is comes only from the principal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from access.accounts import SignInError, WebAccess
from access.guard import Forbidden, Kind, Principal
from access.member_self import MemberRefused, MemberSelf
from access.sessions import Expiry
from coop.register import MemberDetails, Register
from coop.rules import ShareRules
from coop.shares import Shares
from core import journal
from core.clock import stamp
from volunteers.people import Role

PASSWORD = "correct horse battery"


def admit(db, clock, name, shares=5):
    member = Register(db).admit(MemberDetails.checked(name=name, address="1 High St"), on=clock().date(),
                                at=stamp(clock()), by="Morgan Test")
    Shares(db, ShareRules()).buy(member, shares, on=clock().date(), at=stamp(clock()), by="Morgan Test")
    return member


def principal_of(member, account_id=1) -> Principal:
    return Principal(account_id=account_id, kind=Kind.member, name=member.name, member_id=member.id,
                     member_number=member.number)


@pytest.fixture
def me(db, clock, staff):
    return admit(db, clock, "Ada Able")


def self_service(db, clock, **rules) -> MemberSelf:
    return MemberSelf(db, ShareRules(**rules), now=lambda: stamp(clock()), today=lambda: clock().date())


def test_a_withdrawal_request_joins_the_boards_queue_with_its_notice(db, clock, me):
    mine = self_service(db, clock, notice_days=60)
    asked = mine.request_withdrawal(principal_of(me), 2)
    assert asked.shares == 2 and asked.notice_ends == date(2026, 11, 20) + timedelta(days=60)
    queue = Shares(db, ShareRules()).withdrawals()
    assert [(w.member_id, w.shares, w.decision) for w in queue] == [(me.id, 2, None)]
    entry = db.execute("select by from share_ledger where kind = 'withdrawal_request'").fetchone()[0]
    assert entry == f"{me.number} (the member, on the web)"
    terms = mine.withdrawal_terms(principal_of(me))
    assert (terms.held, terms.already_asked, terms.notice_days, terms.suspended) == (5, 2, 60, True)
    assert journal.verify(db) == []


def test_refused_withdrawals_say_why_in_a_sentence(db, clock, me):
    mine = self_service(db, clock, min_shares=2)
    with pytest.raises(MemberRefused, match=r"^A withdrawal is of at least one whole share\.$"):
        mine.request_withdrawal(principal_of(me), 0)
    with pytest.raises(MemberRefused, match=r"^That would leave 1, below the minimum of 2"):
        mine.request_withdrawal(principal_of(me), 4)
    mine.request_withdrawal(principal_of(me), 5)
    with pytest.raises(MemberRefused, match="already asked for"):
        mine.request_withdrawal(principal_of(me), 1)
    with pytest.raises(MemberRefused, match="whole shares"):
        mine.request_withdrawal(principal_of(me), "1")


def test_a_staff_principal_cannot_act_as_a_member(db, clock, me):
    staff = Principal(account_id=9, kind=Kind.staff, name="Morgan Test", volunteer_id=1, role=Role.manager)
    with pytest.raises(Forbidden):
        self_service(db, clock).request_withdrawal(staff, 1)
    with pytest.raises(Forbidden):
        self_service(db, clock).update_contacts(staff, {"address": "2 Low St"})


def test_the_dividend_choice_is_kept_and_the_declaration_honours_it(db, till, staff):
    # The whole path: the choice made on the web, the purchases at the till, the board's declaration.
    from pos.config import CoopSettings
    from pos.membership import Membership
    from tests.test_membership import _bought, details

    coop = Membership(db, till, CoopSettings(min_shares=1))
    ada = coop.join(details("Ada"), 10, operator_id=staff["manager"].id)
    bo = coop.join(details("Bo"), 10, operator_id=staff["manager"].id)
    mine = MemberSelf(db, coop.rules, now=till.now, today=till.today)
    assert mine.choose_dividend(principal_of(ada), "shares").dividend_payout == "shares"
    with pytest.raises(MemberRefused):
        mine.choose_dividend(principal_of(ada), "bitcoin")
    change = Register(db).changes(ada.id)[-1]
    assert (change["field"], change["new_value"], change["changed_by"]) == (
        "dividend_payout", "shares", f"{ada.number} (the member, on the web)")
    for member in (ada, bo):
        _bought(till, staff, coop, member)
    day = till.today()
    till.clock.moment += timedelta(days=1)
    coop.declare_dividend(day, day, 1000, operator_id=staff["manager"].id)
    paid = {p["member_id"]: p["payout"] for p in db.query("select member_id, payout from dividend_parts")}
    assert paid == {ada.id: "shares", bo.id: "credit"}
    assert Shares(db, coop.rules).held(ada.id) == 15  # £5 of dividend, five £1 shares
    mine.choose_dividend(principal_of(ada), "default")
    assert Register(db).get(ada.id).dividend_payout is None
    no_dividend = MemberSelf(db, coop.rules, now=till.now, today=till.today, pays_dividend=False)
    with pytest.raises(MemberRefused, match="no dividend"):
        no_dividend.choose_dividend(principal_of(ada), "cash")
    assert journal.verify(db) == []


def test_contact_changes_are_kept_with_who_and_when_and_nothing_else_changes(db, clock, me):
    mine = self_service(db, clock)
    updated = mine.update_contacts(principal_of(me), {"address": "2 Low St", "email": "ada@example.org",
                                                      "email_purpose": "AGM notices"})
    assert (updated.address, updated.email) == ("2 Low St", "ada@example.org")
    changes = {c["field"]: (c["old_value"], c["new_value"], c["changed_by"]) for c in Register(db).changes(me.id)}
    assert changes["address"] == ("1 High St", "2 Low St", f"{me.number} (the member, on the web)")
    assert changes["email"][1] == "ada@example.org"
    for forged in ({"name": "Someone Else"}, {"id": 99}, {"number": "M0009"}, {"dividend_payout": "cash"}):
        with pytest.raises(MemberRefused, match="ask at the till"):
            mine.update_contacts(principal_of(me), {"address": "3 Hill St", **forged})
    assert Register(db).get(me.id).address == "2 Low St"
    with pytest.raises(MemberRefused, match="Say what the email may be used for"):
        mine.update_contacts(principal_of(me), {"email": "ada@example.org", "email_purpose": ""})
    assert journal.verify(db) == []


def test_the_data_download_is_their_own_record(db, clock, me):
    other = admit(db, clock, "Bea Bold")
    document = self_service(db, clock).subject_access(principal_of(me), society="Test Co-op")
    assert document["member"]["number"] == me.number and other.number not in str(document)


def test_the_password_asked_again(db, clock, staff, me):
    web = WebAccess(db, clock, b"s" * 32, Expiry(idle=timedelta(minutes=30), absolute=timedelta(hours=12)))
    code = web.issue_member_code(me, by="Morgan Test", today=clock().date())
    web.set_password_with_code(me.number, code, PASSWORD, PASSWORD, address="10.0.0.1")
    account = db.execute("select id from web_accounts where member_id = ?", [me.id]).fetchone()[0]
    who = principal_of(me, account)
    web.confirm(who, PASSWORD, address="10.0.0.1")
    with pytest.raises(SignInError, match="not your password"):
        web.confirm(who, "a wrong guess", address="10.0.0.1")
    assert db.execute("select count(*) from web_failures where login = ?", [me.number.casefold()]).fetchone()[0] == 1
