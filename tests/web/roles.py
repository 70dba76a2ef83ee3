"""Signed-in clients for the back office's staff roles (treasurer, board member, centre staff …), for the pages
opened by an action of the actions × roles table rather than by a kind of person."""

from __future__ import annotations

from volunteers.people import Role

AT = "2026-01-01T00:00:00+00:00"


def signed_in_as(app, shop, access, name: str, *roles: Role, address: str):
    """A new volunteer holding `roles`, with a web password, signed in from their own address."""
    from tests.web.conftest import client_for, sign_in, sign_up

    person = shop.volunteers.add(name, roles if len(roles) > 1 else roles[0], at=AT)
    client = client_for(app, address)
    sign_up(client, access, person, name)
    sign_in(client, name)
    return client
