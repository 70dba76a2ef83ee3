"""Member money (Ctrl+U): what can be done with the money of the member whose card was scanned, apart
from the sale: buy shares, ask to withdraw, pay back a withdrawal, pay a dividend in cash or as credit."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from core.money import format_pence
from pos.membership import MemberMoney
from pos.tui.modals.pick import PickModal


class MoneyAction(Enum):
    buy_shares = auto()
    ask_to_withdraw = auto()
    pay_withdrawal = auto()
    pay_dividend = auto()
    dividend_as_credit = auto()
    pay_out_credit = auto()


@dataclass(frozen=True)
class MoneyChoice:
    action: MoneyAction
    label: str
    #: The withdrawal request or the dividend part it settles (0 where there is none).
    ref: int = 0


def money_choices(money: MemberMoney) -> list[MoneyChoice]:
    """What the dialog offers this member, in its order."""
    choices: list[MoneyChoice] = []
    if money.is_member:
        choices.append(MoneyChoice(MoneyAction.buy_shares, "Buy more shares (cash into the drawer)"))
        if money.shares:
            choices.append(MoneyChoice(MoneyAction.ask_to_withdraw,
                                       "Ask to withdraw shares (the board decides after the notice)"))
    for request, label, pence in money.withdrawals_ready:
        choices.append(MoneyChoice(MoneyAction.pay_withdrawal, f"Pay back {label}: {format_pence(pence)}", request))
    for part, label, pence in money.dividend_owed:
        choices.append(MoneyChoice(MoneyAction.pay_dividend, f"Pay {label} in cash: {format_pence(pence)}", part))
        choices.append(MoneyChoice(MoneyAction.dividend_as_credit,
                                   f"Give {label} as till credit instead: {format_pence(pence)}", part))
    if money.credit_pence > 0:
        choices.append(MoneyChoice(MoneyAction.pay_out_credit,
                                   f"Pay out till credit in cash: {format_pence(money.credit_pence)}"))
    return choices


def money_title(money: MemberMoney) -> str:
    waiting = "; ".join(money.withdrawals_waiting)
    return (f"Member money: {money.number} {money.name}, {money.shares} shares, "
            f"{format_pence(money.credit_pence)} credit" + (f". Waiting: {waiting}" if waiting else ""))


class MemberMoneyModal(PickModal):
    """Returns the MoneyChoice picked, or None if cancelled."""

    def __init__(self, money: MemberMoney) -> None:
        self.choices = money_choices(money)
        super().__init__(money_title(money), [(i, choice.label) for i, choice in enumerate(self.choices)])

    def answer(self, key: int) -> MoneyChoice:
        return self.choices[key]
