"""The register of members as rows to export: the full register (s.30), with each member's shares,
money paid and other property, or the duplicate register (s.103) members may see: names and
addresses of current members only."""

from __future__ import annotations

from coop.dividend import Dividends
from coop.register import Member, Register
from coop.shares import Shares

#: The register's columns (s.30), in order.
REGISTER_COLUMNS = ["number", "name", "address", "email", "shares_held", "amount_paid_pence",
                    "other_property_pence", "date_admitted", "date_ceased"]
#: The duplicate register's columns (s.103): no money.
DUPLICATE_COLUMNS = ["name", "address"]


def _address(member: Member) -> str:
    return member.address.replace("\n", ", ")


def register_rows(register: Register, shares: Shares, dividends: Dividends) -> list[dict]:
    """Every member, former ones included, by number: what s.30 says the register holds. Money in
    pence; 'other property' is the member's till credit."""
    rows = []
    for member in register.all(include_former=True):
        holding = shares.holding(member.id)
        rows.append({
            "number": member.number, "name": member.name, "address": _address(member),
            "email": member.email or "",
            "shares_held": holding.shares, "amount_paid_pence": holding.paid_in_pence - holding.paid_out_pence,
            "other_property_pence": dividends.credit_balance(member.id),
            "date_admitted": member.admitted_on.isoformat(),
            "date_ceased": member.ceased_on.isoformat() if member.ceased_on else "",
        })
    return rows


def duplicate_rows(register: Register) -> list[dict]:
    """The duplicate register (s.103), for members to see who the members are: current ones, no money."""
    return [{"name": member.name, "address": _address(member)} for member in register.all(include_former=False)]
