"""Every CSV the till writes goes through here, so that none can carry a spreadsheet formula, and every
file a command writes (`--out`) appears whole or not at all.

A spreadsheet reads a cell that starts with =, +, -, @, a tab or a carriage return as a formula
(`=HYPERLINK(...)` sends whoever clicks it somewhere; older ones run commands). Names of products,
members, volunteers and reasons are typed by people, so a text cell starting that way is written
with an apostrophe in front, which a spreadsheet shows as plain text. Numbers (ints, like a refund's
-120 pence) are never text here and are written as they are.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

#: What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula gets an apostrophe in front; anything else is
    returned as it is (numbers included: they are not text, so they stay numbers)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return f"'{value}"
    return value


def unsafe_cell(text: str) -> str:
    """`safe_cell` undone, for reading back a file the till wrote (the product CSV round-trips)."""
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


class Writer:
    """csv.writer with every cell made safe; rows end with a plain newline."""

    def __init__(self, out: IO[str]):
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter:
    """Rows given as dicts, written in `fieldnames` order with every cell made safe (a missing key is an
    empty cell); rows end with a plain newline. A plain csv.writer underneath: csv.DictWriter's check
    of every row's keys cost a fifth of a month's sales export, and our rows come from our own code."""

    def __init__(self, out: IO[str], fieldnames: Sequence[str]):
        self._writer = csv.writer(out, lineterminator="\n")
        self.fieldnames = list(fieldnames)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow([safe_cell(row.get(key, "")) for key in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


@contextlib.contextmanager
def atomic_text(path: Path | str) -> Iterator[IO[str]]:
    """A text file written under a temporary name beside `path` and renamed to it only when the block
    ends without an error: `path` is never half written, and a failure leaves nothing behind (an
    earlier file at `path` stays as it was). OSError is left to the caller to put in words."""
    path = Path(path)
    if path.exists() and not path.is_file():
        # A device or a pipe (/dev/stdout, a printer's port): written in place. Renaming a file over it
        # would replace the device itself.
        with path.open("w", encoding="utf-8", newline="") as out:
            yield out
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    out = temporary.open("w", encoding="utf-8", newline="")
    try:
        with out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
