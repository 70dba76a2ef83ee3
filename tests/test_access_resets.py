"""Password resets by email in the core (access.resets), without a web server or a mail server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from access import resets
from access.accounts import WebAccess
from access.sessions import Expiry
from coop.register import MemberDetails, Register
from core.clock import stamp

PASSWORD = "correct horse battery"


@pytest.fixture
def web(db, clock, staff):
    return WebAccess(db, clock, b"s" * 32, Expiry(idle=timedelta(minutes=30), absolute=timedelta(hours=12)))


def member_with_account(web, purpose, email="ada@example.org"):
    member = Register(web.db).admit(MemberDetails.checked(name="Ada Able", address="1 High St", email=email,
                                                          email_purpose=purpose), on=web.clock().date(),
                                    at=stamp(web.clock()), by="Morgan Test")
    code = web.issue_member_code(member, by="Morgan Test", today=web.clock().date())
    web.set_password_with_code(member.number, code, PASSWORD, PASSWORD, address="10.0.0.1")
    return member


def test_only_a_purpose_naming_the_web_account_or_passwords_allows_account_mail():
    assert resets.purpose_allows("AGM notices and my web account")
    assert resets.purpose_allows("Password resets")
    assert not resets.purpose_allows("AGM notices")
    assert not resets.purpose_allows(None)
    assert not resets.purpose_allows("cobweb removal")  # a word, not a part of one
    assert not resets.purpose_allows("AGM notices and annual accounts")
    assert not resets.purpose_allows("webinars")


def test_a_token_is_single_use_hashed_and_ends_every_session(web):
    member = member_with_account(web, "web account")
    session = web.sign_in(member.number, PASSWORD, address="10.0.0.1")
    [mail] = resets.request_reset(web, "Ada@Example.org", address="10.0.0.1", public_url="https://b.example/")
    token = mail.link.split("token=")[1]
    assert mail.link.startswith("https://b.example/reset?token=") and len(token) >= 16
    assert web.db.execute("select count(*) from web_resets where token_hash = ?", [token]).fetchone()[0] == 0
    resets.reset_password(web, token, "a brand new passphrase", "a brand new passphrase", address="10.0.0.1")
    assert web.who(session) is None
    with pytest.raises(resets.ResetRefused):
        resets.reset_password(web, token, "another new passphrase", "another new passphrase", address="10.0.0.1")


def test_unknown_and_unallowed_addresses_get_no_mail(web):
    member_with_account(web, "AGM notices")
    assert resets.request_reset(web, "ada@example.org", address="x", public_url="https://b.example") == []
    assert resets.request_reset(web, "nobody@example.org", address="x", public_url="https://b.example") == []
