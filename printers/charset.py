"""The characters a receipt printer can print, and the code pages that print them."""

from __future__ import annotations

import unicodedata

# Preference order matters: the first page is selected at the start of every receipt.
# CP858 (ESC t 19) is CP850 with the euro: £ é ñ ü ç ß and the rest of Western Europe, on
# Epson and nearly every clone. CP852 (ESC t 18) adds the Central European letters CP858
# lacks (ł ś ż č ő ř …); python-escpos switches to it only for a run of text that needs it.
# Slot numbers are Epson's, which the common clones share for these two pages.
CODE_PAGES: dict[str, int] = {"CP858": 19, "CP852": 18}

_IN_CODE_PAGES = frozenset(
    char
    for name in CODE_PAGES
    for char in bytes(range(128, 256)).decode(name.lower())
    if not unicodedata.category(char).startswith("C")  # the soft hyphen is in both pages
)

# Typographic marks that arrive from word processors and phones, with a plain stand-in.
_STAND_INS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2022": "*", "\u2026": "...",
}


def _can_print(char: str) -> bool:
    return " " <= char <= "~" or char in _IN_CODE_PAGES


def _printable_char(char: str) -> str:
    if char in _STAND_INS:
        return _STAND_INS[char]
    category = unicodedata.category(char)
    # Invisible formatting (soft hyphen, zero-width space, direction marks) would print as a
    # visible mark on paper but not in the preview, so it goes.
    if category == "Cf":
        return ""
    if char.isspace() and char != "\xa0":
        return " "
    if category == "Cc":
        return "?"
    if _can_print(char):
        return char
    # A letter the pages lack may still have a plain base: ș → s, ğ → g, ﬁ → fi, ™ → TM.
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if plain and all(_can_print(c) for c in plain):
        return plain
    return "?"


def printable(text: str) -> str:
    """The text as the printer will print it: one column per character, '?' for what no page has."""
    text = unicodedata.normalize("NFC", text)
    if all(_can_print(char) for char in text):
        return text
    return "".join(_printable_char(char) for char in text)
