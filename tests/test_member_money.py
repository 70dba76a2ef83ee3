"""The Member money dialog (Ctrl+U) offers what can be done with this member's money, each as an action."""

from __future__ import annotations

from pos.membership import MemberMoney
from pos.tui.modals.member_money import MoneyAction, MoneyChoice, money_choices, money_title


def _money(**changes) -> MemberMoney:
    return MemberMoney(**{"number": "M0001", "name": "Ada Lovelace", "is_member": True, "shares": 10,
                          "credit_pence": 0, "dividend_owed": [], "withdrawals_ready": [],
                          "withdrawals_waiting": [], **changes})


def test_a_member_may_buy_shares_and_ask_to_withdraw_them():
    assert [c.action for c in money_choices(_money())] == [MoneyAction.buy_shares, MoneyAction.ask_to_withdraw]
    assert [c.action for c in money_choices(_money(shares=0))] == [MoneyAction.buy_shares]
    assert money_choices(_money(is_member=False, shares=0)) == []


def test_money_owed_is_offered_with_what_it_settles():
    choices = money_choices(_money(is_member=False, shares=0, withdrawals_ready=[(7, "5 shares", 500)],
                                   dividend_owed=[(3, "dividend 2026", 300)], credit_pence=250))
    assert choices == [
        MoneyChoice(MoneyAction.pay_withdrawal, "Pay back 5 shares: £5.00", 7),
        MoneyChoice(MoneyAction.pay_dividend, "Pay dividend 2026 in cash: £3.00", 3),
        MoneyChoice(MoneyAction.dividend_as_credit, "Give dividend 2026 as till credit instead: £3.00", 3),
        MoneyChoice(MoneyAction.pay_out_credit, "Pay out till credit in cash: £2.50"),
    ]


def test_the_title_says_whose_money_and_what_is_waiting():
    assert money_title(_money(withdrawals_waiting=["2 shares, notice ends 01/02/2027"])) == (
        "Member money: M0001 Ada Lovelace, 10 shares, £0.00 credit. Waiting: 2 shares, notice ends 01/02/2027")
