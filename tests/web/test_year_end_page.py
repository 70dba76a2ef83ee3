"""The co-op's year end on the web (`/books/year-end`) over HTTP, on the demo shop's real database: the figures
are pos.year_end's for the same day, the downloads are the command's own CSV and JSON byte for byte, a wrong
date is a sentence, no member is named, and who may open it is the actions × roles table's answer."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import pytest

from core.money import format_pence
from pos.config import Settings
from pos.shop import Shop
from pos.web.app import create_app
from pos.year_end import year_end
from pos.year_end_text import not_known, rows, shown
from tests.conftest import LONDON, FakeClock
from tests.web.conftest import SECRET, client_for
from tests.web.roles import signed_in_as
from volunteers.people import Role
from volunteers.permissions import Action, may

#: The demo's last day of trade: its year so far holds every member, share and sale the demo made.
LAST = date(2026, 11, 20)
QUERY = f"?year_ending={LAST.isoformat()}"


@pytest.fixture
def shop(demo_db):
    """The demo shop the morning of its last day of trade (Friday 20 November 2026)."""
    shop = Shop.open(Settings(db=demo_db), clock=FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)))
    yield shop
    shop.close()


@pytest.fixture
def app(shop):
    return create_app(shop, shop.settings.web, SECRET)


@pytest.fixture
def treasurer(app, shop, access):
    return signed_in_as(app, shop, access, "Tess Treasurer", Role.treasurer, address="10.0.0.7")


def _cells(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def test_the_page_shows_every_figure_the_command_gives_in_its_words(treasurer, shop):
    found = year_end(shop.db, shop.settings, LAST)
    # The demo made members, shares, sales and shifts this year: the comparison below compares something.
    assert found.members.at_end and found.share_capital.issued_for_cash_pence and found.trading.takings_pence
    assert found.volunteering.minutes and any(found.footfall.values())
    assert 'href="/books/year-end"' in treasurer.get("/").text
    page = treasurer.get("/books/year-end" + QUERY)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = _cells(page.text)
    assert f"the twelve months from 21/11/2025 to {LAST:%d/%m/%Y}" in text
    for section in ["Members", "Share capital", "Withdrawals", "Dividend", "Trading", "Volunteering", "Footfall"]:
        assert f"<caption>{section}</caption>" in page.text
    for _, label, value, unit in rows(found):
        assert f" {_upper(label)} {shown(value, unit)} " in text, label
    m = found.members
    assert f"Members At the start {m.at_start} Joined {m.joined} Ceased {m.ceased} At the end {m.at_end} " in text
    assert f"Share capital At the start {format_pence(found.share_capital.at_start_pence)}" in text
    assert not_known(found) in page.text  # what the till does not know, as the text output says it
    assert "wages, rent, utilities" in page.text
    assert 'href="/books/year-end.csv?year_ending=2026-11-20"' in page.text


def test_the_year_is_the_last_31_march_until_another_is_chosen(treasurer):
    page = treasurer.get("/books/year-end")
    assert page.status_code == 200
    assert 'name="year_ending" type="date" value="2026-03-31"' in page.text
    assert "the twelve months from 01/04/2025 to 31/03/2026" in _cells(page.text)
    assert 'href="/books/year-end"' in treasurer.get("/books/takings").text  # in the books' menu


def _command(tmp_path, demo_db, kind: str, monkeypatch) -> bytes:
    from pos.cli import main

    out = tmp_path / f"year.{kind}"
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))  # Sam Ortiz, manager, the demo's PIN
    assert main(["--db", str(demo_db), "year-end", "--year-ending", LAST.isoformat(), "--format", kind,
                 "--out", str(out), "--by", "Sam Ortiz"]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_the_downloads_are_the_commands_own_bytes(treasurer, demo_db, tmp_path, monkeypatch, kind):
    answer = treasurer.get(f"/books/year-end.{kind}" + QUERY)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"] == f'attachment; filename="year-end-2026-11-20.{kind}"'
    assert answer.content == _command(tmp_path, demo_db, kind, monkeypatch)
    if kind == "json":
        assert json.loads(answer.content)["last"] == "2026-11-20"
    else:
        assert answer.text.startswith("section,figure,value,unit\n") and "members,at the end," in answer.text


@pytest.mark.parametrize("typed, said", [
    ("not-a-date", "The year end must be a day of the calendar, such as 2026-03-31."),
    ("2026-02-30", "The year end must be a day of the calendar, such as 2026-03-31."),
    ("2026-11-21", "21/11/2026 is still to come: choose a year end on or before today."),
    ("9999-12-31", "31/12/9999 is still to come: choose a year end on or before today."),
    ("0001-03-31", "The till keeps no books from before 1900."),
])
def test_a_wrong_date_is_a_sentence_on_the_page_never_a_fault(treasurer, typed, said):
    for path in ["/books/year-end", "/books/year-end.csv", "/books/year-end.json"]:
        answer = treasurer.get(f"{path}?year_ending={typed}")
        assert answer.status_code == 400, (path, typed)
        assert answer.headers["content-type"].startswith("text/html")  # the page again, not a file
        assert said in answer.text and "Traceback" not in answer.text
        assert 'value="2026-03-31"' in answer.text  # the form offers the last year end instead
    missing = treasurer.get("/books/year-end.xlsx" + QUERY)
    assert missing.status_code == 404 and "The year end downloads as CSV or JSON." in missing.text


def test_nothing_names_a_member(treasurer, shop):
    members = shop.membership.register.all()
    assert members
    shown_ = [treasurer.get(path + QUERY).text for path in
              ["/books/year-end", "/books/year-end.csv", "/books/year-end.json"]]
    for member in members:
        for text in shown_:
            assert member.name not in text and member.number not in text
            assert (member.address or "") == "" or member.address not in text


@pytest.mark.parametrize("role", list(Role))
def test_who_may_open_it_is_the_tables_answer_for_the_year_end(app, shop, access, role):
    client = signed_in_as(app, shop, access, f"Someone {role.value.replace('_', ' ').title()}", role,
                          address="10.0.1.1")
    allowed = may(frozenset({role}), Action.year_end)
    takings = format_pence(year_end(shop.db, shop.settings, LAST).trading.takings_pence)
    for path in ["/books/year-end", "/books/year-end.csv", "/books/year-end.json"]:
        answer = client.get(path + QUERY)
        assert answer.status_code == (200 if allowed else 403), (role, path)
        if not allowed:
            assert takings not in answer.text
    assert ('href="/books/year-end"' in client.get("/").text) == allowed
    assert may(frozenset({Role.treasurer}), Action.year_end) and may(frozenset({Role.board_member}), Action.year_end)
    assert not may(frozenset({Role.volunteer}), Action.year_end)


def test_signed_out_people_and_members_cannot_open_it(app, shop, access):
    from tests.web.conftest import sign_in, sign_up

    stranger = client_for(app, "10.0.2.1")
    assert stranger.get("/books/year-end").status_code == 303
    assert stranger.get("/books/year-end.csv" + QUERY).status_code == 303
    member = shop.membership.register.all()[0]  # one the demo admitted
    client = client_for(app, "10.0.2.2")
    sign_up(client, access, member, member.number)
    sign_in(client, member.number)
    assert client.get("/books/year-end.json" + QUERY).status_code == 403
