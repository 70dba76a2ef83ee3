"""Consistent perturbation of the centre's figures (the cell-key method of the Office for National Statistics).

Every figure that leaves the till is a canonical cell: one day, one ISO week (Monday to Sunday) or
one calendar month, for one measure, or one service's signposts in a week or a month. Before it is
rounded, each cell gets a small noise e from -NOISE to +NOISE, picked by a keyed hash
(HMAC-SHA256) of the cell's name and its true value, with a secret this society's database makes
on first use and never lets out. The same cell with the same true value therefore always shows the
same figure: asking again, or over an overlapping period, tells nothing new; and because nobody
outside knows e, a rounded figure no longer pins its true value to five possibilities.

The rules are public (README, "Data contracts"); only the secret and the true values are not:
- a true 0 shows 0;
- 1 to threshold-1 show "<threshold";
- anything else shows round(value + e) to the nearest 5, and never less than the threshold
  rounded up to 5. So a shown P >= threshold means the true value is from P - 2 - NOISE to
  P + 2 + NOISE (and at least the threshold).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlite_utils import Database

from core.database import transaction

NOISE = 2
ROUND_TO = 5


def society_secret(db: Database) -> bytes:
    """The society's perturbation secret, made the first time it is needed."""
    row = db.execute("select secret from disclosure_key where id = 1").fetchone()
    if row is None:
        with transaction(db):
            db.execute("insert or ignore into disclosure_key (id, secret) values (1, ?)", [secrets.token_hex(32)])
        row = db.execute("select secret from disclosure_key where id = 1").fetchone()
    return bytes.fromhex(row[0])


def noise(secret: bytes, cell: str, value: int) -> int:
    digest = hmac.new(secret, f"{cell}|{value}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % (2 * NOISE + 1) - NOISE


def shown(value: int, threshold: int, e: int) -> int | str:
    if value == 0:
        return 0
    if value < threshold:
        return f"<{threshold}"
    floor = -(-threshold // ROUND_TO) * ROUND_TO
    return max((value + e + ROUND_TO // 2) // ROUND_TO * ROUND_TO, floor)


def interval(value: int | str, threshold: int) -> tuple[int, int | None]:
    """What a shown figure tells anyone who knows the rules: the true value is in [low, high]
    (high None: no upper bound, as for "[c]")."""
    if value == 0:
        return 0, 0
    if isinstance(value, str):
        return (1, threshold - 1) if value.startswith("<") else (1, None)
    floor = -(-threshold // ROUND_TO) * ROUND_TO
    low = max(value - ROUND_TO // 2 - NOISE, threshold)
    if value == floor:  # the floor also takes counts that would round below it
        low = threshold
    return low, value + ROUND_TO // 2 + NOISE
