"""The web's sign-in rules, without a web server: codes, passwords, sessions, slow-down and lockout,
and who a session belongs to. Real SQLite files; the clock is moved by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from access import codes, throttle
from access.accounts import BAD_CODE, NO_MATCH, SignInError, WebAccess
from access.guard import Forbidden, Kind, own_member_id, require
from access.passwords import PasswordError, hash_password, verify_password
from access.sessions import Expiry
from coop.register import MemberDetails, Register
from core.clock import stamp
from core.errors import TillError
from volunteers.people import Role

PASSWORD = "correct horse battery"
SECRET = b"s" * 32


@pytest.fixture
def web(db, clock, staff) -> WebAccess:
    return WebAccess(db, clock, SECRET, Expiry(idle=timedelta(minutes=30), absolute=timedelta(hours=12)))


def admit(db, clock, name="Ada Member", **more):
    return Register(db).admit(MemberDetails.checked(name=name, address="1 High St", **more),
                              on=clock().date(), at=stamp(clock()), by="Morgan Test")


@pytest.fixture
def member(db, clock):
    return admit(db, clock)


def signed_up(web, member, password=PASSWORD, address="10.0.0.1"):
    code = web.issue_member_code(member, by="Morgan Test", today=date(2026, 11, 20))
    web.set_password_with_code(member.number, code, password, password, address=address)


def test_a_code_has_at_least_64_random_bits_and_reads_one_way():
    code = codes.new_code()
    assert len(codes.normalise(code)) * 5 >= 64 and codes.CODE_BYTES * 8 >= 64
    assert not set(codes.normalise(code)) & set("0189")
    assert codes.code_hash(code.lower().replace("-", " ")) == codes.code_hash(code)
    assert codes.new_code() != codes.new_code()


def test_passwords_are_scrypt_hashes_never_the_text():
    stored = hash_password(PASSWORD)
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert verify_password(PASSWORD, stored) and not verify_password(PASSWORD + "!", stored)
    assert hash_password(PASSWORD) != stored  # salted
    assert not verify_password(PASSWORD, None)


def test_a_member_signs_up_with_the_code_once_then_signs_in(web, member, db):
    code = web.issue_member_code(member, by="Morgan Test", today=date(2026, 11, 20))
    web.set_password_with_code(member.number.lower(), code, PASSWORD, PASSWORD, address="a")
    with pytest.raises(SignInError, match=BAD_CODE):  # single use
        web.set_password_with_code(member.number, code, "another long one", "another long one", address="a")
    token = web.sign_in(member.number, PASSWORD, address="a")
    who = web.who(token)
    assert who.kind == Kind.member and who.member_id == member.id and who.member_number == member.number
    stored = db.execute("select code_hash from web_codes").fetchone()[0]
    assert codes.normalise(code) not in stored


def test_a_code_runs_out_after_14_days(web, member, clock):
    code = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    clock.moment += timedelta(days=14, seconds=1)
    with pytest.raises(SignInError, match=BAD_CODE):
        web.set_password_with_code(member.number, code, PASSWORD, PASSWORD, address="a")


def test_a_code_on_its_last_day_still_works(web, member, clock):
    code = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    clock.moment += timedelta(days=13, hours=23)
    web.set_password_with_code(member.number, code, PASSWORD, PASSWORD, address="a")


def test_five_wrong_tries_void_the_code(web, member, clock):
    code = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    for _ in range(codes.MAX_TRIES):
        clock.moment += timedelta(minutes=2)  # past the slow-down: it is the code's count that voids it
        with pytest.raises(SignInError):
            web.set_password_with_code(member.number, "AAAA-AAAA-AAAA-AAAA", PASSWORD, PASSWORD, address="a")
    clock.moment += timedelta(minutes=2)
    with pytest.raises(SignInError, match=BAD_CODE):
        web.set_password_with_code(member.number, code, PASSWORD, PASSWORD, address="a")


def test_four_wrong_tries_leave_the_code_working(web, member, clock):
    code = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    for _ in range(codes.MAX_TRIES - 1):
        clock.moment += timedelta(minutes=2)
        with pytest.raises(SignInError):
            web.set_password_with_code(member.number, "AAAA-AAAA-AAAA-AAAA", PASSWORD, PASSWORD, address="a")
    clock.moment += timedelta(minutes=2)
    web.set_password_with_code(member.number, code, PASSWORD, PASSWORD, address="a")


def test_a_reissued_code_voids_the_one_before(web, member, clock):
    first = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    second = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    with pytest.raises(SignInError, match=BAD_CODE):
        web.set_password_with_code(member.number, first, PASSWORD, PASSWORD, address="a")
    web.set_password_with_code(member.number, second, PASSWORD, PASSWORD, address="a")


def test_a_bad_new_password_leaves_the_code_usable(web, member, clock):
    code = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    with pytest.raises(PasswordError, match="at least"):
        web.set_password_with_code(member.number, code, "short", "short", address="a")
    with pytest.raises(PasswordError, match="not the same"):
        web.set_password_with_code(member.number, code, PASSWORD, PASSWORD + "x", address="a")
    with pytest.raises(PasswordError, match="name or membership number"):
        web.set_password_with_code(member.number, code, f"{member.number}-pass-word", f"{member.number}-pass-word",
                                   address="a")
    web.set_password_with_code(member.number, code, PASSWORD, PASSWORD, address="a")


def test_members_under_16_and_former_members_get_no_code(web, db, clock):
    child = admit(db, clock, "Young Member", date_of_birth=date(2012, 1, 1))
    with pytest.raises(TillError, match="under 16.*stays at the till"):
        web.issue_member_code(child, by="Morgan Test", today=clock().date())
    sixteen = admit(db, clock, "Nearly Sixteen", date_of_birth=date(2010, 11, 21))
    with pytest.raises(TillError, match="under 16"):
        web.issue_member_code(sixteen, by="Morgan Test", today=clock().date())
    assert web.issue_member_code(sixteen, by="Morgan Test", today=clock().date() + timedelta(days=1))
    left = Register(db).cease(sixteen.id, on=clock().date(), at=stamp(clock()), by="Morgan Test", reason="moved")
    with pytest.raises(TillError, match="no longer a member"):
        web.issue_member_code(left, by="Morgan Test", today=clock().date())


def test_staff_sign_in_by_name_with_a_web_password_never_the_pin(web, staff, db):
    volunteer = staff["volunteer"]
    code = web.issue_staff_code(volunteer, by="Morgan Test")
    web.set_password_with_code("val test", code, PASSWORD, PASSWORD, address="a")
    who = web.who(web.sign_in("Val  Test", PASSWORD, address="a"))
    assert who.kind == Kind.staff and who.role == Role.volunteer and who.volunteer_id == volunteer.id
    pin_hash = db.execute("select pin_hash from volunteers where id = ?", [volunteer.id]).fetchone()[0]
    web_hash = db.execute("select password_hash from web_accounts").fetchone()[0]
    assert pin_hash != web_hash


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(web, member):
    signed_up(web, member)
    with pytest.raises(SignInError) as wrong:
        web.sign_in(member.number, "not the password", address="a")
    with pytest.raises(SignInError) as unknown:
        web.sign_in("M9999", "not the password", address="b")
    assert str(wrong.value) == str(unknown.value) == NO_MATCH


def test_repeated_failures_slow_the_name_down_then_let_it_in(web, member, clock):
    signed_up(web, member)
    for _ in range(throttle.FREE_TRIES):
        with pytest.raises(SignInError):
            web.sign_in(member.number, "wrong password", address="a")
    # Now even the right password waits: the slow-down comes before the password is looked at.
    with pytest.raises(throttle.TooManyTries, match="wait 1 seconds"):
        web.sign_in(member.number, PASSWORD, address="a")
    clock.moment += timedelta(seconds=1)
    assert web.who(web.sign_in(member.number, PASSWORD, address="a"))


def test_parallel_guesses_get_no_more_tries_than_one_after_another(web, member, clock, db_path):
    # The attacker's method: many guesses at once, each on its own connection (as several web workers
    # would make), all reaching the check before any failure is written. Every try is counted before its
    # password is looked at, so no more than the free tries are ever checked against the hash.
    import threading

    from pos.database import open_database

    signed_up(web, member)
    start, outcomes = threading.Barrier(8), []

    def guess(n: int) -> None:
        db = open_database(db_path)
        try:
            mine = WebAccess(db, clock, SECRET, web.expiry)
            start.wait()
            try:
                mine.sign_in(member.number, f"guess {n}", address=f"10.9.9.{n}")
            except (SignInError, throttle.TooManyTries) as error:
                outcomes.append(type(error))
        finally:
            db.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(SignInError) == throttle.FREE_TRIES
    assert outcomes.count(throttle.TooManyTries) == 8 - throttle.FREE_TRIES


def test_the_slow_down_never_passes_a_minute(web, member, clock, db):
    with db.conn:
        for _ in range(30):
            throttle.failed(db, address="elsewhere", login=member.number.casefold(), now=clock())
    assert throttle.account_wait(db, member.number.casefold(), clock()) == 60


def test_an_address_that_keeps_failing_is_locked_out(web, member, clock):
    signed_up(web, member)
    for n in range(throttle.ADDRESS_FAILURES):
        clock.moment += timedelta(seconds=30)
        with pytest.raises(SignInError):
            web.sign_in(f"M{9000 + n}", "guess", address="10.6.6.6")
    clock.moment += timedelta(seconds=30)
    with pytest.raises(throttle.TooManyTries, match="from this connection"):
        web.sign_in(member.number, PASSWORD, address="10.6.6.6")
    assert web.sign_in(member.number, PASSWORD, address="10.0.0.2")  # elsewhere, the member is let in
    clock.moment += throttle.ADDRESS_WINDOW
    assert web.sign_in(member.number, PASSWORD, address="10.6.6.6")


def test_nobody_can_keep_the_treasurer_out_by_failing_on_purpose(web, staff, clock):
    # The attacker's method: fail on the treasurer's name again and again, as fast as allowed.
    treasurer = staff["manager"]
    web.set_password_with_code(treasurer.name, web.issue_staff_code(treasurer, by="Morgan Test"),
                               PASSWORD, PASSWORD, address="office")
    for _ in range(200):
        clock.moment += timedelta(seconds=5)
        with pytest.raises((SignInError, throttle.TooManyTries)):
            web.sign_in(treasurer.name, "guess", address="10.6.6.6")
    with pytest.raises(throttle.TooManyTries):
        web.sign_in(treasurer.name, "guess", address="10.6.6.6")
    # The treasurer, from the office, waits a minute at most and is in.
    clock.moment += throttle.LONGEST_WAIT
    assert web.who(web.sign_in(treasurer.name, PASSWORD, address="office")).role == Role.manager


def test_each_sign_in_gets_a_new_session_and_ends_the_old(web, member):
    signed_up(web, member)
    first = web.sign_in(member.number, PASSWORD, address="a")
    second = web.sign_in(member.number, PASSWORD, address="a", old_token=first)
    assert first != second and web.who(first) is None and web.who(second)
    web.sign_out(second)
    assert web.who(second) is None


def test_sessions_end_when_idle_and_when_too_old(web, member, clock):
    signed_up(web, member)
    token = web.sign_in(member.number, PASSWORD, address="a")
    clock.moment += timedelta(minutes=29)
    assert web.who(token)
    clock.moment += timedelta(minutes=31)
    assert web.who(token) is None
    token = web.sign_in(member.number, PASSWORD, address="a")
    for _ in range(12 * 3 - 1):  # busy all the while: never idle, still ended after 12 hours
        clock.moment += timedelta(minutes=20)
        assert web.who(token)
    clock.moment += timedelta(minutes=21)
    assert web.who(token) is None


def test_a_new_password_ends_every_session(web, member, clock):
    signed_up(web, member)
    token = web.sign_in(member.number, PASSWORD, address="a")
    code = web.issue_member_code(member, by="Morgan Test", today=clock().date())
    web.set_password_with_code(member.number, code, "a new long password", "a new long password", address="a")
    assert web.who(token) is None


def test_a_role_change_or_leaving_ends_the_session(web, staff, db, clock):
    from volunteers.people import Volunteers

    volunteer = staff["volunteer"]
    web.set_password_with_code(volunteer.name, web.issue_staff_code(volunteer, by="M"), PASSWORD, PASSWORD,
                               address="a")
    token = web.sign_in(volunteer.name, PASSWORD, address="a")
    db.execute("update volunteers set role = 'shift_lead' where id = ?", [volunteer.id])
    assert web.who(token) is None
    token = web.sign_in(volunteer.name, PASSWORD, address="a")
    assert web.who(token).role == Role.shift_lead
    # A role added on top of the one they had is a change too: the board's pages are not opened by an old session.
    Volunteers(db).update(volunteer.id, role=(Role.shift_lead, Role.board_member))
    assert web.who(token) is None
    token = web.sign_in(volunteer.name, PASSWORD, address="a")
    assert web.who(token).roles == {Role.shift_lead, Role.board_member}
    assert web.who(token).roles_label == "Shift lead, Board member"
    Volunteers(db).retire(volunteer.id, on=clock().date().isoformat())
    assert web.who(token) is None


def test_the_csrf_token_belongs_to_its_session(web, member):
    signed_up(web, member)
    one = web.sign_in(member.number, PASSWORD, address="a")
    two = web.sign_in(member.number, PASSWORD, address="a")
    assert web.csrf_ok(one, web.csrf_token(one))
    assert not web.csrf_ok(one, web.csrf_token(two))
    assert not web.csrf_ok(one, None) and not web.csrf_ok(None, web.csrf_token(one))


def test_role_checks_and_a_members_own_record(web, member, staff):
    signed_up(web, member)
    who = web.who(web.sign_in(member.number, PASSWORD, address="a"))
    assert own_member_id(who) == member.id
    with pytest.raises(Forbidden):
        require(who, Role.manager, Kind.staff)
    code = web.issue_staff_code(staff["volunteer"], by="M")
    web.set_password_with_code("Val Test", code, PASSWORD, PASSWORD, address="a")
    volunteer = web.who(web.sign_in("Val Test", PASSWORD, address="a"))
    assert require(volunteer, Kind.staff) is volunteer
    with pytest.raises(Forbidden):
        require(volunteer, Role.manager)
    with pytest.raises(Forbidden):
        own_member_id(volunteer)


def test_views_of_personal_data_are_audited(web, member, staff, db):
    signed_up(web, member)
    who = web.who(web.sign_in(member.number, PASSWORD, address="10.1.1.1"))
    web.viewed(who, "statement", subject=member.number, address="10.1.1.1")
    assert web.views(who.account_id) == [{"at": stamp(web.clock()), "page": "statement",
                                          "subject": member.number, "address": "10.1.1.1"}]
    web.set_password_with_code("Val Test", web.issue_staff_code(staff["volunteer"], by="M"), PASSWORD, PASSWORD,
                               address="a")
    volunteer = web.who(web.sign_in("Val Test", PASSWORD, address="a"))
    web.viewed(volunteer, "my hours", subject="Val Test", address="a")
    row = db.execute("select action, operator_id, detail from audit_log where action = 'web_view'").fetchone()
    assert row == ("web_view", staff["volunteer"].id, "web: my hours of Val Test")


def test_looks_at_personal_pages_are_forgotten_after_the_settings_days(web, member, clock, db):
    from datetime import timedelta

    signed_up(web, member)
    who = web.who(web.sign_in(member.number, PASSWORD, address="10.1.1.1"))
    web.viewed(who, "statement", subject=member.number, address="10.1.1.1")
    clock.moment += timedelta(days=200)
    web.viewed(who, "data download", subject=member.number, address="10.1.1.2")
    clock.moment += timedelta(days=200)
    assert web.forget_old_views(365) == 1  # the first, 400 days old, with the address it came from
    assert [view["page"] for view in web.views(who.account_id)] == ["data download"]
    assert db.execute("select count(*) from audit_log where action = 'web_view'").fetchone()[0] == 0  # a member's
