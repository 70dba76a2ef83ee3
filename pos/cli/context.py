"""What every `till` command needs: the settings, the database, the signed-in volunteer, and ways to
talk to the person and write files. Errors are one plain sentence on stderr."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from core.errors import TillError
from pos.config import Settings, load_settings

#: The commands that may start a new database. Every other one needs the database to exist, so a
#: mistyped --db is an error, not a new, empty set of books (and a folder) made behind someone's back.
CREATE_DATABASE = frozenset({
    "",  # the till screen, which sets up a new shop
    "demo", "demo-data",
    "volunteers add",  # the very first manager, on a new database
    "hub join",  # a new till joining the society's hub
})
# `products import` and `services import` no longer start one: a shift lead or manager signs them, so
# the first manager (`volunteers add NAME --role manager`) comes first.


class Context:
    """What a command needs: settings, the database, and how to talk to the person."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.settings: Settings = load_settings(db=getattr(args, "db", None), till_id=getattr(args, "till_id", None))
        self._db = None

    @property
    def db(self):
        if self._db is None:
            from coop.cards import use_key_file
            from core.database import NoDatabase
            from pos.database import open_database

            use_key_file(self.settings.card_key_file)  # an upgrade may hash member cards with it
            try:
                # A database a newer version made is read here (reports, exports, verify), never
                # written: each write transaction says so. The till screen refuses it outright.
                self._db = open_database(self.settings.db, create=self.creates_database,
                                         read_newer=bool(self.args.command) and self.args.command != "demo")
            except NoDatabase as error:
                raise TillError(f"{error}; check --db or TILL_DB") from None
            from pos.config import society_settings

            # On a hub, the society's rules as the office set them win over this machine's file.
            self.settings = society_settings(self.settings, self._db)
        return self._db

    def close_db(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def creates_database(self) -> bool:
        return " ".join(filter(None, (self.args.command, getattr(self.args, "action", None)))) in CREATE_DATABASE

    def till(self, **kwargs):
        from pos.till import Till

        return Till(self.db, till_id=self.settings.till_id, zone=self.settings.zone, **kwargs)

    def shop(self):
        from pos.shop import Shop

        return Shop(settings=self.settings, db=self.db, clock=self.till().clock)

    def now(self) -> str:
        from core.clock import stamp, system_clock

        return stamp(system_clock())


def say(message: str) -> None:
    print(message, file=sys.stderr)


@contextlib.contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal; silence when stderr is piped or redirected."""
    from rich.console import Console
    from rich.progress import Progress

    # On stderr, never stdout: stdout may be the CSV or JSON a command is writing.
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextlib.contextmanager
def output(path: Path | None) -> Iterator:
    """The file to write (or the screen, without --out). The file appears only once it is whole: a
    command that fails half-way leaves no file (and an older one at that name as it was)."""
    if path is None:
        yield sys.stdout
        return
    from core.csv_files import atomic_text

    try:
        with atomic_text(path) as handle:
            yield handle
    except BrokenPipeError:
        raise
    except OSError as error:  # opening, writing or closing: a full disk, a USB stick pulled out
        raise TillError(f"cannot write {path}: {error.strerror or error}") from None


def counting(rows: Iterator, total: int, update: Callable[[int, int], None]) -> Iterator:
    for done, row in enumerate(rows, 1):
        if done % 1000 == 0 or done == total:
            update(done, total)
        yield row


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise TillError(f"cannot read {path}: {error.strerror}") from None


def amount(text: str) -> int:
    from core.money import MoneyError, parse_pence

    try:
        return parse_pence(text)
    except MoneyError as error:
        raise TillError(str(error)) from None


def check_period(args: argparse.Namespace) -> None:
    if args.last < args.first:
        raise TillError("--to is before --from")


def read_pin(prompt: str) -> str:
    """A PIN from the keyboard without echo, or one line from standard input when it is piped."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise TillError("no PIN was given")
    return line.strip()


#: Seconds the command line waits after a wrong PIN before saying so, so that a script guessing PINs
#: one after another gets one guess a second at most (tries at once are stopped by the lockout).
WRONG_PIN_PAUSE = 1.0


def signed(ctx: Context, name: str):
    """The named volunteer, once they have typed their PIN: the command line asks what the till asks."""
    from volunteers.people import LockedOut, WrongPin

    till = ctx.till()
    volunteer = till.volunteers.by_name(name)
    try:
        return till.check_pin(volunteer.id, read_pin(f"PIN for {volunteer.name}: "))
    except (WrongPin, LockedOut):
        time.sleep(WRONG_PIN_PAUSE)
        raise


#: What each command that needs a shift lead or manager does, in words, so a refusal names what was
#: refused (not the permission behind it: exporting the register is not "looking a member up by name").
DOING = {
    "report x": "the X report (it shows the cash the till expects)",
    "members export": "exporting the register of members",
    "members voters": "listing the members entitled to vote",
    "members card": "making a member's card",
    "members sar": "a subject access request",
    "members erase": "erasing a member's details",
    "members web-code": "printing a member's web sign-up code",
    "members update": "changing a member's details",
    "members cease": "ending a membership",
    "members pay-credit": "paying out a member's till credit",
    "shares decide": "recording the board's decision on a withdrawal",
    "shares withdrawals": "listing share withdrawals",
    "dividend owed": "listing the dividend owed in cash",
    "dividend pay": "paying a dividend part",
    "dividend preview": "previewing a dividend",
    "dividend declare": "declaring a dividend",
    "volunteers add": "adding a volunteer",
    "volunteers pin": "giving a volunteer a new PIN",
    "volunteers edit": "changing a volunteer's details",
    "volunteers show": "seeing a volunteer's details",
    "volunteers retire": "marking a volunteer as having left",
    "volunteers web-code": "giving a volunteer a web sign-in code",
    "volunteers training": "recording a volunteer's training",
    "products import": "importing products and prices",
    "services import": "importing the service directory",
    "sales export": "exporting sales with member numbers (without --by they are left out)",
    "footfall report": "the footfall report",
    "restore": "restoring the books from a backup",
    "hub approve": "approving a role or PIN changed at a till",
    "rota accept": "accepting an offer to cover a shift",
    "rota decline": "declining an offer to cover a shift",
    "vat return": "the VAT return",
    "vat turnover": "the taxable turnover",
    "year-end": "the co-op's year-end figures",
    "accounts export": "exporting the accounts",
    "products measure": "setting a product's measure",
    "stock reorder": "the reorder list",
    "stock stocktake": "a stocktake",
    "stock suppliers": "the suppliers and their price lists",
    "members applications": "listing the applications to join",
    "members join": "registering a new member",
    "shares buy": "selling shares",
    "shares request": "recording a request to withdraw shares",
    "shares pay": "paying out shares",
    "rota offers": "the offers to cover shifts",
    "report z": "the Z report",
    "hub conflicts": "the hub's conflicts",
    "hub trust-key": "trusting the office's key",
    "office balances": "the balances across the tills",
}


def doing(args: argparse.Namespace) -> str:
    """The command being run, in words, with the command itself: "exporting the register of members
    (till members export)"."""
    command = " ".join(filter(None, (args.command, getattr(args, "action", None))))
    return f"{DOING[command]} (till {command})" if command in DOING else f"till {command}"


def authorised(ctx: Context, volunteer, action) -> None:
    """Refused, naming the command, unless `volunteer`'s role may do `action`."""
    from volunteers.permissions import refusal

    problem = refusal(ctx.till().volunteers, action, volunteer.id, doing(ctx.args))
    if problem is not None:
        raise problem


def allowed(ctx: Context, name: str, action, record: bool = True):
    """The named volunteer, signed with their PIN, if their role may do `action`. The audit log gets
    who ran which command (personal data looked at included), unless `record` is False: the command
    then writes its own row, once it knows what it changed (see `audited`)."""
    volunteer = signed(ctx, name)
    authorised(ctx, volunteer, action)
    if record:
        what = " ".join(str(getattr(ctx.args, key)) for key in ("command", "action", "number", "name")
                        if getattr(ctx.args, key, None))
        audited(ctx, volunteer, action, f"command line: {what}")
    return volunteer


def audited(ctx: Context, volunteer, action, detail: str) -> None:
    """One audit row from the command line: who, what, when, and which till."""
    from core.database import transaction

    with transaction(ctx.db):
        ctx.till().audit(action, volunteer.id, None, detail)


def print_slip(ctx: Context, receipt, name: str) -> None:
    """Print a receipt or slip on --printer or the settings' printer; the preview printer's text is shown."""
    from pos.printing import send_receipt

    result = send_receipt(ctx.settings, receipt, name, spec=getattr(ctx.args, "printer", None))
    if result.text is not None:
        print(result.text, end="")
        say(f"(preview printer: saved in {ctx.settings.receipts_dir})" if result.path else
            "(preview printer: not saved, as it is about one member)")


def run_screen(ctx: Context, demo_pins: dict[int, str] | None = None) -> int:
    """Open the till screen on this database."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise TillError("the till screen needs a terminal; run it from a terminal window")
    from pos.shop import Shop
    from pos.tui.app import make_app

    shop = Shop(settings=ctx.settings, db=ctx.db, demo_pins=demo_pins or {})
    make_app(shop).run()
    return 0
