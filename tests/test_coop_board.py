"""What the board reads (coop/board.py): the register a page at a time, the withdrawal queue under the
society's notice and suspension rules, the decisions with who made them and when, the dividend summed by
payout, and a declaration already made for exactly this period and sum."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coop.board import decisions, declared_as, payout_sums, register_page, withdrawal_queue
from coop.dividend import CeasedMembers, Dividends, Payout, plan
from coop.register import MemberDetails, Register
from coop.rules import ShareRules
from coop.shares import Decision, Shares
from core.clock import stamp
from tests.conftest import LONDON

TODAY = date(2026, 11, 20)


@pytest.fixture
def members(db, clock):
    register, shares = Register(db), Shares(db, ShareRules())
    made = []
    for name in ["Ada Able", "Bea Bold", "Cy Able", "Dee Dunn", "Eve Able"]:
        member = register.admit(MemberDetails.checked(name=name, address="1 High St\nTown"), on=TODAY,
                                at=stamp(clock()), by="Morgan Test")
        shares.buy(member, 5, on=TODAY, at=stamp(clock()), by="Morgan Test")
        made.append(member)
    return made


def test_the_register_comes_a_page_at_a_time_and_finds_by_name_or_number(db, members):
    register, shares = Register(db), Shares(db, ShareRules())
    first = register_page(register, shares, per_page=2)
    assert (first.found, first.page, first.pages) == (5, 1, 3)
    assert [(line.number, line.name, line.address, line.shares) for line in first.lines] == [
        ("M0001", "Ada Able", "1 High St, Town", 5), ("M0002", "Bea Bold", "1 High St, Town", 5)]
    assert [line.name for line in register_page(register, shares, per_page=2, page=3).lines] == ["Eve Able"]
    # A page past the end gives the last; a page before the start, the first.
    assert register_page(register, shares, per_page=2, page=99).page == 3
    assert register_page(register, shares, per_page=2, page=0).page == 1
    able = register_page(register, shares, text="able", per_page=2)
    assert (able.found, [line.name for line in able.lines]) == (3, ["Ada Able", "Cy Able"])
    assert [line.name for line in register_page(register, shares, text="m0004").lines] == ["Dee Dunn"]
    assert register_page(register, shares, text="nobody").found == 0


def test_the_queue_says_what_each_request_waits_for_under_the_rules(db, clock, members):
    ada, bea, cy, dee, _ = members
    shares = Shares(db, ShareRules(notice_days=30, withdrawals_suspended=False))
    at = stamp(clock())
    waiting, approved, suspended, refused, due = (
        shares.request_withdrawal(m, 2, on=on, at=at, by="the member")
        for m, on in [(ada, TODAY), (bea, TODAY), (cy, TODAY), (dee, TODAY), (members[4], TODAY - timedelta(days=40))])
    shares.decide(approved.id, Decision.approved, on=TODAY, at=at, by="Sam Ortiz")
    shares.decide(suspended.id, Decision.suspended, on=TODAY, at=at, by="Sam Ortiz")
    shares.decide(refused.id, Decision.refused, on=TODAY, at=at, by="Sam Ortiz")
    shares.decide(due.id, Decision.part_approved, on=TODAY, at=at, by="Sam Ortiz", approved_shares=1)
    queue = withdrawal_queue(shares, shares.rules, TODAY)
    assert [(w.withdrawal.id, w.number, w.next_step) for w in queue] == [
        (waiting.id, "M0001", "Waiting for the board's decision. Its notice ends on 20/12/2026."),
        (approved.id, "M0002", "Approved (2 shares): it can be paid at the till from 20/12/2026."),
        (suspended.id, "M0003", "The board suspended this request: it waits until the board decides again."),
        (due.id, "M0005", "Approved (1 shares) and its notice has ended: it can be paid at the till now."),
    ]  # the refused one has left the queue
    closed = Shares(db, ShareRules(notice_days=30, withdrawals_suspended=True))
    assert "withdrawals are suspended under the society's rules" in withdrawal_queue(closed, closed.rules,
                                                                                    TODAY)[1].next_step


def test_each_decision_says_who_made_it_and_when(db, clock, members):
    shares = Shares(db, ShareRules())
    asked = shares.request_withdrawal(members[0], 3, on=TODAY, at=stamp(clock()), by="the member")
    shares.decide(asked.id, Decision.suspended, on=TODAY, at=stamp(clock()), by="Morgan Test")
    clock.moment += timedelta(days=7, hours=2)
    shares.decide(asked.id, Decision.part_approved, on=TODAY, at=stamp(clock()), by="Sam Ortiz", approved_shares=2)
    found = decisions(db, LONDON)
    assert [(d.request_id, d.number, d.name, d.decision, d.approved_shares, d.asked_for, d.by,
             f"{d.at:%d/%m/%Y %H:%M}") for d in found] == [
        (asked.id, "M0001", "Ada Able", Decision.part_approved, 2, 3, "Sam Ortiz", "27/11/2026 12:00"),
        (asked.id, "M0001", "Ada Able", Decision.suspended, 0, 3, "Morgan Test", "20/11/2026 10:00"),
    ]


def test_the_plan_is_summed_by_how_members_are_paid_and_a_declaration_is_found_again(db, clock, members):
    dividend = plan(members, {m.number: 1000 * (i + 1) for i, m in enumerate(members)}, sum_pence=1500,
                    period_from=date(2026, 11, 1), period_to=TODAY, ceased=CeasedMembers.include,
                    payouts={"M0002": Payout.cash, "M0004": Payout.cash, "M0005": Payout.shares})
    assert [(s.payout, s.members, s.pence) for s in payout_sums(dividend)] == [
        (Payout.credit, 2, 100 + 300), (Payout.cash, 2, 200 + 400), (Payout.shares, 1, 500)]
    dividends = Dividends(db, ShareRules())
    assert declared_as(dividends, date(2026, 11, 1), TODAY, 1500) is None
    run = dividends.declare(dividend, on=TODAY, at=stamp(clock()), by="Sam Ortiz")
    assert declared_as(dividends, date(2026, 11, 1), TODAY, 1500) == run
    assert declared_as(dividends, date(2026, 11, 1), TODAY, 1501) is None
