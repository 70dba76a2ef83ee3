"""How the `till` command reads its words: the value types, the options many commands share, and
mistakes said in one plain sentence."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NoReturn

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
        return date(*(int(part) for part in parts))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (write it as {DATE_FORMS})") from None


def date_help(text: str) -> str:
    """An option's help with the ways a date may be written."""
    return f"{text} ({DATE_FORMS})"


def whole(text: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
    return int(text)


def positive(text: str) -> int:
    value = whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


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
