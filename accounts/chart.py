"""The chart of accounts: where each kind of money the till records is booked, with a code for each.

The defaults suit a small society on Xero's UK chart; the `[accounts]` settings section changes a code,
a tax rate's name or which account a paid-in or paid-out reason goes to. It is a society-wide rule
(pos.config.SOCIETY_WIDE): on a hub the office sets it for every till, so two tills never book apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, field_validator


@dataclass(frozen=True)
class Account:
    #: The beancount name (its hierarchy is the account's type: Assets, Liabilities, Equity, Income, Expenses).
    name: str
    #: The code in the treasurer's package (Xero's *AccountCode).
    code: str
    #: What it is, in words, for the README's table and the plain CSV.
    title: str


#: Every account the till books to, by key. Sales are one account per VAT class (the category is a
#: sub-account in beancount and the line's description elsewhere).
DEFAULTS: dict[str, Account] = {
    "sales_standard": Account("Income:Sales:Standard", "200", "Sales, standard-rated (net)"),
    "sales_reduced": Account("Income:Sales:Reduced", "201", "Sales, reduced-rated (net)"),
    "sales_zero": Account("Income:Sales:Zero", "202", "Sales, zero-rated"),
    "sales_exempt": Account("Income:Sales:Exempt", "203", "Sales, exempt"),
    "refunds": Account("Income:Refunds", "205", "Refunds (net)"),
    "output_vat": Account("Liabilities:VAT:Output", "820", "Output VAT"),
    "bank": Account("Assets:Bank", "090", "Bank account"),
    "cash_drawer": Account("Assets:Cash:Drawer", "091", "Cash in the till drawer"),
    "cash_safe": Account("Assets:Cash:Safe", "092", "Cash in the safe"),
    "card_clearing": Account("Assets:CardClearing", "610", "Card payments on their way to the bank"),
    "healthy_start": Account("Assets:Receivable:HealthyStart", "611", "Healthy Start payments to claim"),
    "vouchers": Account("Assets:Receivable:Vouchers", "612", "Vouchers to redeem"),
    "member_credit": Account("Liabilities:MemberCredit", "830", "Members' till credit (owed to them)"),
    "pass_through": Account("Liabilities:PassThrough", "840", "Money collected for others (top-ups, stamps)"),
    "dividends_payable": Account("Liabilities:DividendsPayable", "850", "Dividends declared, not yet paid"),
    "share_capital": Account("Equity:ShareCapital", "970", "Community share capital"),
    "community_fund": Account("Equity:Funds:Community", "975", "The community fund (restricted)"),
    "dividends_declared": Account("Equity:Dividends:Declared", "980", "Dividends declared"),
    "time_credits": Account("Expenses:Volunteers:TimeCredits", "480", "Goods given for volunteers' time credits"),
    "purchases": Account("Expenses:PaidOut:Purchases", "310", "Paid out: purchases for the shop"),
    "sundries": Account("Expenses:PaidOut:Sundries", "429", "Paid out: sundry expenses"),
    "cash_over_short": Account("Expenses:CashOverShort", "495", "Cash over and short"),
    "suspense": Account("Equity:Suspense", "999", "Suspense: money the till could not place"),
}

#: The tax rate's full name in Xero for each VAT class a line was sold at; "none" when the society is not
#: registered, and for money that is not a sale.
TAX_RATES: dict[str, str] = {
    "standard": "20% (VAT on Income)",
    "reduced": "5% (VAT on Income)",
    "zero": "Zero Rated Income",
    "exempt": "Exempt Income",
    "none": "No VAT",
}

#: A word in a paid-in or paid-out reason, and the account it goes to; a reason with none of them goes to
#: suspense. The longest word found wins (so "from the safe to the bank" is the bank's only if "bank" is
#: the longer); ties go to the earlier in the alphabet.
REASONS: dict[str, str] = {
    "safe": "cash_safe", "float": "cash_safe", "bank": "bank", "banked": "bank", "banking": "bank",
    "milk": "purchases", "bread": "purchases", "shop": "purchases", "groceries": "purchases",
    "supplies": "purchases", "stock": "purchases", "cleaning": "sundries", "postage": "sundries",
    "repairs": "sundries", "window": "sundries",
}


class AccountsSettings(BaseModel):
    """The `[accounts]` settings section: each key changes the default it names, the rest stay."""

    model_config = ConfigDict(extra="forbid")

    #: Account key -> code ({ sales_standard = "4000" }).
    codes: dict[str, str] = {}
    #: VAT class (standard, reduced, zero, exempt, none) -> Xero's full tax rate name.
    tax_rates: dict[str, str] = {}
    #: Word -> account key, over the defaults (REASONS).
    reasons: dict[str, str] = {}

    @field_validator("codes")
    @classmethod
    def _known_accounts(cls, value: dict[str, str]) -> dict[str, str]:
        _known(value, DEFAULTS, "account")
        for key, code in value.items():
            if not code.strip() or len(code) > 10:
                raise ValueError(f"the code for {key} must be 1 to 10 characters")
        return value

    @field_validator("tax_rates")
    @classmethod
    def _known_classes(cls, value: dict[str, str]) -> dict[str, str]:
        _known(value, TAX_RATES, "VAT class")
        return value

    @field_validator("reasons")
    @classmethod
    def _reasons_name_accounts(cls, value: dict[str, str]) -> dict[str, str]:
        _known({account: None for account in value.values()}, DEFAULTS, "account")
        for word in value:
            if not re.fullmatch(r"[^\W_]+", word.lower()):
                raise ValueError(f"'{word}' must be one word")
        return value


def _known(value: dict, known: dict, what: str) -> None:
    wrong = sorted(set(value) - set(known))
    if wrong:
        raise ValueError(f"{', '.join(wrong)} is not a known {what} (known: {', '.join(known)})")


class Chart:
    """The defaults with the settings over them."""

    def __init__(self, settings: AccountsSettings | None = None) -> None:
        settings = settings or AccountsSettings()
        self.accounts = {key: Account(account.name, settings.codes.get(key, account.code), account.title)
                         for key, account in DEFAULTS.items()}
        self.tax_rates = {**TAX_RATES, **settings.tax_rates}
        words = {**REASONS, **{word.lower(): key for word, key in settings.reasons.items()}}
        self._words = sorted(words.items(), key=lambda item: (-len(item[0]), item[0]))

    def __getitem__(self, key: str) -> Account:
        return self.accounts[key]

    def for_reason(self, reason: str | None) -> str:
        """The account a paid-in or paid-out reason goes to: suspense when no word of it is known."""
        words = set(re.findall(r"[^\W_]+", (reason or "").lower()))
        return next((key for word, key in self._words if word in words), "suspense")

    def name(self, key: str, category: str | None = None) -> str:
        """The beancount account: a sale's or refund's category is a sub-account of its own."""
        name = self.accounts[key].name
        return f"{name}:{component(category)}" if category is not None else name


def component(text: str) -> str:
    """A category as a beancount account component ("Cakes and snacks" -> "CakesAndSnacks"): ASCII letters
    and digits, starting with a capital, which is what beancount accepts."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", plain)
    joined = "".join(word[:1].upper() + word[1:] for word in words)
    return joined if joined[:1].isalpha() else f"C{joined}" if joined else "Other"
