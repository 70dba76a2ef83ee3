"""Text that people type or import (names, addresses, contacts): one way to clean and check it.

`clean_name` gives the text in one Unicode form (NFC), trimmed, and refuses what no name needs
and what can deceive: control characters (a newline, NUL, a tab in a one-line name), direction
overrides that make text read backwards on screen and receipts, and invisible characters (zero
width spaces and joiners) that make two names look the same. `skeleton` reduces a text to how
it looks, so "Sаm Ortiz" with a Cyrillic а and "Sam Ortiz" are seen to be the same.
"""

from __future__ import annotations

import unicodedata

from core.errors import TillError

#: Bidirectional controls: embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and marks.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
#: Characters that take no room: zero-width space, joiners, word joiner, invisible operators, BOM, soft hyphen.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e")

#: Letters from other scripts that look like Latin ones (the common Cyrillic and Greek look-alikes).
_LOOK_ALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "һ": "h", "ɡ": "g", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ζ": "z", "μ": "u",
    # Digits and marks that pass for letters
    "0": "o", "1": "l", "|": "l", "ı": "i",
})


class TextError(TillError, ValueError):
    """Typed or imported text that cannot be taken as it is; the message says why in a sentence."""


def problem(text: str) -> str | None:
    """Why `text` (already NFC) cannot be kept, as the end of a sentence, or None."""
    for char in text:
        if char in _BIDI:
            return "has a hidden character that changes the writing direction; type it again"
        if char in _INVISIBLE:
            return "has an invisible character in it (a zero-width space or joiner); type it again"
        category = unicodedata.category(char)
        if char in "\r\n\u2028\u2029" or category == "Zl" or category == "Zp":
            return "must be on one line"
        if category in ("Cc", "Cf", "Cs", "Co"):
            return f"has a control character in it (U+{ord(char):04X}); type it again"
    return None


def clean_name(text: str, max_length: int, *, what: str = "the name", lines: bool = False,
               required: bool = True) -> str:
    """NFC, trimmed, one line (or several trimmed lines with `lines`), at most `max_length`
    characters; a control, direction or invisible character is refused with a sentence."""
    if not isinstance(text, str):
        raise TextError(f"{what} must be text")
    text = unicodedata.normalize("NFC", text)
    if lines:
        parts = [part.strip() for part in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        text = "\n".join(part for part in parts if part)
        why = next((problem(part) for part in text.split("\n") if problem(part)), None)
    else:
        text = text.strip()
        why = problem(text)
    if why:
        raise TextError(f"{what} {why}")
    if required and not text:
        raise TextError(f"{what} is empty")
    if len(text) > max_length:
        raise TextError(f"{what} can be at most {max_length} characters long (it has {len(text)})")
    return text


def skeleton(text: str) -> str:
    """How a text looks, for finding look-alikes: compatibility forms folded (NFKC), case and accents
    dropped, look-alike letters from other scripts read as Latin, spaces and dots ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return "".join(c for c in bare.translate(_LOOK_ALIKES) if c.isalnum())


def look_alike(text: str, others: list[str]) -> str | None:
    """The first of `others` that looks like `text` without being it, or None."""
    shape = skeleton(text)
    return next((other for other in others if other != text and skeleton(other) == shape), None)


def sentence(reason: str) -> str:
    """A reason the core gives as a clause to follow "cannot:" (as the command line prints it), as a sentence
    that stands alone on a page: a capital first and a full stop last."""
    reason = reason.strip()
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith((".", "!", "?")) else ".")
