"""The accounts export on the web (`/books/accounts`) over HTTP, on the demo shop traded back to 1 October: the
page says how many journals a period makes and which session it leaves out; the download is the command's
file byte for byte in each format, Xero's several files in a zip; a download is audited as the command's
export is; a wrong period is a sentence; who may export is the actions × roles table's answer."""

from __future__ import annotations

import html
import io
import re
import sqlite3
import zipfile
from contextlib import closing
from datetime import date, datetime

import pytest

from pos.config import Settings
from pos.database import open_database
from pos.demo_trade import simulate
from pos.shop import Shop
from pos.web.app import create_app
from tests.conftest import DEMO_UNTIL, LONDON, FakeClock, isolate
from tests.web.conftest import SECRET, client_for, csrf
from tests.web.roles import signed_in_as
from volunteers.people import Role
from volunteers.permissions import Action, may

FIRST, LAST = "2026-10-01", DEMO_UNTIL
PERIOD = {"first": FIRST, "last": LAST}


@pytest.fixture(scope="module")
def traded(demo_shop, tmp_path_factory):
    """The demo shop (with its PINs) traded back to 1 October, enough journals for several Xero files."""
    path = tmp_path_factory.mktemp("accounts-page") / "shop.db"
    with closing(sqlite3.connect(demo_shop)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, path.parent / "home")
        db = open_database(path)
        simulate(db, days=50, seed=5, until=date.fromisoformat(DEMO_UNTIL), till_id="till-1", zone=LONDON)
        db.close()
    return path


@pytest.fixture
def db_file(traded, tmp_path):
    path = tmp_path / "shop.db"
    with closing(sqlite3.connect(traded)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return path


@pytest.fixture
def shop(db_file):
    """The morning after the demo's last day of trade."""
    shop = Shop.open(Settings(db=db_file), clock=FakeClock(datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)))
    yield shop
    shop.close()


@pytest.fixture
def app(shop):
    return create_app(shop, shop.settings.web, SECRET)


@pytest.fixture
def treasurer(app, shop, access):
    return signed_in_as(app, shop, access, "Tess Treasurer", Role.treasurer, address="10.0.0.7")


def _cells(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _post(client, data: dict):
    token = csrf(client.get("/books/accounts").text)
    return client.post("/books/accounts", data={"csrf": token, **data})


def _command(tmp_path, db_file, kind: str, monkeypatch) -> list[bytes]:
    """What `till accounts export` writes with --out: its files, in order."""
    from pos.cli import main

    out = tmp_path / "cli" / "journals.csv"
    out.parent.mkdir()
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))  # Sam Ortiz, manager, the demo's PIN
    assert main(["--db", str(db_file), "accounts", "export", "--from", FIRST, "--to", LAST, "--format", kind,
                 "--out", str(out), "--by", "Sam Ortiz"]) == 0
    files = sorted(out.parent.iterdir(), key=lambda p: (len(p.name), p.name))
    return [path.read_bytes() for path in files]


@pytest.mark.parametrize("kind", ["csv", "beancount", "xero"])
def test_the_download_is_the_commands_file_byte_for_byte(treasurer, db_file, tmp_path, monkeypatch, kind):
    answer = _post(treasurer, {**PERIOD, "format": kind})
    assert answer.status_code == 200, answer.text
    expected = _command(tmp_path, db_file, kind, monkeypatch)
    name = re.search(r'filename="([^"]+)"', answer.headers["content-disposition"]).group(1)
    if kind == "xero":
        assert len(expected) > 1  # fifty days of trade are more than 300 lines
        assert name == f"accounts-{FIRST}-to-{LAST}-xero.zip"
        with zipfile.ZipFile(io.BytesIO(answer.content)) as bundle:
            names = bundle.namelist()
            assert names[:2] == [f"accounts-{FIRST}-to-{LAST}-xero.csv", f"accounts-{FIRST}-to-{LAST}-xero-2.csv"]
            assert [bundle.read(one) for one in names] == expected
        assert _post(treasurer, {**PERIOD, "format": kind}).content == answer.content  # the same bytes again
    else:
        assert name == f"accounts-{FIRST}-to-{LAST}.{kind}"
        assert [answer.content] == expected


def test_a_short_period_in_xero_is_one_csv_file(treasurer):
    answer = _post(treasurer, {"first": LAST, "last": LAST, "format": "xero"})
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text.startswith("*Narration,*Date")


def test_each_download_is_audited_as_the_commands_export_is(treasurer, shop):
    _post(treasurer, {**PERIOD, "format": "beancount"})
    rows = shop.db.execute("select operator_id, detail from audit_log where action = ?",
                           [Action.accounts_export.value]).fetchall()
    tess = shop.volunteers.by_name("Tess Treasurer").id
    assert rows == [(tess, f"web back office: accounts export {FIRST} to {LAST} as beancount")]
    treasurer.get(f"/books/accounts?first={FIRST}&last={LAST}")  # a look at the period writes nothing
    assert len(shop.db.execute("select * from audit_log where action = ?", [Action.accounts_export.value])
               .fetchall()) == 1


def test_the_page_counts_the_journals_and_says_which_session_has_no_z(treasurer, shop):
    shop.till.open_session(0, operator_id=shop.volunteers.by_name("Sam Ortiz").id)  # Saturday's, no Z yet
    page = treasurer.get("/books/accounts?first=2026-11-20&last=2026-11-21")
    assert page.status_code == 200
    text = _cells(page.text)
    assert "Fri 20 Nov 2026 to Sat 21 Nov 2026: " in text and " journals," in text
    assert ("Note: till-1's session of 21/11/2026 is unfinished (no Z yet): it is not in this export; export the day "
            "again after its Z.") in text
    assert '<input type="radio" id="format-xero" name="format" value="xero">' in page.text
    assert 'href="/books/accounts?first=' in treasurer.get("/books/takings").text  # in the books' menu


@pytest.mark.parametrize("first, last, said", [
    ("2026-11-21", "2026-11-20", "The period must end on or after the day it starts."),
    ("yesterday", "2026-11-20", "A date must be a day of the calendar, such as 2026-11-20."),
    ("2025-01-01", "2026-11-20", "Choose a period of at most 366 days."),
])
def test_a_wrong_period_is_a_sentence_and_downloads_nothing(treasurer, shop, first, last, said):
    page = treasurer.get(f"/books/accounts?first={first}&last={last}")
    assert page.status_code == 400 and said in page.text and "Traceback" not in page.text
    answer = _post(treasurer, {"first": first, "last": last, "format": "csv"})
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
    assert said in answer.text
    assert not shop.db.execute("select 1 from audit_log where action = ?", [Action.accounts_export.value]).fetchall()


@pytest.mark.parametrize("role", list(Role))
def test_who_may_export_is_the_tables_answer(app, shop, access, role):
    client = signed_in_as(app, shop, access, f"Someone {role.value.replace('_', ' ').title()}", role,
                          address="10.0.1.1")
    allowed = may(frozenset({role}), Action.accounts_export)
    assert client.get("/books/accounts").status_code == (200 if allowed else 403)
    token = csrf(client.get("/").text)
    answer = client.post("/books/accounts", data={"csrf": token, "first": LAST, "last": LAST, "format": "csv"})
    assert answer.status_code == (200 if allowed else 403), role
    assert ('href="/books/accounts"' in client.get("/").text) == allowed
    if may(frozenset({role}), Action.view_takings):  # a board member reads the books; the menu offers no export
        assert ('href="/books/accounts?' in client.get("/books/takings").text) == allowed
    assert not may(frozenset({Role.board_member}), Action.accounts_export)


def test_signed_out_people_cannot_export(app):
    stranger = client_for(app, "10.0.2.1")
    assert stranger.get("/books/accounts").status_code == 303
