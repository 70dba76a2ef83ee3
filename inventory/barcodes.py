"""Barcodes (EAN-13, EAN-8, UPC-A) with their check digits, and short codes (PLUs) for café items."""

from __future__ import annotations

import re

_PLU = re.compile(r"^[A-Za-z0-9]{1,6}$")


class CodeError(ValueError):
    """A barcode or short code that cannot be used; the message says why."""


def check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_barcode_shaped(text: str) -> bool:
    """Scanner input: all digits, and the length of an EAN-8, UPC-A or EAN-13."""
    return text.isascii() and text.isdigit() and len(text) in (8, 12, 13)


def normalise_barcode(text: str) -> str:
    """Validate a barcode and return the form it is stored and looked up by.

    UPC-A (12 digits) is the same number as an EAN-13 with a leading 0, and
    scanners send either, so both are stored as the 13-digit form. EAN-8 stays 8.
    """
    code = text.strip()
    if not (code.isascii() and code.isdigit()):
        raise CodeError(f"barcode '{code}' must be digits only")
    if len(code) not in (8, 12, 13):
        raise CodeError(
            f"barcode '{code}' has {len(code)} digits; EAN-13 has 13, UPC-A 12 and EAN-8 8"
        )
    if check_digit(code[:-1]) != int(code[-1]):
        kind = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13"}[len(code)]
        raise CodeError(f"barcode '{code}' has a wrong check digit for an {kind} barcode")
    return "0" + code if len(code) == 12 else code


def normalise_plu(text: str) -> str:
    """A short code typed at the till for café items (T1, 101): 1–6 letters or digits, upper-cased."""
    code = text.strip()
    if not _PLU.match(code):
        raise CodeError(f"short code '{code}' must be 1 to 6 letters or digits")
    return code.upper()


def with_check_digit(body: str) -> str:
    """Append the check digit: for making up demo barcodes and in tests."""
    return body + str(check_digit(body))
