"""Who is signed in, and the role checks every page calls: the pages may hide a link, but the check
that counts is here, below them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import TillError
from volunteers.people import ORDER, Role
from volunteers.permissions import Action, may


class Kind(StrEnum):
    member = "member"
    staff = "staff"


class Forbidden(TillError):
    """Signed in, but not allowed this. The page says no more than that."""


@dataclass(frozen=True)
class Principal:
    """The person signed in. A member's pages take their own record from here, never from the address."""

    account_id: int
    kind: Kind
    name: str
    member_id: int | None = None
    member_number: str | None = None
    volunteer_id: int | None = None
    #: The main role (shown by their name) and every role they hold (what they may do goes by these).
    role: Role | None = None
    roles: frozenset[Role] = frozenset()

    @property
    def roles_label(self) -> str:
        return ", ".join(role.label for role in ORDER if role in self.roles)


def require(principal: Principal, *allowed: Kind | Role) -> Principal:
    """The principal if they are one of `allowed` (Kind.member, Kind.staff for any staff role, or a
    staff Role, any of theirs); Forbidden otherwise."""
    if principal.kind in allowed or (principal.kind == Kind.staff and principal.roles & set(allowed)):
        return principal
    raise Forbidden("This page is not open to you.")


def require_action(principal: Principal, action: Action) -> Principal:
    """The principal if the actions × roles table lets one of their roles do `action`; Forbidden otherwise."""
    if principal.kind == Kind.staff and may(principal.roles, action):
        return principal
    raise Forbidden("This page is not open to you.")


def own_member_id(principal: Principal) -> int:
    """The member whose record this member may see: always their own."""
    require(principal, Kind.member)
    assert principal.member_id is not None
    return principal.member_id
