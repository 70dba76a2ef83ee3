"""VAT rules the till applies when the society is registered (docs/domain.md, "Tax and receipts").

Rates are in basis points (2000 = 20%) so the arithmetic stays in integers.
"""

from __future__ import annotations

from core.money import vat_in  # noqa: F401 - the till's callers name it here; the accounts need it below pos
from inventory.products import VatClass

RATE_BP = {VatClass.zero: 0, VatClass.reduced: 500, VatClass.standard: 2000, VatClass.exempt: 0}

#: Pass-through lines (stamps, top-ups) are outside the scope of VAT altogether.
OUTSIDE_SCOPE = "outside"


def effective_class(
    vat_class: VatClass, *, served_hot: bool, catering: bool, eat_in: bool, pass_through: bool
) -> str:
    """The class a line is sold at: cold take-away food is zero-rated, but hot food and drink,
    and catering eaten on the premises, are standard-rated."""
    if pass_through:
        return OUTSIDE_SCOPE
    if vat_class == VatClass.zero and (served_hot or (eat_in and catering)):
        return VatClass.standard.value
    return vat_class.value


def rate_bp(effective: str) -> int:
    return 0 if effective == OUTSIDE_SCOPE else RATE_BP[VatClass(effective)]


def rate_label(rate: int) -> str:
    return f"{rate // 100}%" if rate % 100 == 0 else f"{rate // 100}.{rate % 100:02d}%"
