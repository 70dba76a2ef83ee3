"""A web back office over a real till database in tmp_path, driven over HTTP by Starlette's TestClient
(https, since the session cookie is Secure). The clock is the tests' own, moved by hand."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from access.accounts import WebAccess
from access.sessions import Expiry
from coop.register import MemberDetails
from pos.config import Settings, WebSettings
from pos.shop import Shop
from pos.web.app import create_app

PASSWORD = "correct horse battery"
SECRET = b"k" * 32


@pytest.fixture
def shop(db_path, clock, staff):
    settings = Settings(db=db_path)
    shop = Shop.open(settings, clock=clock)
    yield shop
    shop.close()


@pytest.fixture
def web_settings() -> WebSettings:
    return WebSettings()


@pytest.fixture
def app(shop, web_settings):
    return create_app(shop, web_settings, SECRET)


def client_for(app, address="10.0.0.1") -> TestClient:
    return TestClient(app, base_url="https://testserver", client=(address, 50000), follow_redirects=False)


@pytest.fixture
def client(app) -> TestClient:
    return client_for(app)


@pytest.fixture
def access(shop) -> WebAccess:
    return WebAccess(shop.db, shop.clock, SECRET, Expiry(idle=timedelta(minutes=30), absolute=timedelta(hours=12)))


def join(shop, name: str, shares: int = 5):
    """A member who joined at the till with `shares` shares."""
    manager = shop.volunteers.by_name("Morgan Test")
    if shop.till.current_session() is None:
        shop.till.open_session(0, operator_id=manager.id)
    return shop.membership.join(MemberDetails.checked(name=name, address="1 High St"), shares, operator_id=manager.id)


def csrf(page_text: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_text).group(1)


def sign_up(client: TestClient, access: WebAccess, who, login: str, password: str = PASSWORD) -> None:
    """Use a code from the till through the web's own form."""
    if hasattr(who, "number"):
        code = access.issue_member_code(who, by="Morgan Test", today=access.clock().date())
    else:
        code = access.issue_staff_code(who, by="Morgan Test")
    form = client.get("/use-code").text
    answer = client.post("/use-code", data={"csrf": csrf(form), "login": login, "code": code,
                                             "password": password, "repeated": password})
    assert answer.status_code == 200, answer.text


def sign_in(client: TestClient, login: str, password: str = PASSWORD):
    form = client.get("/sign-in", follow_redirects=True).text
    return client.post("/sign-in", data={"csrf": csrf(form), "login": login, "password": password, "next": "/"})


@pytest.fixture
def member_a(shop, client, access):
    member = join(shop, "Ada Able")
    sign_up(client, access, member, member.number)
    return member
