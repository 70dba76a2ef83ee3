"""The web back office's accounts: one-time codes issued at the till, passwords set with them,
signing in and out, and who a session belongs to now.

Staff sign in with their name (as the till knows it) and a web password; members with their
membership number and a web password. A web password is never the till PIN and never leaves this
database (see access/schema.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from access import codes, sessions, throttle
from access.guard import Kind, Principal
from access.passwords import check_new, hash_password, verify_password
from coop.register import Member, Register
from core import audit
from core.clock import Clock, stamp
from core.database import transaction
from core.errors import TillError
from volunteers.people import Volunteer, Volunteers, roles_text

#: Members younger than this have no web account: their statement stays at the till.
WEB_AGE = 16
#: 'M0043', or 'M2-0001' for a member who joined at another till of a hub (core/ids.py member_number).
_MEMBER_NUMBER = re.compile(r"M\d+(-\d+)?", re.IGNORECASE)

#: Said for every wrong name, password or code, so the answer never tells who has an account.
NO_MATCH = "That name and password do not match. Check them and try again."
BAD_CODE = "That code cannot be used. Check it, or ask at the till for a new one."


def _roles_of(principal: Principal | None) -> str | None:
    """The roles a session began with: any change to them (a role given or taken away) ends the session."""
    return roles_text(principal.roles) if principal and principal.roles else None


class SignInError(TillError):
    """A sign-in or code refused, in words that give nothing away."""


@dataclass
class WebAccess:
    db: Database
    clock: Clock
    #: The web's secret (the file only the web's user can read): it keys session hashes and CSRF tokens.
    secret: bytes
    expiry: sessions.Expiry
    #: Written into the audit log's till column for what staff see on the web.
    till_id: str = "web"

    @classmethod
    def for_codes(cls, db: Database, clock: Clock) -> WebAccess:
        """For the till and the command line, which issue codes and never start a session."""
        return cls(db, clock, b"", sessions.Expiry(idle=timedelta(0), absolute=timedelta(0)))

    # Codes ---------------------------------------------------------------------------------

    def issue_member_code(self, member: Member, *, by: str, today: date) -> str:
        """A sign-up code for a member's slip; any earlier code of theirs stops working."""
        if not member.is_member:
            raise TillError(f"{member.number} is no longer a member, so has no web account")
        age = member.age_on(today)
        if age is not None and age < WEB_AGE:
            raise TillError(f"{member.number} is under {WEB_AGE}, so has no web account: their statement "
                            "stays at the till (Ctrl+E)")
        with transaction(self.db):
            return self._issue(self._account(Kind.member, member_id=member.id), by)

    def issue_staff_code(self, volunteer: Volunteer, *, by: str) -> str:
        """A code a manager gives a volunteer to set (or reset) their web password."""
        if not volunteer.active:
            raise TillError(f"{volunteer.name} has left, so has no web account")
        with transaction(self.db):
            return self._issue(self._account(Kind.staff, volunteer_id=volunteer.id), by)

    def _account(self, kind: Kind, *, member_id: int | None = None, volunteer_id: int | None = None) -> int:
        column, value = ("member_id", member_id) if kind == Kind.member else ("volunteer_id", volunteer_id)
        row = self.db.execute(f"select id from web_accounts where kind = ? and {column} = ?", [kind, value]).fetchone()
        if row:
            return row[0]
        return self.db.execute(f"insert into web_accounts (kind, {column}, created_at) values (?, ?, ?)",
                               [kind, value, stamp(self.clock())]).lastrowid

    def _issue(self, account_id: int, by: str) -> str:
        now = self.clock()
        self.db.execute("update web_codes set void_at = ?, void_reason = 'reissued' where account_id = ?"
                        " and used_at is null and void_at is null", [stamp(now), account_id])
        code = codes.new_code()
        self.db.execute("insert into web_codes (account_id, code_hash, issued_at, expires_at, issued_by)"
                        " values (?, ?, ?, ?, ?)",
                        [account_id, codes.code_hash(code), stamp(now), stamp(now + codes.VALID_FOR), by])
        return code

    def void_codes(self, account_of: Member | Volunteer, *, reason: str) -> None:
        """The live code of this member or volunteer stops working (the slip never printed, say)."""
        kind, column = (Kind.member, "member_id") if isinstance(account_of, Member) else (Kind.staff, "volunteer_id")
        with transaction(self.db):
            self.db.execute(f"update web_codes set void_at = ?, void_reason = ? where used_at is null and void_at is"
                            f" null and account_id in (select id from web_accounts where kind = ? and {column} = ?)",
                            [stamp(self.clock()), reason, kind, account_of.id])

    # Setting a password with a code -----------------------------------------------------------

    def set_password_with_code(self, login: str, code: str, password: str, repeated: str, *, address: str) -> None:
        """The slip's code, used once, sets the password; every session of the account ends."""
        now = self.clock()
        key = "code:" + login.strip().casefold()
        with transaction(self.db):
            throttle.check(self.db, address=address, login=key, now=now)
            account = self._find(login)
            live = account and self.db.execute(
                "select id, code_hash, tries from web_codes where account_id = ? and used_at is null and void_at"
                " is null and expires_at > ? order by id desc limit 1", [account[0], stamp(now)]).fetchone()
            if not live or live[1] != codes.code_hash(code):
                if live:
                    tries = live[2] + 1
                    self.db.execute("update web_codes set tries = ?, void_at = case when ? >= ? then ? end,"
                                    " void_reason = case when ? >= ? then 'too many wrong tries' end where id = ?",
                                    [tries, tries, codes.MAX_TRIES, stamp(now), tries, codes.MAX_TRIES, live[0]])
                throttle.failed(self.db, address=address, login=key, now=now)
                failed = SignInError(BAD_CODE)
            else:
                failed = None
        if failed:
            raise failed  # raised outside the transaction, so the failure is kept
        check_new(password, repeated=repeated, not_like=account[2])
        with transaction(self.db):
            used = self.db.execute("update web_codes set used_at = ? where id = ? and used_at is null and void_at"
                                   " is null", [stamp(now), live[0]]).rowcount
            if not used:  # someone else used it between the two transactions
                raise SignInError(BAD_CODE)
            self._new_password(account[0], password)
            throttle.succeeded(self.db, login=key)

    def _new_password(self, account_id: int, password: str) -> None:
        self.db.execute("update web_accounts set password_hash = ?, password_set_at = ? where id = ?",
                        [hash_password(password), stamp(self.clock()), account_id])
        sessions.end_all(self.db, account_id)

    def _find(self, login: str) -> tuple[int, str | None, tuple[str, ...]] | None:
        """(account id, password hash, words the password must not contain) for what was typed."""
        text = login.strip()
        if _MEMBER_NUMBER.fullmatch(text):
            row = self.db.execute(
                "select a.id, a.password_hash, m.number, m.name from web_accounts a join members m on m.id ="
                " a.member_id where a.kind = 'member' and m.number = ? and m.ceased_on is null",
                [text.upper()]).fetchone()
        else:
            row = self.db.execute(
                "select a.id, a.password_hash, v.name, v.name from web_accounts a join volunteers v on v.id ="
                " a.volunteer_id where a.kind = 'staff' and v.active = 1 and lower(v.name) = lower(?)",
                [" ".join(text.split())]).fetchone()
        return (row[0], row[1], (row[2], *row[3].split())) if row else None

    # Signing in and out ---------------------------------------------------------------------

    def sign_in(self, login: str, password: str, *, address: str, old_token: str | None = None) -> str:
        """A new session's token for the right name and password; the old session (if any) ends."""
        now = self.clock()
        key = login.strip().casefold()
        throttle.counted(self.db, address=address, login=key, now=now)  # forgotten below if it was right
        account = self._find(login)
        if not verify_password(password, account[1] if account else None):
            raise SignInError(NO_MATCH)
        with transaction(self.db):
            throttle.succeeded(self.db, login=key)
            if old_token:
                sessions.end(self.db, self.secret, old_token)
            principal = self._principal(account[0])
            return sessions.start(self.db, self.secret, account_id=account[0],
                                  role=_roles_of(principal), now=now)

    def confirm(self, principal: Principal, password: str, *, address: str) -> None:
        """The password asked again before a withdrawal or a data download: someone at a computer
        left signed in is not the member. Wrong tries count with the sign-in's slow-down and lockout."""
        now = self.clock()
        key = (principal.member_number or principal.name).casefold()
        counted = throttle.counted(self.db, address=address, login=key, now=now)
        stored = self.db.execute("select password_hash from web_accounts where id = ?",
                                 [principal.account_id]).fetchone()
        if not verify_password(password, stored[0] if stored else None):
            raise SignInError("That is not your password. Type it again to go on.")
        throttle.uncount(self.db, counted)

    def sign_out(self, token: str) -> None:
        with transaction(self.db):
            sessions.end(self.db, self.secret, token)

    def who(self, token: str | None) -> Principal | None:
        """The person this session belongs to now, or None: no session, expired, or their role,
        membership or password changed since (the session is ended)."""
        if not token:
            return None
        with transaction(self.db):
            found = sessions.find(self.db, self.secret, token, now=self.clock(), expiry=self.expiry)
            if found is None:
                return None
            principal = self._principal(found.account_id)
            role = _roles_of(principal)
            if principal is None or role != found.role:
                sessions.end(self.db, self.secret, token)
                return None
            return principal

    def _principal(self, account_id: int) -> Principal | None:
        """The account's person as they are now; None if they can no longer sign in."""
        kind, member_id, volunteer_id = self.db.execute(
            "select kind, member_id, volunteer_id from web_accounts where id = ?", [account_id]).fetchone()
        if kind == Kind.member:
            member = Register(self.db).get(member_id)
            if not member.is_member:
                return None
            return Principal(account_id=account_id, kind=Kind.member, name=member.name, member_id=member.id,
                             member_number=member.number)
        volunteer = Volunteers(self.db).get(volunteer_id)
        if not volunteer.active:
            return None
        return Principal(account_id=account_id, kind=Kind.staff, name=volunteer.name, volunteer_id=volunteer.id,
                         role=volunteer.role, roles=volunteer.roles)

    def csrf_token(self, token: str) -> str:
        return sessions.csrf_token(self.secret, token)

    def csrf_ok(self, token: str | None, submitted: str | None) -> bool:
        return sessions.csrf_ok(self.secret, token or "", submitted)

    # The audit of personal pages ------------------------------------------------------------

    def viewed(self, principal: Principal, page: str, *, subject: str, address: str) -> None:
        """Note that `principal` saw `subject`'s personal data on `page`. Staff views go into the
        till's audit log as well, with the till's other privileged acts."""
        now = stamp(self.clock())
        with transaction(self.db):
            self.db.execute("insert into web_views (at, account_id, page, subject, address) values (?, ?, ?, ?, ?)",
                            [now, principal.account_id, page, subject, address])
            if principal.kind == Kind.staff:
                audit.audit(self.db, at=now, till_id=self.till_id, action="web_view",
                            operator_id=principal.volunteer_id, detail=f"web: {page} of {subject}")

    def forget_old_views(self, keep_days: int) -> int:
        """Erase the record of looks older than `keep_days` (`web.views_days`), with the address each came
        from: kept long enough for a member's subject access request to show them, then not held for ever.
        The staff's looks stay in the audit log, which is the society's record. Returns how many went."""
        return forget_old_views(self.db, before=stamp(self.clock() - timedelta(days=keep_days)))

    def views(self, account_id: int) -> list[dict]:
        return list(self.db.query("select at, page, subject, address from web_views where account_id = ?"
                                  " order by id", [account_id]))


def forget_old_views(db: Database, *, before: str) -> int:
    """The looks at personal pages recorded before `before` erased (at the web's start and after each Z)."""
    with transaction(db):
        return db.execute("delete from web_views where at < ?", [before]).rowcount
