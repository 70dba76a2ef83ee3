"""The board's pages over HTTP: the register (a page at a time, searched, exported, each look and download in the
audit log), the AGM voters, the withdrawal queue and its decisions, the dividend's preview, confirmation and
declaration. Who may open each page is the actions × roles table's word; a wrong password and a missing form
token change nothing; the same confirmation sent twice declares once."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import pytest

from access.guard import Kind
from coop.register_export import REGISTER_COLUMNS
from pos.basket import Basket
from pos.tenders import Tender, TenderKind
from pos.web.pages import board, board_decide
from tests.web.conftest import PASSWORD, client_for, csrf, join, sign_in, sign_up
from volunteers.people import Role
from volunteers.permissions import may

AT = "2026-01-01T00:00:00+00:00"
ROUTES = board.ROUTES + board_decide.ROUTES


def staff_client(app, access, volunteer, address: str):
    """A browser of its own for `volunteer`, signed in with a web password set from a code."""
    client = client_for(app, address)
    sign_up(client, access, volunteer, volunteer.name)
    sign_in(client, volunteer.name)
    return client


@pytest.fixture
def sam(app, shop, access):
    """A manager who sits on the board, as in the demo shop."""
    return staff_client(app, access, shop.volunteers.add("Sam Ortiz", (Role.manager, Role.board_member), at=AT),
                        "10.0.0.7")


@pytest.fixture
def tomasz(app, shop, access):
    """A shift lead who is the treasurer."""
    return staff_client(app, access, shop.volunteers.add("Tomasz Nowicki", (Role.shift_lead, Role.treasurer), at=AT),
                        "10.0.0.8")


def bought(shop, member, times: int = 1) -> None:
    """A member's purchase at the till (a £1.80 line, less their discount), `times` over."""
    for _ in range(times):
        basket = Basket()
        shop.till.scan(basket, "K2")
        shop.membership.attach(basket, member)
        shop.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                                operator_id=shop.volunteers.by_name("Val Test").id)


def page_words(text: str) -> str:
    """What a page says, as a person reads it: no tags, the entities undone, one space between words."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()).replace(" ,", ",").replace(" .", ".")


def audit(shop, like: str) -> list[tuple[str, int]]:
    return [tuple(row) for row in shop.db.execute(
        "select detail, operator_id from audit_log where detail like ? order by id", [like])]


@pytest.mark.parametrize("role", list(Role))
def test_each_board_page_is_open_to_exactly_the_roles_the_table_names(app, shop, access, role):
    client = staff_client(app, access, shop.volunteers.add(f"Pat {role.value.replace('_', ' ').title()}", role,
                                                           at=AT), "10.0.0.9")
    token = csrf(client.get("/").text)
    for route in ROUTES:
        allowed = may({role}, route.endpoint.action)
        for method in sorted(route.methods - {"HEAD"}):
            answer = client.request(method, route.path, data={"csrf": token} if method == "POST" else None)
            assert (answer.status_code != 403) == allowed, (role, method, route.path, answer.status_code)


def test_a_member_is_refused_every_board_page(member_a, client):
    sign_in(client, member_a.number)
    token = csrf(client.get("/my-details").text)
    for route in ROUTES:
        assert route.endpoint.allowed == () and Kind.member not in route.endpoint.allowed
        for method in sorted(route.methods - {"HEAD"}):
            answer = client.request(method, route.path, data={"csrf": token} if method == "POST" else None)
            assert answer.status_code == 403, (method, route.path)


def test_the_register_is_searched_a_page_at_a_time_and_each_look_is_audited(shop, sam):
    for name in ["Ada Able", "Bea Bold", "Cy Able"]:
        join(shop, name)
    page = sam.get("/register", params={"q": "able"})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Ada Able" in page.text and "Cy Able" in page.text and "Bea Bold" not in page.text
    assert "2 members found for “able”" in page.text
    assert "Bea Bold" in sam.get("/register", params={"page": "1"}).text
    sam_id = shop.volunteers.by_name("Sam Ortiz").id
    assert audit(shop, "web: register%") == [
        ('web: register of the members found for "able", page 1 of 1', sam_id),
        ("web: register of every member, page 1 of 1", sam_id)]
    assert "/register" in sam.get("/").text


def test_the_agm_list_is_the_members_on_the_day_of_the_vote(shop, clock, sam):
    join(shop, "Ada Able")
    clock.moment += timedelta(days=2)
    join(shop, "Bea Bold")
    sign_in(sam, "Sam Ortiz")  # two days on: the session of the 20th has ended
    on_the_day = sam.get("/register/voters", params={"on": "2026-11-21"}).text
    assert "1 member entitled to vote on 21/11/2026" in on_the_day
    assert "Ada Able" in on_the_day and "Bea Bold" not in on_the_day
    assert "2 members entitled to vote on 22/11/2026" in sam.get("/register/voters").text  # today, by default
    assert sam.get("/register/voters", params={"on": "soon"}).status_code == 400
    assert [detail for detail, _ in audit(shop, "web: AGM voters%")] == [
        "web: AGM voters of the members entitled to vote on 2026-11-21",
        "web: AGM voters of the members entitled to vote on 2026-11-22",
        "web: AGM voters of the members entitled to vote on 2026-11-22"]


def test_the_export_asks_the_password_again_and_the_download_is_audited(shop, sam):
    ada = join(shop, "Ada Able", shares=5)
    token = csrf(sam.get("/register/export").text)
    assert audit(shop, "web: register export%") == []  # the form shows nobody's data
    wrong = sam.post("/register/export", data={"csrf": token, "which": "full", "password": "not it"})
    assert wrong.status_code == 400 and "That is not your password" in wrong.text
    assert "text/csv" not in wrong.headers["content-type"] and audit(shop, "web: register export%") == []
    right = sam.post("/register/export", data={"csrf": token, "which": "full", "password": PASSWORD})
    assert right.status_code == 200 and right.headers["content-type"].startswith("text/csv")
    assert right.headers["content-disposition"] == 'attachment; filename="register-2026-11-20.csv"'
    assert right.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(right.text)))
    assert list(rows[0]) == REGISTER_COLUMNS
    assert [(r["number"], r["name"], r["address"], r["shares_held"], r["amount_paid_pence"]) for r in rows] == [
        (ada.number, "Ada Able", "1 High St", "5", "500")]
    duplicate = sam.post("/register/export", data={"csrf": token, "which": "duplicate", "password": PASSWORD})
    assert duplicate.text.splitlines() == ["name,address", "Ada Able,1 High St"]
    assert audit(shop, "web: register export%") == [
        ("web: register export of the full register, 1 members, as CSV", shop.volunteers.by_name("Sam Ortiz").id),
        ("web: register export of the duplicate register, 1 members, as CSV",
         shop.volunteers.by_name("Sam Ortiz").id)]


def test_the_export_without_the_form_token_sends_nothing(shop, sam):
    join(shop, "Ada Able")
    answer = sam.post("/register/export", data={"csrf": "forged", "which": "full", "password": PASSWORD})
    assert answer.status_code == 403 and "Ada Able" not in answer.text
    assert audit(shop, "web: register export%") == []


def test_a_board_member_decides_and_the_list_says_who_decided_and_when(shop, clock, sam):
    ada, bea = join(shop, "Ada Able", shares=5), join(shop, "Bea Bold", shares=5)
    shares = shop.membership.shares
    first = shares.request_withdrawal(ada, 2, on=shop.today(), at=shop.till.now(), by="the member")
    second = shares.request_withdrawal(bea, 4, on=shop.today(), at=shop.till.now(), by="the member")
    queue = sam.get("/board/withdrawals")
    assert "Waiting for the board's decision. Its notice ends on 18/02/2027." in html.unescape(queue.text)
    assert "Withdrawals are suspended" in queue.text  # the society's rules, as set
    token = csrf(queue.text)
    clock.moment += timedelta(minutes=20)  # within the session's idle half hour
    done = sam.post("/board/withdrawals/decide", data={"csrf": token, "request": str(first.id), "decision": "approved"})
    assert done.status_code == 303 and done.headers["location"] == f"/board/withdrawals?done={first.id}"
    too_many = sam.post("/board/withdrawals/decide", data={"csrf": token, "request": str(second.id),
                                                           "decision": "part_approved", "shares": "4"})
    assert too_many.status_code == 400 and "A part approval is of 1 to 3 shares." in too_many.text
    nonsense = sam.post("/board/withdrawals/decide", data={"csrf": token, "request": str(second.id),
                                                           "decision": "delete"})
    assert nonsense.status_code == 400 and "Choose approve, approve part, refuse or suspend." in nonsense.text
    part = sam.post("/board/withdrawals/decide", data={"csrf": token, "request": str(second.id),
                                                       "decision": "part_approved", "shares": "3"})
    assert part.status_code == 303
    after = page_words(sam.get(part.headers["location"]).text)
    assert f"The board's decision on request {second.id} is recorded." in after
    assert f"Request {first.id}, Ada Able ({ada.number}), 2 shares: approved, by Sam Ortiz on 20/11/2026 at 10:20." in after
    assert (f"Request {second.id}, Bea Bold ({bea.number}), 4 shares: part approved (3 shares), by Sam Ortiz on "
            "20/11/2026 at 10:20.") in after
    assert [(w.decision, w.approved_shares) for w in shares.withdrawals()] == [("approved", 2), ("part_approved", 3)]
    sam_id = shop.volunteers.by_name("Sam Ortiz").id
    assert audit(shop, "board decision%") == [(f"board decision on request {first.id}: approved", sam_id),
                                              (f"board decision on request {second.id}: part_approved", sam_id)]


def test_the_treasurer_sees_the_queue_but_only_the_board_decides(shop, sam, tomasz):
    ada = join(shop, "Ada Able", shares=5)
    asked = shop.membership.shares.request_withdrawal(ada, 2, on=shop.today(), at=shop.till.now(), by="the member")
    queue = tomasz.get("/board/withdrawals")
    assert queue.status_code == 200 and "Ada Able" in queue.text and "/board/withdrawals/decide" not in queue.text
    refused = tomasz.post("/board/withdrawals/decide", data={"csrf": csrf(queue.text), "request": str(asked.id),
                                                             "decision": "approved"})
    assert refused.status_code == 403
    forged = sam.post("/board/withdrawals/decide", data={"csrf": csrf(queue.text), "request": str(asked.id),
                                                         "decision": "approved"})  # Tomasz's token, Sam's session
    assert forged.status_code == 403
    assert [w.decision for w in shop.membership.shares.withdrawals()] == [None]


@pytest.fixture
def purchases(shop, products, clock, client, member_a):
    """Ada (cash, her own choice on the web) and Bea (the default, till credit) bought on 20/11; it is 21/11 now
    (ask for this fixture before the staff's, whose sessions would have ended overnight)."""
    sign_in(client, member_a.number)
    client.post("/dividend-choice", data={"csrf": csrf(client.get("/dividend-choice").text), "payout": "cash"})
    bea = join(shop, "Bea Bold")
    bought(shop, member_a, 3)
    bought(shop, bea, 1)
    clock.moment += timedelta(days=1)
    return {"first": "2026-11-01", "last": "2026-11-20", "sum": "10.00"}


def test_the_dividend_is_previewed_confirmed_with_the_password_and_declared_once(shop, purchases, sam):
    preview = sam.get("/board/dividend", params=purchases)
    assert preview.status_code == 200 and "Preview: £10.00 to 2 members" in preview.text
    assert "Nothing is declared yet." in preview.text and "/board/dividend/confirm?first=2026-11-01" in preview.text
    confirm = sam.get("/board/dividend/confirm", params=purchases)
    text = confirm.text
    assert "Declare £10.00 to 2 members" in text
    assert "<th scope=\"row\">cash at the till</th><td>1</td><td>£7.50</td>" in text
    assert "<th scope=\"row\">till credit</th><td>1</td><td>£2.50</td>" in text
    token = csrf(text)
    wrong = sam.post("/board/dividend/confirm", data={"csrf": token, **purchases, "password": "not it"})
    assert wrong.status_code == 400 and "That is not your password" in wrong.text
    assert shop.membership.dividends.runs() == []
    declared = sam.post("/board/dividend/confirm", data={"csrf": token, **purchases, "password": PASSWORD})
    again = sam.post("/board/dividend/confirm", data={"csrf": token, **purchases, "password": PASSWORD})
    assert declared.status_code == again.status_code == 303
    assert declared.headers["location"] == again.headers["location"] == "/board/dividend?declared=1"
    assert [(r["id"], r["sum_pence"], r["declared_by"]) for r in shop.membership.dividends.runs()] == [
        (1, 1000, "Sam Ortiz")]
    assert "Dividend 1 is declared." in sam.get(declared.headers["location"]).text
    assert [detail for detail, _ in audit(shop, "run %")] == ["run 1: 1000p"]
    assert [detail for detail, _ in audit(shop, "web: dividend%")] == [
        "web: dividend preview of dividend of £10.00 for 2026-11-01 to 2026-11-20",
        *["web: dividend confirmation of dividend of £10.00 for 2026-11-01 to 2026-11-20"] * 2]


def test_a_declaration_needs_the_form_token_and_a_period_that_has_ended(shop, purchases, tomasz):
    token = csrf(tomasz.get("/board/dividend").text)
    forged = tomasz.post("/board/dividend/confirm", data={"csrf": "forged", **purchases, "password": PASSWORD})
    assert forged.status_code == 403
    early = tomasz.post("/board/dividend/confirm", data={"csrf": token, **purchases, "last": "2026-11-21",
                                                         "password": PASSWORD})
    assert early.status_code == 400
    assert "A dividend can be declared only for a period that has ended" in early.text
    assert tomasz.get("/board/dividend", params={**purchases, "sum": "lots"}).status_code == 400
    assert tomasz.get("/board/dividend/confirm").status_code == 400
    assert shop.membership.dividends.runs() == []
