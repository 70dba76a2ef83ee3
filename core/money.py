"""Money at the edges: parse what people type or files hold into pence, and format pence for people.

Everything below this module works in integer pence. Decimal is used only while
parsing; a float never holds money.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from core.bounds import MAX_AMOUNT_PENCE

_AMOUNT = re.compile(r"^(?P<sign>-)?\s*£?\s*(?P<sign2>-)?(?P<number>[0-9][0-9,]*(\.[0-9]*)?|\.[0-9]+)$")
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})*(\.[0-9]*)?$")

#: More than anyone would pay or be paid at a community till in one go (£1,000,000); see core.bounds.
MAX_PENCE = MAX_AMOUNT_PENCE


class MoneyError(ValueError):
    """Text that is not an amount of money; the message says why in the till's words."""


def parse_pence(text: str, *, allow_negative: bool = False) -> int:
    """Turn "1.20", "£1.20", "£1,234.56", "2" or " 0.5 " into pence.

    Raises MoneyError with a plain sentence for anything else (three decimal
    places, letters, a stray comma, an amount over £1,000,000).
    """
    if not isinstance(text, str):
        raise MoneyError("an amount must be text such as 1.20 or £1.20")
    cleaned = text.strip().replace("\u00a0", "")
    if not cleaned:
        raise MoneyError("no amount was given")
    match = _AMOUNT.match(cleaned)
    if not match or (match["sign"] and match["sign2"]):
        raise MoneyError(f"'{text.strip()}' is not an amount of money (try 1.20 or £1.20)")
    number = match["number"]
    if "," in number and not _GROUPED.match(number):
        raise MoneyError(f"'{text.strip()}' has a comma in the wrong place")
    number = number.replace(",", "")
    if "." in number and len(number.split(".", 1)[1]) > 2:
        raise MoneyError(f"'{text.strip()}' has more than two figures after the point")
    try:
        pence = int((Decimal(number) * 100).to_integral_exact())
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        raise MoneyError(f"'{text.strip()}' is not an amount of money") from None
    negative = bool(match["sign"] or match["sign2"])
    if negative and pence:
        if not allow_negative:
            raise MoneyError(f"'{text.strip()}' is negative; enter the amount without a minus sign")
        pence = -pence
    if abs(pence) > MAX_PENCE:
        raise MoneyError(f"'{text.strip()}' is more than £1,000,000")
    return pence


def format_pence(pence: int, *, symbol: bool = True) -> str:
    """120 -> "£1.20", 123456 -> "£1,234.56", -5 -> "-£0.05"."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"money must be integer pence, not {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}{'£' if symbol else ''}{pounds:,}.{pennies:02d}"


def format_plain(pence: int) -> str:
    """Pence as a file-friendly amount with no symbol or grouping: 123456 -> "1234.56"."""
    return format_pence(pence, symbol=False).replace(",", "")


def vat_in(gross_pence: int, rate: int) -> int:
    """The VAT inside a VAT-inclusive amount, rounded half away from zero to the penny."""
    numerator = gross_pence * rate
    denominator = 10_000 + rate
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient
