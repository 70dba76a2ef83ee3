"""Applying to join over HTTP, and completing it at the till from the command line."""

from __future__ import annotations

import io
from datetime import timedelta

from access import applications as limits
from pos.cli import main
from tests.web.conftest import client_for, csrf

FORM = {"name": "Nia New", "address": "3 Mill Lane", "email": "", "email_purpose": "", "phone": "",
        "phone_purpose": "", "shares": "5", "adult": "yes"}


def apply(client, **more):
    return client.post("/join", data={"csrf": csrf(client.get("/join").text), **FORM, **more})


def test_someone_applies_online_and_is_told_what_happens_next(client, shop):
    page = client.get("/join")
    assert page.status_code == 200 and '<label for="name">' in page.text and "Under 16?" in page.text
    answer = apply(client)
    assert answer.status_code == 200 and "Your application number is <strong>1</strong>" in answer.text
    assert "£5.00" in answer.text and "within 30 days" in answer.text
    assert [(a.name, a.shares) for a in shop.membership.applications().pending()] == [("Nia New", 5)]


def test_under_16s_are_told_to_apply_at_the_till(client, shop):
    answer = apply(client, adult="no")
    assert answer.status_code == 400 and "Under-16s apply at the till, with a parent" in answer.text
    assert shop.membership.applications().pending() == []


def test_an_application_without_its_csrf_token_is_refused(client, shop):
    client.get("/join")
    assert client.post("/join", data=FORM).status_code == 403
    assert client.post("/join", data={**FORM, "csrf": "forged"}).status_code == 403
    assert shop.membership.applications().pending() == []


def test_one_address_is_limited_and_the_forwarded_address_is_not_believed(app, shop):
    # The attacker's method: many applications from one place, claiming other addresses.
    attacker = client_for(app, "10.6.6.6")
    for _ in range(limits.PER_ADDRESS):
        assert apply(attacker).status_code == 200
    answer = attacker.post("/join", data={"csrf": csrf(attacker.get("/join").text), **FORM},
                           headers={"X-Forwarded-For": "10.1.2.3"})
    assert answer.status_code == 400 and "Too many applications" in answer.text
    assert apply(client_for(app, "10.0.0.2")).status_code == 200
    shop.clock.moment += limits.WINDOW + timedelta(seconds=1)
    assert apply(attacker).status_code == 200


def test_unpaid_applications_are_erased_when_the_web_starts(shop, web_settings):
    from pos.web.app import create_app
    from tests.web.conftest import SECRET

    client = client_for(create_app(shop, web_settings, SECRET))
    apply(client)
    shop.clock.moment += timedelta(days=web_settings.application_days, seconds=1)
    create_app(shop, web_settings, SECRET)
    assert shop.db.execute("select count(*) from web_applications").fetchone()[0] == 0


def test_the_till_lists_and_completes_an_application(demo_db, capsys, monkeypatch):
    from access.applications import Applications
    from coop.rules import ShareRules
    from core.clock import system_clock
    from pos.database import open_database

    db = open_database(demo_db)
    number = Applications(db, system_clock).apply({"name": "Nia New", "address": "3 Mill Lane"}, 5, adult=True,
                                                  rules=ShareRules(), address="10.0.0.1", keep_days=30)
    db.close()

    def run(pins, *argv):
        monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{pin}\n" for pin in pins)))
        code = main(["--db", str(demo_db), *argv])
        return (code, *capsys.readouterr())

    code, out, err = run(["2222"], "members", "applications", "--by", "Priya Kell")
    assert code == 0 and f"{number:>5}" in out and "Nia New, 3 Mill Lane" in out and "1 applications waiting" in err
    code, out, err = run(["2222"], "members", "join", "--application", str(number), "--by", "Priya Kell")
    assert code == 1 and "not open" in err
    assert run(["2222"], "session", "open", "--float", "20", "--operator", "Priya Kell")[0] == 0
    code, out, err = run(["2222"], "members", "join", "--application", str(number), "--by", "Priya Kell")
    assert code == 0 and "Nia New is member M" in err and "take £5.00 for 5 shares" in err
    code, out, err = run(["2222"], "members", "applications", "--by", "Priya Kell")
    assert "Nia New" not in out and "0 applications waiting" in err


def test_a_refused_application_is_not_cached_and_odd_numbers_are_a_sentence(client):
    # A refused form shows back the name and address typed, on the centre's shared computers.
    answer = apply(client, shares="0")
    assert answer.status_code == 400 and answer.headers["cache-control"] == "no-store"
    assert "3 Mill Lane" in answer.text
    for odd in ("\u00b2", "9" * 5000):  # str.isdigit takes both; int() cannot read them
        answer = apply(client, shares=odd)
        assert answer.status_code == 400 and "went wrong" not in answer.text
