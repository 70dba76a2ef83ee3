"""How the `till` command reads its words: the value types, the options many commands share, and
mistakes said in one plain sentence."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NoReturn

from core.bounds import FIRST_YEAR, LAST_YEAR, MAX_NUMBER, MAX_QUANTITY

PROG = "till"

#: What a command (or one of its actions) runs: given the Context, returns the exit code.
Handler = Callable[..., int]


#: How every date on the command line may be written, for the help of each option that takes one.
DATE_FORMS = "YYYY-MM-DD or DD/MM/YYYY"

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_BRITISH = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def a_date(text: str) -> date:
    """A date as the screens show it (20/11/2026) or as the files hold it (2026-11-20). Only these two:
    each has its year in four digits at one end, so neither can be read the other way round."""
    found = _ISO.fullmatch(text.strip())
    parts = found.groups() if found else None
    if parts is None and (found := _BRITISH.fullmatch(text.strip())):
        day, month, year = found.groups()
        parts = (year, month, day)
    try:
        if parts is None:
            raise ValueError
        day = date(*(int(part) for part in parts))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (write it as {DATE_FORMS})") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year the till keeps books for "
                                         f"({FIRST_YEAR} to {LAST_YEAR})")
    return day


def file_to_write(text: str) -> Path:
    """A file to write: not a folder, and in a folder that is there (a file is made, never folders)."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is a folder; give a file name in it, such as {path / 'card.png'}")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"there is no folder {path.parent} to write '{path.name}' in")
    return path


def date_help(text: str) -> str:
    """An option's help with the ways a date may be written."""
    return f"{text} ({DATE_FORMS})"


def whole(text: str, ceiling: int = MAX_NUMBER) -> int:
    """A whole number no further from zero than `ceiling` (core.bounds): bigger ones would overflow SQLite's
    64 bits, or a sum of the books, and be a crash instead of a sentence."""
    if not re.fullmatch(r"-?[0-9]+", text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
    digits = text.strip().lstrip("-").lstrip("0")
    if len(digits) > len(str(ceiling)) or abs(int(text)) > ceiling:
        raise argparse.ArgumentTypeError(f"'{_short(text)}' is more than the till takes (at most {ceiling:,})")
    return int(text)


def positive(text: str, ceiling: int = MAX_NUMBER) -> int:
    value = whole(text, ceiling)
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def quantity(text: str) -> int:
    """How many of a product: at least 1, at most core.bounds.MAX_QUANTITY."""
    return positive(text, MAX_QUANTITY)


def count(text: str) -> int:
    """A stocktake count: 0 up to core.bounds.MAX_QUANTITY."""
    value = whole(text, MAX_QUANTITY)
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' cannot be below zero")
    return value


def _short(text: str) -> str:
    """A number typed or pasted, cut short enough to quote in a sentence."""
    text = text.strip()
    return text if len(text) <= 24 else f"{text[:20]}…"


def database_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """--db and --till: on the `till` command itself, and again (suppressed) after every command and action."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", type=Path, default=default, metavar="PATH",
                        help="the database file (default: TILL_DB, the settings file, or your data folder)")
    parser.add_argument("--till", dest="till_id", default=default, metavar="ID",
                        help="which till this is, when several share one database")


def shared() -> argparse.ArgumentParser:
    """The options every command and action takes too, as a parent parser."""
    parser = argparse.ArgumentParser(add_help=False)
    database_options(parser, suppress=True)
    return parser


def by(parser: argparse.ArgumentParser, metavar: str = "NAME", help: str | None = None,
       required: bool = True) -> None:
    """--by NAME: the volunteer doing it, who is asked for their PIN."""
    parser.add_argument("--by", required=required, metavar=metavar, help=help)


def period(parser: argparse.ArgumentParser) -> None:
    """--from DATE --to DATE, both days included."""
    parser.add_argument("--from", dest="first", type=a_date, required=True, metavar="DATE",
                        help=date_help("the first day"))
    parser.add_argument("--to", dest="last", type=a_date, required=True, metavar="DATE",
                        help=date_help("the last day, included"))


def runs(parser: argparse.ArgumentParser, handler: Handler) -> argparse.ArgumentParser:
    parser.set_defaults(handler=handler)
    return parser


def actions(parser: argparse.ArgumentParser, metavar: str = "ACTION") -> Callable[..., argparse.ArgumentParser]:
    """A command's actions: add(name, help, handler) makes one, with --db and --till, that runs `handler`."""
    choices = parser.add_subparsers(dest="action", metavar=metavar, required=True)
    parent = shared()

    def add(name: str, help: str, handler: Handler) -> argparse.ArgumentParser:
        return runs(choices.add_parser(name, help=help, parents=[parent]), handler)

    return add


class Parser(argparse.ArgumentParser):
    """A mistyped command is one plain sentence on stderr like every other error, not a usage block."""

    def error(self, message: str) -> NoReturn:
        found = re.fullmatch(r"argument (\S+): (.*)", message)
        name, detail = found.groups() if found else ("", message)
        choice = re.fullmatch(r"invalid choice: ('.*?') \(choose from (.*)\)", detail)
        if choice and not name.startswith("-"):
            # The commands and actions are listed by --help; a list of twenty here would hide the point.
            noun = name.lower()
            detail = f"{choice.group(1)} is not {'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
        elif choice:
            detail = f"{name} cannot be {choice.group(1)}, only {choice.group(2)}"
        elif name:
            detail = f"{name}: {detail}"
        self.exit(2, f"{PROG}: {detail}; see {self.prog} --help\n")
