"""A member's own actions over HTTP: withdraw, dividend choice, contact details, the data download and
the privacy notice. Real SQLite files; the attacker's methods kept as tests."""

from __future__ import annotations

import json

import pytest

from coop.register import Register
from tests.web.conftest import PASSWORD, client_for, csrf, join, sign_in, sign_up


@pytest.fixture
def signed_in_a(client, member_a):
    sign_in(client, member_a.number)
    return client


@pytest.fixture
def member_b(app, shop, access):
    b = join(shop, "Bea Bold", shares=9)
    other = client_for(app, "10.0.0.9")
    sign_up(other, access, b, b.number)
    sign_in(other, b.number)
    return b, other


def post(client, path, data):
    return client.post(path, data={"csrf": csrf(client.get(path).text), **data})


def test_a_member_asks_to_withdraw_and_sees_the_notice(signed_in_a, member_a, shop):
    page = signed_in_a.get("/withdraw")
    assert page.status_code == 200 and "90 days' notice" in page.text and "suspended withdrawals" in page.text
    answer = post(signed_in_a, "/withdraw", {"shares": "2", "password": PASSWORD})
    assert answer.status_code == 200 and "Your request to withdraw 2 shares is with the board" in answer.text
    assert "18/02/2027" in answer.text  # 90 days from 20/11/2026
    assert [(w.member_id, w.shares) for w in shop.membership.shares.withdrawals()] == [(member_a.id, 2)]
    assert answer.headers["cache-control"] == "no-store"


def test_the_password_is_asked_again_before_a_withdrawal(signed_in_a, shop):
    answer = post(signed_in_a, "/withdraw", {"shares": "2", "password": "not my password"})
    assert answer.status_code == 400 and "not your password" in answer.text
    answer = post(signed_in_a, "/withdraw", {"shares": "2"})
    assert answer.status_code == 400
    assert shop.membership.shares.withdrawals() == []


def test_a_refused_withdrawal_says_why(signed_in_a, shop):
    answer = post(signed_in_a, "/withdraw", {"shares": "6", "password": PASSWORD})
    assert answer.status_code == 400 and "holds 5 shares, 0 already asked for." in answer.text
    answer = post(signed_in_a, "/withdraw", {"shares": "two", "password": PASSWORD})
    assert answer.status_code == 400 and "Say how many whole shares" in answer.text
    assert shop.membership.shares.withdrawals() == []


def test_every_member_form_refuses_a_missing_or_forged_csrf_token(signed_in_a, member_a, shop):
    for path, data in (("/withdraw", {"shares": "1", "password": PASSWORD}), ("/dividend-choice", {"payout": "cash"}),
                       ("/my-details", {"address": "9 Evil Row"}), ("/my-data", {"password": PASSWORD})):
        for token in ({}, {"csrf": "forged"}):
            answer = signed_in_a.post(path, data={**data, **token})
            assert answer.status_code == 403 and "form has expired" in answer.text, path
    member = Register(shop.db).get(member_a.id)
    assert (member.address, member.dividend_payout) == ("1 High St", None)
    assert shop.membership.shares.withdrawals() == []


def test_the_dividend_choice(signed_in_a, member_a, shop):
    page = signed_in_a.get("/dividend-choice")
    assert page.status_code == 200 and "The society's usual way" in page.text
    answer = post(signed_in_a, "/dividend-choice", {"payout": "shares"})
    assert answer.status_code == 200 and "Your choice is saved" in answer.text
    assert Register(shop.db).get(member_a.id).dividend_payout == "shares"
    assert post(signed_in_a, "/dividend-choice", {"payout": "gold"}).status_code == 400


def test_contact_details_are_changed_and_kept_with_who(signed_in_a, member_a, shop):
    answer = post(signed_in_a, "/my-details", {"address": "2 Low St", "email": "ada@example.org",
                                               "email_purpose": "AGM notices", "phone": "", "phone_purpose": "",
                                               "consent_contact": "yes", "password": PASSWORD})
    assert answer.status_code == 200 and "Your details are saved" in answer.text
    member = Register(shop.db).get(member_a.id)
    assert (member.address, member.email, member.consent_contact) == ("2 Low St", "ada@example.org", True)
    changes = {c["field"]: c["changed_by"] for c in Register(shop.db).changes(member_a.id)}
    assert changes["address"] == changes["email"] == f"{member_a.number} (the member, on the web)"
    answer = post(signed_in_a, "/my-details", {"address": "2 Low St", "email": "not an address",
                                               "password": PASSWORD})
    assert answer.status_code == 400 and "is not an email address" in answer.text


def test_a_session_left_open_cannot_change_where_reset_mail_goes(signed_in_a, member_a, shop):
    # The attack: at a computer someone left signed in, change the email and its purpose to one's own, then
    # ask for a reset link from anywhere. The password is asked again, so nothing changes without it.
    for typed in ({}, {"password": "not the password"}):
        answer = post(signed_in_a, "/my-details", {"address": "1 High St", "email": "evil@example.org",
                                                   "email_purpose": "web account", **typed})
        assert answer.status_code == 400
    member = Register(shop.db).get(member_a.id)
    assert member.email != "evil@example.org" and member.email_purpose != "web account"


def test_a_member_cannot_act_on_another_members_record_by_any_field_or_address(member_b, signed_in_a, member_a,
                                                                              shop):
    # The attacker's method: B adds A's id or number to each form, or to the address.
    b, attacker = member_b
    for extra in ({"member_id": str(member_a.id)}, {"number": member_a.number}, {"id": str(member_a.id)},
                  {"name": "Ada Able"}):
        answer = post(attacker, "/my-details", {"address": "9 Evil Row", "password": PASSWORD, **extra})
        assert answer.status_code == 400 and "ask at the till" in answer.text
        post(attacker, f"/my-details?member={member_a.number}", {"address": "9 Evil Row", "password": PASSWORD,
                                                                 **extra})
    for path in (f"/withdraw?member={member_a.number}", f"/withdraw?id={member_a.id}", "/withdraw"):
        attacker.post(path, data={"csrf": csrf(attacker.get("/withdraw").text), "shares": "1",
                                  "password": PASSWORD, "member_id": str(member_a.id), "number": member_a.number})
    post(attacker, f"/dividend-choice?member={member_a.number}", {"payout": "cash", "member_id": str(member_a.id)})
    download = post(attacker, f"/my-data?member={member_a.number}", {"password": PASSWORD,
                                                                      "number": member_a.number})
    assert member_a.number not in download.text and json.loads(download.text)["member"]["number"] == b.number
    a = Register(shop.db).get(member_a.id)
    assert (a.address, a.dividend_payout) == ("1 High St", None)
    assert {w.member_id for w in shop.membership.shares.withdrawals()} == {b.id}
    for path in ("/withdraw", "/my-details", "/dividend-choice"):
        assert "Ada Able" not in attacker.get(path).text and "Bea Bold" not in signed_in_a.get(path).text


def test_the_data_download_asks_the_password_is_no_store_and_audited(signed_in_a, member_a, access):
    form = signed_in_a.get("/my-data")
    assert form.status_code == 200 and "Download" in form.text
    wrong = post(signed_in_a, "/my-data", {"password": "a wrong one"})
    assert wrong.status_code == 400 and "not your password" in wrong.text
    answer = post(signed_in_a, "/my-data", {"password": PASSWORD})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"].startswith("attachment")
    document = json.loads(answer.text)
    assert document["schema"] == "community-till/subject-access" and document["member"]["number"] == member_a.number
    assert [view["page"] for view in document["web_account"]["views"]] == ["data download"]
    assert "password" not in json.dumps(document["web_account"]).replace("password_set_at", "")
    account = access.db.execute("select id from web_accounts where member_id = ?", [member_a.id]).fetchone()[0]
    assert [(v["page"], v["subject"]) for v in access.views(account)] == [("data download", member_a.number)]


def test_each_page_is_in_the_audit(signed_in_a, member_a, access):
    for path in ("/withdraw", "/dividend-choice", "/my-details"):
        signed_in_a.get(path)
    account = access.db.execute("select id from web_accounts where member_id = ?", [member_a.id]).fetchone()[0]
    assert [v["page"] for v in access.views(account)] == ["withdrawal", "dividend choice", "contact details"]


def test_volunteers_and_the_signed_out_cannot_reach_the_member_pages(client, access, shop):
    for path in ("/withdraw", "/dividend-choice", "/my-details", "/my-data"):
        assert client.get(path).status_code == 303
    sign_up(client, access, shop.volunteers.by_name("Val Test"), "Val Test")
    sign_in(client, "Val Test")
    for path in ("/withdraw", "/dividend-choice", "/my-details", "/my-data"):
        assert client.get(path).status_code == 403, path


def test_the_privacy_notice_is_open_to_all_and_says_the_settings(client, shop):
    page = client.get("/privacy")
    assert page.status_code == 200
    assert f"{shop.settings.coop.retention_years} years after you leave" in page.text
    assert "Erased 30 days after it was made" in page.text
