"""Member cards: a QR code holding an unguessable token, with the membership number in text.

A token spends the member's till credit, so the till keeps no copy of it: the database holds a
keyed hash (HMAC-SHA256) of each card's token, and the key lives in its own file, apart from the
database (a stolen copy or backup of the database alone cannot make a card). The token itself
exists only on the card, and in memory while a new card is printed."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from coop.errors import RegisterError

if TYPE_CHECKING:
    from coop.register import Member

#: The key file's name in the till's data folder, unless the settings name another (card_key_file).
KEY_FILE_NAME = "card-key"

_key_file: Path | None = None


def default_key_file() -> Path:
    return user_data_path("community-till", appauthor=False) / KEY_FILE_NAME


def use_key_file(path: Path | str | None) -> None:
    """The key file this process uses (the settings' card_key_file); None: the default."""
    global _key_file
    _key_file = Path(path).expanduser() if path is not None else None


def key_file() -> Path:
    return _key_file or default_key_file()


def card_key() -> bytes:
    """The key, made on first use (32 random bytes, a file only its owner can read or write)."""
    path = key_file()
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = _make_key(path)
    except (OSError, UnicodeDecodeError) as error:
        raise RegisterError(f"the member card key {path} cannot be read ({error})") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise RegisterError(f"the member card key {path} is damaged; restore it from where it was kept safe")
    return key


def _make_key(path: Path) -> str:
    text = secrets.token_bytes(32).hex()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another till made it a moment ago: use theirs
        return path.read_text(encoding="ascii").strip()
    except OSError as error:
        raise RegisterError(f"the member card key cannot be made at {path} ({error.strerror})") from None
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(text + "\n")
    return text


def new_token() -> str:
    return secrets.token_urlsafe(16)


def token_hash(token: str, key: bytes | None = None) -> str:
    """What the register keeps in place of a card's token."""
    return hmac.new(card_key() if key is None else key, token.encode("utf-8"), hashlib.sha256).hexdigest()


def card_png(member: Member, path: Path, *, society: str = "") -> Path:
    """Save a newly issued card as a PNG: the QR code with the number and name under it. The
    file is the card itself, to print and then delete; the till keeps no copy."""
    import qrcode
    from PIL import Image, ImageDraw

    if not member.card_code:
        raise RegisterError(f"the till keeps no copy of {member.number}'s card; issue a new one to print it")
    code = qrcode.QRCode(border=2, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(member.card_code)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").convert("RGB")
    lines = [member.number, member.name[:40]] + ([society[:40]] if society else [])
    card = Image.new("RGB", (image.width, image.height + 16 * len(lines) + 8), "white")
    card.paste(image, (0, 0))
    draw = ImageDraw.Draw(card)
    for index, text in enumerate(lines):
        draw.text((10, image.height + 4 + 16 * index), text, fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    card.save(path, format="PNG")
    return path
