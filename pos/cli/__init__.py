"""The `till` command: the treasurer's and the tests' way in. Errors are one plain sentence on stderr.

Each group of commands lives in its own module, which declares its commands' options next to what
they do; only the module of the command asked for is imported, so `till --help` and the till
screen start without loading the rest.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys

from pos.cli.options import PROG, Parser, database_options, shared

#: Each command, in the order `till --help` lists them: the module that declares and runs it, and
#: its one line of help (kept here so that listing the commands imports none of them).
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("pos.cli.demo", "start the till on a throwaway demo shop with a few weeks of history"),
    "demo-data": ("pos.cli.demo", "add a demo shop (if the database has none) and simulate days of trade"),
    "products": ("pos.cli.products", "the catalogue: import, export and list products"),
    "stock": ("pos.cli.stock", "the shop floor: stock on hand, deliveries, wastage, stocktakes, suppliers and "
              "reorders"),
    "volunteers": ("pos.cli.volunteers", "the people who work the till"),
    "session": ("pos.cli.volunteers", "open the till for the day with a float"),
    "sales": ("pos.cli.books", "sales records"),
    "members": ("pos.cli.members", "the register of members"),
    "shares": ("pos.cli.members", "community shares: buy, ask to withdraw, the board's decision, pay out"),
    "dividend": ("pos.cli.members", "the dividend on purchases (co-operative societies)"),
    "print-test": ("pos.cli.printing", "print a test page (width, £ sign, accents, QR)"),
    "receipt": ("pos.cli.printing", "print (or reprint) a sale's receipt"),
    "receipts": ("pos.cli.printing", "receipts a printer refused, still owed to customers"),
    "services": ("pos.cli.centre", "the area's service directory, for signposting (Open Referral UK)"),
    "footfall": ("pos.cli.centre", "footfall and signposting figures for the children's centre"),
    "backup": ("pos.cli.books", "a consistent copy of the database, safe while tills are selling"),
    "restore": ("pos.cli.books", "replace the database with a backup, after checking it; the current one is "
                "kept aside"),
    "verify": ("pos.cli.books", "check the books: the database's integrity and the journal's hash chain; names "
               "the first record changed or removed since it was recorded (exit 1)"),
    "rota": ("pos.cli.volunteers", "the week's planned shifts, who is on, and the gaps (plan it at the till: "
             "F10, F5)"),
    "report": ("pos.cli.books", "X report (till still open) or Z report (cash-up)"),
    "hub": ("pos.cli.hub", "the society's hub: start or join one, push this till's records, its status"),
    "web": ("pos.cli.web", "the web back office for members and volunteers (127.0.0.1:8000 unless the settings "
            "say otherwise)"),
    "vat": ("pos.cli.treasurer", "the VAT return's nine boxes, and the taxable turnover against the registration "
            "threshold"),
    "year-end": ("pos.cli.treasurer", "the co-op's year-end figures for the AGM and the annual return"),
    "accounts": ("pos.cli.accounts", "the treasurer's double-entry journals, for Xero, beancount or a spreadsheet"),
    "office": ("pos.cli.office", "the office's consolidated copy of every till's records, pulled from the hub"),
}


def chosen_command(argv: list[str]) -> str | None:
    """The command argv names, found as argparse will find it: the first word that is neither an
    option of `till` itself nor an option's value."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word.startswith("-"):
            if "=" not in word and len(word) > 2 and any(option.startswith(word) for option in ("--db", "--till")):
                next(words, None)
            continue
        return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `till` parser, with every command listed and `command`'s options (if any) declared."""
    parser = Parser(
        prog=PROG,
        description="Community Till: the point of sale for a community café and shop. "
                    "With no command, it opens the till screen.",
    )
    database_options(parser, suppress=False)
    parser.set_defaults(handler=None)
    parent = shared()
    # Every subparser must be a Parser too, or its mistakes would still print a usage block.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (module, help) in COMMANDS.items():
        sub = commands.add_parser(name, help=help, description=help, parents=[parent])
        if name == command:
            importlib.import_module(module).ARGUMENTS[name](sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(chosen_command(argv)).parse_args(argv)
    if args.command not in ("screen", None):
        import gc

        gc.enable()  # held off only while the till screen loads (see pos.launch)
    from pos.cli.context import Context, run_screen, say
    from pos.config import ConfigError
    from pos.errors import USER_ERRORS

    try:
        ctx = Context(args)
        return (args.handler or run_screen)(ctx)
    except (ConfigError, *USER_ERRORS) as error:
        say(f"{PROG}: {error}")
        return 1
    except KeyboardInterrupt:
        say(f"{PROG}: stopped.")
        return 130
    except BrokenPipeError:
        # The reader (say, `| head`) went away; nothing is wrong with the till.
        with contextlib.suppress(Exception):
            sys.stdout = None  # type: ignore[assignment]
        return 0
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        import sqlite3

        from core.database import plain

        if isinstance(error, sqlite3.DatabaseError) and plain(error) != str(error):
            # A damaged file ("database disk image is malformed"), or a write to one only read: the till's words.
            say(f"{PROG}: {plain(error)}")
            return 1
        from core.crash_log import log_unexpected

        where = log_unexpected()
        detail = f" (details in {where})" if where else ""
        say(f"{PROG}: something unexpected went wrong: {type(error).__name__}: {error}{detail}")
        return 1
