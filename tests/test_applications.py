"""Applying to join on the web, in the core (access.applications) and completed at the till
(pos.membership.Membership.join_application): real SQLite files; the clock moved by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from access import applications as rules_of
from access.applications import ApplicationRefused, Applications
from coop.register import Register
from coop.rules import ShareRules
from core import journal
from pos.config import CoopSettings
from pos.database import open_database
from pos.membership import Membership

DETAILS = {"name": "Nia New", "address": "3 Mill Lane", "email": "nia@example.org", "email_purpose": "AGM notices"}


def apply(db, clock, address="10.0.0.1", shares=5, **more):
    return Applications(db, clock).apply({**DETAILS, **more}, shares, adult=True, rules=ShareRules(),
                                         address=address, keep_days=30)


def test_an_application_is_kept_until_paid_at_the_till_in_one_transaction(db, till, staff, clock):
    number = apply(db, clock)
    assert [(a.id, a.name, a.shares) for a in Applications(db, clock).pending()] == [(number, "Nia New", 5)]
    coop = Membership(db, till, CoopSettings())
    member = coop.join_application(number, operator_id=staff["manager"].id)
    assert (member.name, member.address, member.email) == ("Nia New", "3 Mill Lane", "nia@example.org")
    assert coop.shares.held(member.id) == 5
    assert db.execute("select amount_pence from cash_movements where kind = 'share_capital_in'").fetchone()[0] == 500
    assert Applications(db, clock).pending() == []
    row = db.execute("select name, email, member_id from web_applications where id = ?", [number]).fetchone()
    assert row == ("(joined)", None, member.id)  # the register holds the details now
    with pytest.raises(ApplicationRefused, match="completed already"):
        coop.join_application(number, operator_id=staff["manager"].id)
    assert journal.verify(db) == []


def test_a_failed_payment_completes_nothing(db, till, staff, clock):
    number = apply(db, clock)
    # The rules changed since it was made: the shares are refused after the register entry is written,
    # so the whole transaction goes, the entry with it, and the application still waits.
    coop = Membership(db, till, CoopSettings(max_shares=4))
    with pytest.raises(Exception, match="at most 4 shares"):
        coop.join_application(number, operator_id=staff["manager"].id)
    assert [a.id for a in Applications(db, clock).pending()] == [number] and Register(db).all() == []


def test_applications_are_checked_and_under_16s_sent_to_the_till(db, clock):
    applications = Applications(db, clock)
    with pytest.raises(ApplicationRefused, match="Under-16s apply at the till"):
        applications.apply(DETAILS, 5, adult=False, rules=ShareRules(), address="x", keep_days=30)
    with pytest.raises(ApplicationRefused, match="Say what the email may be used for"):
        apply(db, clock, email_purpose="")
    with pytest.raises(ApplicationRefused, match="at least 2"):
        applications.apply(DETAILS, 1, adult=True, rules=ShareRules(min_shares=2), address="x", keep_days=30)
    with pytest.raises(ApplicationRefused, match="at least 1"):
        apply(db, clock, shares=None)
    assert applications.pending() == []


def test_applications_are_limited_per_address_and_overall(db, clock):
    # The attacker's method: one address sends many, then many addresses send many.
    for _ in range(rules_of.PER_ADDRESS):
        apply(db, clock, address="10.6.6.6")
    with pytest.raises(ApplicationRefused, match="Too many applications"):
        apply(db, clock, address="10.6.6.6")
    apply(db, clock, address="10.0.0.2")  # someone else is not held up by them
    for n in range(rules_of.OVERALL - rules_of.PER_ADDRESS - 1):
        apply(db, clock, address=f"10.1.{n}.1")
    with pytest.raises(ApplicationRefused, match="Too many applications"):
        apply(db, clock, address="10.9.9.9")
    assert len(Applications(db, clock).pending()) == rules_of.OVERALL
    clock.moment += rules_of.WINDOW + timedelta(seconds=1)
    apply(db, clock, address="10.6.6.6")


def test_unpaid_applications_are_erased_after_the_settings_days(db_path, clock):
    db = open_database(db_path)
    old = apply(db, clock)
    clock.moment += timedelta(days=20)
    recent = apply(db, clock, address="10.0.0.2")
    clock.moment += timedelta(days=10, seconds=1)
    assert Applications(db, clock).purge_unpaid(30) == 1
    db.close()
    # Read back from the file itself: the old one is gone, not hidden.
    again = open_database(db_path)
    assert [row[0] for row in again.execute("select id from web_applications")] == [recent]
    assert again.execute("select count(*) from web_applications where name = 'Nia New' and id = ?",
                         [old]).fetchone()[0] == 0
    again.close()
