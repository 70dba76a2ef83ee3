"""Every page over HTTP: signed out, as a member, as a volunteer; and what each may not reach."""

from __future__ import annotations

from tests.web.conftest import PASSWORD, client_for, csrf, join, sign_in, sign_up


def test_signed_out_people_are_sent_to_sign_in(client):
    for path in ("/", "/statement"):
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == f"/sign-in?next={path}"
    page = client.get("/sign-in")
    assert page.status_code == 200 and '<label for="login">' in page.text and 'href="#main"' in page.text


def test_a_member_signs_up_signs_in_and_reads_their_statement(client, member_a, shop):
    answer = sign_in(client, member_a.number)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = client.get("/")
    assert "Hello, Ada Able" in home.text and 'href="/statement"' in home.text
    page = client.get("/statement")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    statement = shop.membership.statement(member_a)
    assert "Shares held</th><td>5<" in page.text and statement.shares == 5
    assert "Bought" in page.text and "£5.00" in page.text
    assert "Till credit</th><td>£0.00<" in page.text


def test_the_statement_is_in_the_audit(client, member_a, access):
    sign_in(client, member_a.number)
    client.get("/statement")
    account = access.db.execute("select id from web_accounts where member_id = ?", [member_a.id]).fetchone()[0]
    assert [(v["page"], v["subject"], v["address"]) for v in access.views(account)] == [
        ("statement", member_a.number, "10.0.0.1")]


def test_member_a_cannot_read_member_b_by_any_means(app, shop, access, member_a):
    # The attacker's method: B signs in and tries every way of naming A's record.
    b = join(shop, "Bea Bold", shares=9)
    attacker = client_for(app, "10.0.0.9")
    sign_up(attacker, access, b, b.number)
    sign_in(attacker, b.number)
    for path in ("/statement", f"/statement?member={member_a.number}", f"/statement?id={member_a.id}",
                 f"/statement/{member_a.number}", f"/statement/{member_a.id}", f"/members/{member_a.id}"):
        page = attacker.get(path)
        assert "Ada Able" not in page.text and member_a.number not in page.text, path
    assert "Bea Bold" in attacker.get("/statement").text


def test_a_volunteer_cannot_see_a_members_statement(client, access, shop):
    sign_up(client, access, shop.volunteers.by_name("Val Test"), "Val Test")
    sign_in(client, "Val Test")
    home = client.get("/")
    assert "Signed in as" in home.text and "/statement" not in home.text
    refused = client.get("/statement")
    assert refused.status_code == 403 and "not open to you" in refused.text


def test_a_form_without_its_csrf_token_changes_nothing(client, member_a):
    answer = client.post("/sign-in", data={"login": member_a.number, "password": PASSWORD})
    assert answer.status_code == 403 and "till_session" not in answer.headers.get("set-cookie", "")
    sign_in(client, member_a.number)
    assert client.post("/sign-out", data={"csrf": "forged"}).status_code == 403
    assert client.get("/statement").status_code == 200  # still signed in
    page = client.get("/")
    assert client.post("/sign-out", data={"csrf": csrf(page.text)}).status_code == 303
    assert client.get("/statement").status_code == 303


def test_another_sessions_csrf_token_is_refused(app, client, member_a):
    sign_in(client, member_a.number)
    other = client_for(app)
    sign_in(other, member_a.number)
    stolen = csrf(other.get("/").text)
    assert client.post("/sign-out", data={"csrf": stolen}).status_code == 403


def test_signing_in_gives_a_new_session_id(client, member_a):
    first = sign_in(client, member_a.number).cookies["till_session"]
    second = sign_in(client, member_a.number).cookies["till_session"]
    assert first != second
    client.cookies.set("till_session", first, domain="testserver.local")
    assert client.get("/statement").status_code == 303  # the old id is dead


def test_an_idle_session_expires(client, member_a, shop):
    from datetime import timedelta

    sign_in(client, member_a.number)
    shop.clock.moment += timedelta(minutes=31)
    assert client.get("/statement").status_code == 303


def test_wrong_passwords_slow_down_then_lock_the_address_out(app, member_a, shop):
    from datetime import timedelta

    attacker = client_for(app, "10.6.6.6")
    for n in range(20):
        shop.clock.moment += timedelta(seconds=30)
        answer = sign_in(attacker, f"M{9000 + n}", "a guess")
        assert answer.status_code == 400 and "do not match" in answer.text
    answer = sign_in(attacker, member_a.number)
    assert answer.status_code == 400 and "from this connection" in answer.text
    assert sign_in(client_for(app, "10.0.0.2"), member_a.number).status_code == 303


def test_the_sign_in_page_does_not_send_people_elsewhere(client, member_a):
    page = client.get("/sign-in")
    answer = client.post("/sign-in", data={"csrf": csrf(page.text), "login": member_a.number, "password": PASSWORD,
                                           "next": "https://evil.example/"})
    assert answer.headers["location"] == "/"
