"""Signed-in web clients for people with any roles (a treasurer, a board member, several at once), for the
back-office page tests: each a volunteer added to the shop, with a web password set through the web's own
code form, signed in from their own address."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.testclient import TestClient

from tests.web.conftest import client_for, sign_in, sign_up
from volunteers.people import Role

AT = "2026-01-01T00:00:00+00:00"


def signed_in_as(app, shop, access, name: str, *roles: Role | Iterable[Role], address: str) -> TestClient:
    """A new volunteer holding `roles` (given one by one or as a set), signed in from `address`."""
    held = {one for role in roles for one in ((role,) if isinstance(role, Role) else role)}
    person = shop.volunteers.add(name, held if len(held) > 1 else next(iter(held)), at=AT)
    client = client_for(app, address)
    sign_up(client, access, person, name)
    answer = sign_in(client, name)
    assert answer.status_code == 303, answer.text
    return client
