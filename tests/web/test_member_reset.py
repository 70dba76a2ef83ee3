"""A forgotten password reset by email, against a real SMTP server on this machine (aiosmtpd) that
receives the real message. The attacker's methods kept: telling accounts apart by the answer,
mailing an address whose purpose does not allow it, using a link twice, a forged Host."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from coop.register import Register
from pos.config import WebSettings
from pos.web.app import create_app
from tests.web.conftest import PASSWORD, SECRET, client_for, csrf, sign_in

NEW = "a brand new passphrase"


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.mails = []

    def handle_message(self, message):
        self.mails.append(message)


@pytest.fixture
def inbox():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    handler.port = port
    yield handler
    server.stop()


@pytest.fixture
def web_settings(inbox) -> WebSettings:
    return WebSettings(smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_starttls=False, mail_from="till@example.org",
                       public_url="https://backoffice.example.org")


def give_email(shop, member, purpose):
    details = Register(shop.db).get(member.id).model_copy(update={"email": "ada@example.org",
                                                                  "email_purpose": purpose})
    Register(shop.db).update(member.id, details, at="2026-11-20T10:00:00Z", by="test", on=shop.today())


def ask(client, email):
    return client.post("/forgot", data={"csrf": csrf(client.get("/forgot").text), "email": email})


def link_in(mail) -> str:
    body = mail.get_payload(decode=True).decode()
    return next(line for line in body.splitlines() if line.startswith("https://"))


def test_a_member_resets_their_password_by_email(client, shop, member_a, inbox):
    give_email(shop, member_a, "AGM notices and my web account")
    assert 'href="/forgot"' in client.get("/sign-in").text
    answer = ask(client, "ADA@example.org ")
    assert answer.status_code == 200 and "a link to choose a new password is on its way" in answer.text
    [mail] = inbox.mails
    assert mail["To"] == "ada@example.org" and member_a.number in mail.get_payload()
    link = link_in(mail)
    assert link.startswith("https://backoffice.example.org/reset?token=")
    token = link.split("token=")[1]
    assert len(token) >= 16  # 128 random bits
    stored = shop.db.execute("select token_hash from web_resets").fetchone()[0]
    assert token not in stored  # only its hash is kept
    page = client.get(f"/reset?token={token}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    done = client.post("/reset", data={"csrf": csrf(page.text), "token": token, "password": NEW, "repeated": NEW})
    assert done.status_code == 200 and "Your new password is set" in done.text
    assert sign_in(client, member_a.number, PASSWORD).status_code == 400
    assert sign_in(client, member_a.number, NEW).status_code == 303
    again = client.post("/reset", data={"csrf": csrf(client.get("/reset").text), "token": token,
                                        "password": "yet another passphrase", "repeated": "yet another passphrase"})
    assert again.status_code == 400 and "cannot be used" in again.text  # single use


def test_the_answer_never_says_whether_an_account_exists(app, shop, member_a, inbox):
    give_email(shop, member_a, "web account")
    client = client_for(app, "10.0.0.5")
    known, unknown = ask(client, "ada@example.org"), ask(client, "nobody@example.org")
    assert (known.status_code, known.text) == (unknown.status_code, unknown.text)
    assert {k for k in known.headers if k != "date"} == {k for k in unknown.headers if k != "date"}
    assert len(inbox.mails) == 1


def test_no_mail_to_an_address_whose_purpose_does_not_allow_it(client, shop, member_a, inbox):
    give_email(shop, member_a, "AGM notices")
    answer = ask(client, "ada@example.org")
    assert answer.status_code == 200 and "on its way" in answer.text
    assert inbox.mails == [] and shop.db.execute("select count(*) from web_resets").fetchone()[0] == 0


def test_the_link_is_built_from_the_settings_not_the_host_the_browser_sent(app, shop, member_a, inbox):
    give_email(shop, member_a, "web account")
    client = client_for(app)
    client.post("/forgot", data={"csrf": csrf(client.get("/forgot").text), "email": "ada@example.org"},
                headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert all("evil" not in link_in(mail) for mail in inbox.mails)


def test_a_link_expires_and_a_new_one_voids_the_old(client, shop, member_a, inbox):
    from datetime import timedelta

    give_email(shop, member_a, "web account")
    ask(client, "ada@example.org")
    first = link_in(inbox.mails[0]).split("token=")[1]
    ask(client, "ada@example.org")
    second = link_in(inbox.mails[1]).split("token=")[1]
    form = {"password": NEW, "repeated": NEW}
    answer = client.post("/reset", data={"csrf": csrf(client.get("/reset").text), "token": first, **form})
    assert answer.status_code == 400
    shop.clock.moment += timedelta(hours=1, seconds=1)
    answer = client.post("/reset", data={"csrf": csrf(client.get("/reset").text), "token": second, **form})
    assert answer.status_code == 400 and "expired" in answer.text


def test_a_reset_form_without_its_csrf_token_is_refused(client, shop, member_a, inbox):
    give_email(shop, member_a, "web account")
    client.get("/forgot")
    assert client.post("/forgot", data={"email": "ada@example.org"}).status_code == 403
    assert inbox.mails == []


def test_without_an_smtp_server_there_is_no_reset_page(shop):
    client = client_for(create_app(shop, WebSettings(), SECRET))
    assert client.get("/forgot").status_code == 404 and client.get("/reset").status_code == 404
    assert 'href="/forgot"' not in client.get("/sign-in").text


def test_bad_links_from_one_place_slow_nobody_elses_reset(app, shop, member_a, inbox):
    # The attack: a few made-up tokens from one address, so that every member's real link must wait.
    give_email(shop, member_a, "web account")
    attacker = client_for(app, "10.9.9.9")
    for n in range(5):
        page = attacker.get("/reset")
        attacker.post("/reset", data={"csrf": csrf(page.text), "token": f"made-up-{n}", "password": NEW,
                                      "repeated": NEW})
    member = client_for(app, "10.0.0.77")
    ask(member, "ada@example.org")
    token = link_in(inbox.mails[-1]).split("token=")[1]
    page = member.get(f"/reset?token={token}")
    done = member.post("/reset", data={"csrf": csrf(page.text), "token": token, "password": NEW, "repeated": NEW})
    assert done.status_code == 200 and "Your new password is set" in done.text


def test_the_addresses_people_type_are_not_kept_in_the_clear(client, shop, member_a, inbox):
    ask(client, "someone.else@example.org")
    kept = " ".join(row[0] for row in shop.db.execute("select login from web_failures"))
    assert "someone.else" not in kept and "example.org" not in kept
