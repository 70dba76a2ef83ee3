"""Every web page as every kind of person, against the actions × roles table: each route of each module in
pos.web.pages.PAGES (a page added later is walked without being listed), GET and POST (with a good CSRF
token and an empty form), signed out, as a member and as staff holding each single Role. A page open to
someone answers anything but 403; a page closed to them answers 403; the signed-out are sent to sign in.
What is expected is read from what the page declares (`run.action`, `run.allowed`) and
volunteers.permissions.ALLOWED, so the table and the pages cannot disagree; and every back-office page must
declare an action, so a page that says only "staff" while serving the books fails here."""

from __future__ import annotations

import importlib

import pytest
from starlette.routing import Route

from access.guard import Kind
from pos.web.pages import PAGES
from tests.web.conftest import client_for, csrf, join, sign_in, sign_up
from volunteers.people import Role
from volunteers.permissions import ALLOWED, Action, may

AT = "2026-01-01T00:00:00+00:00"
#: Paths of the back office's figures and records: a page under these must name the action it serves.
BACK_OFFICE = ("/books", "/board", "/reach", "/register", "/catalogue", "/takings", "/treasurer", "/withdrawals",
               "/agm", "/hours", "/vat", "/accounts", "/year-end", "/shop-floor", "/z")


def routes() -> list[tuple[str, Route]]:
    return [(name, route) for name in PAGES for route in importlib.import_module(name).ROUTES
            if isinstance(route, Route)]


def guarded() -> list[tuple[str, str, object]]:
    """(method, path, endpoint) of every page behind `page(...)`: those declare who may open them."""
    found = []
    for _, route in routes():
        if not hasattr(route.endpoint, "allowed"):
            continue
        path = route.path
        for param in route.param_convertors:  # any number or word does: the role check comes first
            path = path.replace("{" + param + "}", "1").replace("{" + param + ":int}", "1")
        found += [(method, path, route.endpoint) for method in sorted(route.methods - {"HEAD"})]
    return found


def undeclared(found: list[tuple[str, Route]]) -> list[str]:
    """Back-office pages that do not say which action of the table they serve."""
    return [route.path for _, route in found if route.path.startswith(BACK_OFFICE)
            and getattr(route.endpoint, "action", None) is None]


def opens_to(endpoint, who: Kind | Role) -> bool:
    """What the page's declaration and the table say: may `who` (a member, or staff with one role) open it?"""
    if endpoint.action is not None:
        return who in Role and may(who, endpoint.action)
    if who is Kind.member:
        return Kind.member in endpoint.allowed
    return Kind.staff in endpoint.allowed or who in endpoint.allowed


def test_every_back_office_page_declares_its_action():
    assert undeclared(routes()) == []
    # Were one to forget, this rule would say so: a staff page over the books without an action.
    from pos.web.web import page

    @page(Kind.staff)
    async def takings(request, who):  # pragma: no cover - never served
        raise AssertionError

    assert undeclared([("planted", Route("/books/takings", takings))]) == ["/books/takings"]


def test_the_walk_covers_the_pages_and_the_table_it_checks():
    found = guarded()
    assert {"/reach", "/rota/offers", "/statement", "/volunteering"} <= {path for _, path, _ in found}
    assert all(action in ALLOWED for _, _, endpoint in found if (action := endpoint.action) is not None)
    assert any(method == "POST" for method, _, _ in found)


def test_the_signed_out_are_sent_to_sign_in_from_every_page(client):
    for method, path, _ in guarded():
        answer = client.request(method, path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in"), (method, path)


class Signed:
    """A client signed in as one person, signed in again if a page (sign-out) ended the session."""

    def __init__(self, client, login: str):
        self.client, self.login = client, login
        sign_in(client, login)
        self.token = csrf(client.get("/").text)

    def request(self, method: str, path: str):
        if method == "GET":
            return self.client.get(path)
        answer = self.client.post(path, data={"csrf": self.token})
        if self.client.get("/").status_code != 200:  # that page signed us out: carry on signed in
            sign_in(self.client, self.login)
            self.token = csrf(self.client.get("/").text)
        return answer


@pytest.fixture
def person(request, app, shop, access):
    """A signed-in client for `request.param`: Kind.member, or staff holding that one Role."""
    who = request.param
    client = client_for(app, "10.0.1.1")
    if who is Kind.member:
        member = join(shop, "Mel Member")
        sign_up(client, access, member, member.number)
        return Signed(client, member.number)
    name = f"Test {who.label}"
    sign_up(client, access, shop.volunteers.add(name, who, at=AT), name)
    return Signed(client, name)


@pytest.mark.parametrize("person", [Kind.member, *Role], indirect=True, ids=lambda who: who.value)
def test_every_page_answers_each_role_as_the_table_says(person, request):
    who = request.node.callspec.params["person"]
    wrong = []
    for method, path, endpoint in guarded():
        answer = person.request(method, path)
        expected = opens_to(endpoint, who)
        if (answer.status_code != 403) != expected or answer.status_code >= 500:
            wrong.append(f"{method} {path}: {answer.status_code}, the table says {'open' if expected else 'closed'}")
    assert wrong == []


def test_the_table_names_every_action():
    assert set(ALLOWED) == set(Action)
