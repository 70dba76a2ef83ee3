"""Variable-measure barcodes: the labels a scale or a price gun prints on weighed and price-marked goods.

GS1 keeps EAN-13s that start 02 or 20–29 for a shop's own use: the digits after the prefix are the
shop's item code, then (in some layouts) a check digit for the value, then the price in pence or the
weight in grams, then the usual EAN-13 check digit. Which layout a prefix uses differs from shop to shop
(it is what the scale is set to print), so it is a setting; the till tries these only after the
catalogue has no exact match for the code.

A variable-measure item is in the catalogue under its code with a value of nought (its "stub"): the
stub is an ordinary EAN-13 with right check digits, so it goes on the shelf label and in the CSV like
any other barcode.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, Field, model_validator

from inventory.barcodes import CodeError, check_digit

#: The digits an EAN-13 has between its two-digit prefix and its own check digit.
_BODY = 10
#: GS1's prefixes for a shop's own variable-measure codes.
PREFIXES = ("02", *(str(n) for n in range(20, 30)))

# GS1's weighted products for the price check digit (General Specifications, "price check digit"):
# 2-: units digit of 2d minus its tens digit; 3: units of 3d; 5+: units plus tens of 5d; 5-: units minus tens.
_TWO_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
_THREE = (0, 3, 6, 9, 2, 5, 8, 1, 4, 7)
_FIVE_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
_FIVE_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)


class Measure(StrEnum):
    price = "price"
    weight = "weight"


class Layout(BaseModel):
    """One prefix's layout: item code digits, an optional check digit for the value, value digits."""

    model_config = {"extra": "forbid"}

    prefix: str
    measure: Measure
    item_digits: int = Field(ge=1, le=8)
    value_digits: int = Field(ge=3, le=6)
    #: GS1's price check digit before the value (defined for 4- and 5-digit values only).
    value_check: bool = False

    @model_validator(mode="after")
    def _fits(self) -> Layout:
        if self.prefix not in PREFIXES:
            raise ValueError(f"prefix '{self.prefix}' is not one GS1 keeps for a shop's own codes "
                             "(02 or 20 to 29)")
        used = self.item_digits + self.value_digits + int(self.value_check)
        if used != _BODY:
            check = " and 1 check digit" if self.value_check else ""
            raise ValueError(f"prefix {self.prefix}: {self.item_digits} item digits, {self.value_digits} "
                             f"{self.measure.value} digits{check} make {used}; an EAN-13 has {_BODY} between its "
                             "prefix and its own check digit")
        if self.value_check and self.value_digits not in (4, 5):
            raise ValueError(f"prefix {self.prefix}: a check digit for the {self.measure.value} is defined "
                             f"for 4 or 5 digits, not {self.value_digits}")
        return self

    @property
    def largest(self) -> int:
        return 10 ** self.value_digits - 1


class Scanned(NamedTuple):
    """A variable-measure code read: the catalogue code to look up, and the price (pence) or weight (grams)."""

    stub: str
    measure: Measure
    value: int


def value_check_digit(value: str) -> int:
    """GS1's check digit for a 4- or 5-digit price (or weight) field."""
    digits = [int(d) for d in value]
    if len(digits) == 4:
        total = (_TWO_MINUS[digits[0]] + _TWO_MINUS[digits[1]] + _THREE[digits[2]] + _FIVE_MINUS[digits[3]])
        return total * 3 % 10
    if len(digits) == 5:
        total = (_FIVE_PLUS[digits[0]] + _TWO_MINUS[digits[1]] + _FIVE_MINUS[digits[2]] + _FIVE_PLUS[digits[3]]
                 + _TWO_MINUS[digits[4]])
        return _FIVE_MINUS.index((10 - total % 10) % 10)
    raise ValueError("a price check digit is defined for 4 or 5 digits")


def encode(layout: Layout, item: str, value: int) -> str:
    """The 13-digit code a scale would print for `item` at `value` (pence or grams)."""
    if not (item.isascii() and item.isdigit() and len(item) == layout.item_digits):
        raise CodeError(f"an item code for prefix {layout.prefix} is {layout.item_digits} digits")
    if not 0 <= value <= layout.largest:
        raise CodeError(f"prefix {layout.prefix} holds a {layout.measure.value} of at most {layout.largest}")
    field = f"{value:0{layout.value_digits}d}"
    check = str(value_check_digit(field)) if layout.value_check else ""
    body = layout.prefix + item + check + field
    return body + str(check_digit(body))


def stub(layout: Layout, item: str) -> str:
    """The item's catalogue code: its code with a value of nought."""
    return encode(layout, item, 0)


def decode(code: str, layouts: list[Layout]) -> Scanned | None:
    """The item and value in a scanned code, or None when no layout has its prefix (or it is no EAN-13).
    A code with a wrong check digit raises CodeError: a smudged label must not sell at a wrong price."""
    code = code.strip()
    if not (code.isascii() and code.isdigit() and len(code) == 13):
        return None
    layout = next((one for one in layouts if code.startswith(one.prefix)), None)
    if layout is None:
        return None
    if check_digit(code[:-1]) != int(code[-1]):
        raise CodeError(f"barcode '{code}' has a wrong check digit; scan it again or key the item in")
    start = len(layout.prefix)
    item = code[start:start + layout.item_digits]
    field = code[-1 - layout.value_digits:-1]
    if layout.value_check and int(code[start + layout.item_digits]) != value_check_digit(field):
        raise CodeError(f"the {layout.measure.value} in barcode '{code}' does not match its check digit; "
                        "scan it again or key the item in")
    return Scanned(stub(layout, item), layout.measure, int(field))


def weighed_price(grams: int, pence_per_kg: int) -> int:
    """A weighed line's price: weight × price per kg, rounded half up to the penny, in whole numbers only."""
    return (grams * pence_per_kg + 500) // 1000
