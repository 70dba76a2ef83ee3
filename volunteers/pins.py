"""PINs: checked for shape, stored salted and hashed (scrypt), compared in constant time.

A 4-digit PIN has only 10,000 values, so the hash slows an attacker with the
file rather than stopping one; the lockout is what protects the till itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from core.errors import TillError

# Modest scrypt cost: a Raspberry Pi must still sign someone in without a noticeable pause.
_N, _R, _P = 2**14, 8, 1


class PinError(TillError):
    """A PIN that cannot be used (wrong shape)."""


def check_shape(pin: str) -> str:
    pin = (pin or "").strip()
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise PinError("a PIN is 4 to 8 digits")
    return pin


def hash_pin(pin: str) -> str:
    pin = check_shape(pin)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt((pin or "").strip().encode(), salt=bytes.fromhex(salt),
                                   n=int(n), r=int(r), p=int(p), dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)
