"""Web passwords, hashed with scrypt from the standard library: memory-hard (16 MiB a try with these
costs), so a stolen database cannot be guessed at on graphics cards, and no compiled dependency to
install on a volunteer's laptop (argon2-cffi would be one)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from core.errors import TillError

#: scrypt's costs: N (memory and time), r (block size), p (parallelism). 128 * N * r bytes = 16 MiB.
N, R, P = 2**14, 8, 1
_MAXMEM = 64 * 1024 * 1024
MIN_LENGTH = 10
MAX_LENGTH = 200


class PasswordError(TillError):
    """A new password that cannot be used, said in one sentence."""


def check_new(password: str, *, repeated: str, not_like: tuple[str, ...] = ()) -> None:
    """A length rule only (long beats clever), and never the person's own name or number."""
    if password != repeated:
        raise PasswordError("The two passwords are not the same: type it again in both boxes.")
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"A password needs at least {MIN_LENGTH} characters: a few words together work well.")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"A password can have at most {MAX_LENGTH} characters.")
    if any(word and word.casefold() in password.casefold() for word in not_like):
        raise PasswordError("A password must not contain your name or membership number.")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(_derive(password, salt, N, R, P))}"


def verify_password(password: str, stored: str | None) -> bool:
    """True if `password` matches; with nothing stored, a hash is still made, so a missing account
    takes as long to refuse as a wrong password (the time must not say who has an account)."""
    if not stored:
        _derive(password, b"0" * 16, N, R, P)
        return False
    _, n, r, p, salt, expected = stored.split("$")
    found = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(found, base64.b64decode(expected))
