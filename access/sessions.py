"""Server-side sessions. The cookie holds a random token; the database holds only a keyed hash of
it (the key is the web's secret file), so neither a copy of the database nor the secret alone lets
anyone in. A new token at every sign-in; a session ends when idle too long, when too old whatever
is done, at sign-out, and when the account's password or role changes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from core.clock import stamp


@dataclass(frozen=True)
class Expiry:
    idle: timedelta
    absolute: timedelta


@dataclass(frozen=True)
class Session:
    account_id: int
    #: The staff role the session began with; a different role now ends it.
    role: str | None
    created_at: str


def key_of(secret: bytes, token: str) -> str:
    if not secret:
        raise ValueError("sessions need the web's secret")  # WebAccess.for_codes has none: it issues codes only
    return hmac.new(secret, b"session:" + token.encode("utf-8"), hashlib.sha256).hexdigest()


def start(db: Database, secret: bytes, *, account_id: int, role: str | None, now: datetime) -> str:
    """A new session (inside the caller's transaction); the token goes in the cookie."""
    token = secrets.token_urlsafe(32)
    db.execute("insert into web_sessions (key, account_id, role, created_at, seen_at) values (?, ?, ?, ?, ?)",
               [key_of(secret, token), account_id, role, stamp(now), stamp(now)])
    return token


def find(db: Database, secret: bytes, token: str, *, now: datetime, expiry: Expiry) -> Session | None:
    """The live session for this token, its idle clock restarted; None (and gone) if it has expired."""
    if not token:
        return None
    key = key_of(secret, token)
    row = db.execute("select account_id, role, created_at, seen_at from web_sessions where key = ?",
                     [key]).fetchone()
    if row is None:
        return None
    if row[2] < stamp(now - expiry.absolute) or row[3] < stamp(now - expiry.idle):
        db.execute("delete from web_sessions where key = ?", [key])
        return None
    db.execute("update web_sessions set seen_at = ? where key = ?", [stamp(now), key])
    return Session(account_id=row[0], role=row[1], created_at=row[2])


def end(db: Database, secret: bytes, token: str) -> None:
    db.execute("delete from web_sessions where key = ?", [key_of(secret, token)])


def end_all(db: Database, account_id: int) -> None:
    db.execute("delete from web_sessions where account_id = ?", [account_id])


def csrf_token(secret: bytes, token: str) -> str:
    """The session's CSRF token, derived from it: nothing more to store, and a new one with each session."""
    return hmac.new(secret, b"csrf:" + token.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, token: str, submitted: str | None) -> bool:
    return bool(token and submitted) and hmac.compare_digest(csrf_token(secret, token), submitted or "")
