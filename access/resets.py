"""A forgotten web password, reset by email, where the society has given an SMTP server.

Someone types an email address. Whatever it is, the page says the same thing and does the same work
before answering; a mail goes out afterwards (pos.web sends it once the page is answered), and only
to a member with a web account whose email's recorded purpose allows account mail (the member said
what their email may be used for; "AGM notices" alone does not cover this). The link carries a
single-use token of 128 random bits, valid for an hour, of which only a hash is kept. Using it sets
a new password and ends every session of the account. Volunteers ask a manager for a code instead:
the till keeps no email address for them."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from access import throttle
from access.accounts import WebAccess
from access.passwords import check_new
from core.clock import stamp
from core.database import transaction
from core.errors import TillError

VALID_FOR = timedelta(hours=1)
#: A recorded purpose allows account mail if it names the web, a password or the account, as whole words
#: ("webinars" and "annual accounts" do not; "no web contact" is for the member to write otherwise).
_WORDS = re.compile(r"\b(web|passwords?|account)\b", re.IGNORECASE)
#: What the page says after any request, known address or not.
SENT = ("If that address belongs to a member whose web account may be reached by email, a link to choose a "
        "new password is on its way; it works once, for an hour. No mail? Ask at the till for a sign-up slip.")
BAD_LINK = "That link cannot be used: it has expired or was used already. Ask for a new one."


class ResetRefused(TillError):
    """A reset link refused, in words that give nothing away."""


@dataclass(frozen=True)
class ResetMail:
    to: str
    number: str
    link: str


def purpose_allows(purpose: str | None) -> bool:
    return bool(purpose and _WORDS.search(purpose))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def request_reset(web: WebAccess, email: str, *, address: str, public_url: str) -> list[ResetMail]:
    """The mails to send for a reset asked for `email` (often none). The caller answers with SENT
    whatever this returns, and sends the mails only after answering."""
    now = web.clock()
    typed = email.strip().casefold()
    # The throttle keeps what it is keyed by for a day: a keyed hash, so the addresses people type (members'
    # or not) are not kept in the clear.
    key = "reset:" + hmac.new(web.secret, typed.encode("utf-8"), hashlib.sha256).hexdigest()
    # Each request counts towards the address's lockout, so this page cannot be used to mail-bomb.
    throttle.counted(web.db, address=address, login=key, now=now)
    mails = []
    with transaction(web.db):
        rows = web.db.execute(
            "select a.id, m.number, m.email, m.email_purpose from web_accounts a join members m on m.id = a.member_id"
            " where a.kind = 'member' and a.password_hash is not null and m.ceased_on is null"
            " and lower(m.email) = ?", [typed]).fetchall()
        for account_id, number, to, purpose in rows or [(None, None, None, None)]:
            token = secrets.token_urlsafe(16)  # made for an unknown address too: the same work either way
            if account_id is None or not purpose_allows(purpose):
                continue
            web.db.execute("update web_resets set used_at = ? where account_id = ? and used_at is null",
                           [stamp(now), account_id])
            web.db.execute("insert into web_resets (account_id, token_hash, made_at, expires_at) values (?, ?, ?, ?)",
                           [account_id, _hash(token), stamp(now), stamp(now + VALID_FOR)])
            mails.append(ResetMail(to=to, number=number, link=f"{public_url.rstrip('/')}/reset?token={token}"))
    return mails


def reset_password(web: WebAccess, token: str, password: str, repeated: str, *, address: str) -> None:
    """A new password with the mail's token: once, within the hour; every session of the account ends."""
    now = web.clock()
    # Keyed by the address alone: one name shared by every link let anyone slow every member's reset down
    # with a few bad tokens (a 128-bit token needs no slow-down of its own).
    counted = throttle.counted(web.db, address=address, login="reset-link:" + address, now=now)
    row = web.db.execute("select id, account_id from web_resets where token_hash = ? and used_at is null"
                         " and expires_at > ?", [_hash(token), stamp(now)]).fetchone()
    if row is None:
        raise ResetRefused(BAD_LINK)
    throttle.uncount(web.db, counted)
    number, name = web.db.execute("select m.number, m.name from web_accounts a join members m on m.id = a.member_id"
                                  " where a.id = ?", [row[1]]).fetchone()
    check_new(password, repeated=repeated, not_like=(number, *name.split()))
    with transaction(web.db):
        if not web.db.execute("update web_resets set used_at = ? where id = ? and used_at is null",
                              [stamp(now), row[0]]).rowcount:
            raise ResetRefused(BAD_LINK)
        web._new_password(row[1], password)


def message(mail: ResetMail, *, society: str, sender: str) -> EmailMessage:
    letter = EmailMessage()
    letter["From"], letter["To"] = sender, mail.to
    letter["Subject"] = f"{society}: choose a new web password"
    letter.set_content(
        f"Someone asked to reset the web password of member {mail.number}.\n\n"
        f"To choose a new one, open this link within an hour. It works once:\n\n{mail.link}\n\n"
        "If it was not you, do nothing: your password stays as it is.\n")
    return letter


def send(mails: list[ResetMail], *, society: str, host: str, port: int, sender: str, starttls: bool,
         username: str | None = None, password: str | None = None) -> None:
    """Send the mails (after the page has been answered); a failure is raised for the caller to log."""
    if not mails:
        return
    with smtplib.SMTP(host, port, timeout=30) as server:
        if starttls:
            server.starttls()
        if username:
            server.login(username, password or "")
        for mail in mails:
            server.send_message(message(mail, society=society, sender=sender))
