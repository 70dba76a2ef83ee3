"""Every command that checks who may run it says, when it refuses, what was tried in words ("exporting the
accounts (till accounts export) needs a manager or a treasurer"), not only the command's name: found by
walking the real parser to each command's handler and reading whether it checks (`allowed`/`authorised`)."""

from __future__ import annotations

import argparse
import inspect
import re

from pos.cli import COMMANDS, build_parser
from pos.cli.context import DOING


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next((action.choices for action in parser._actions if isinstance(action, argparse._SubParsersAction)),
                {})


def _walk(parser: argparse.ArgumentParser, key: list[str]):
    """(command words as `doing` names them: the command and its action, never a deeper step, handler)."""
    below = _subparsers(parser)
    if not below:
        yield " ".join(key), parser.get_default("handler")
    for name, sub in below.items():
        yield from _walk(sub, key if len(key) >= 2 else [*key, name])


def checked_commands() -> set[str]:
    found = set()
    for name in COMMANDS:
        for key, handler in _walk(_subparsers(build_parser(name))[name], [name]):
            if handler is not None and re.search(r"\b(allowed|authorised)\(", inspect.getsource(handler)):
                found.add(key)
    return found


def test_every_command_that_checks_who_runs_it_names_what_it_refused_in_words():
    found = checked_commands()
    assert {"accounts export", "members export", "stock stocktake"} <= found  # the walk reaches them
    assert sorted(found - set(DOING)) == []
