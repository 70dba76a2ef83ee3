"""One-time codes: the sign-up slip a member is given at the till, and the code a manager gives a
volunteer to set a web password. 80 random bits (the rule asks for at least 64), written as 16
letters and digits in four groups, single use, valid 14 days, void after 5 wrong tries or when a
new one is issued. Only a code's hash is kept."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import timedelta

CODE_BYTES = 10
VALID_FOR = timedelta(days=14)
MAX_TRIES = 5

_NOT_CODE = re.compile(r"[^A-Z2-7]")


def new_code() -> str:
    """'ABCD-EFGH-JKLM-NPQR': base32 has no 0, 1 or 8, so nothing on the slip is read two ways."""
    text = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def normalise(typed: str) -> str:
    """What was typed, as the code: any case, spaces and dashes anywhere."""
    return _NOT_CODE.sub("", typed.upper())


def code_hash(code: str) -> str:
    # A plain hash is enough: 80 random bits cannot be guessed from it, unlike a password.
    return hashlib.sha256(normalise(code).encode("ascii")).hexdigest()
