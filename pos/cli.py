"""The `till` command: the treasurer's and the tests' way in. Errors are one plain sentence on stderr."""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

from core.errors import TillError
from pos.config import ConfigError, Settings, load_settings
from pos.errors import USER_ERRORS

PROG = "till"


# Parsing arguments -----------------------------------------------------------------


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (write it as YYYY-MM-DD)") from None


def _whole(text: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
    return int(text)


def _positive(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", type=Path, default=default, metavar="PATH",
                        help="the database file (default: TILL_DB, the settings file, or your data folder)")
    parser.add_argument("--till", dest="till_id", default=default, metavar="ID",
                        help="which till this is, when several share one database")


class _Parser(argparse.ArgumentParser):
    """A mistyped command is one plain sentence on stderr like every other error, not a usage block."""

    def error(self, message: str) -> NoReturn:
        found = re.fullmatch(r"argument (\S+): (.*)", message)
        name, detail = found.groups() if found else ("", message)
        choice = re.fullmatch(r"invalid choice: ('.*?') \(choose from (.*)\)", detail)
        if choice and not name.startswith("-"):
            # The commands and actions are listed by --help; a list of twenty here would hide the point.
            detail = f"{choice.group(1)} is not a {name.lower()}"
        elif choice:
            detail = f"{name} cannot be {choice.group(1)}, only {choice.group(2)}"
        elif name:
            detail = f"{name}: {detail}"
        self.exit(2, f"{PROG}: {detail}; see {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Community Till: the point of sale for a community café and shop. "
                    "With no command, it opens the till screen.",
    )
    _common(parser, suppress=False)
    shared = argparse.ArgumentParser(add_help=False)
    _common(shared, suppress=True)
    # Every subparser must be a _Parser too, or its mistakes would still print a usage block.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str, **kwargs) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, description=help, parents=[shared], **kwargs)

    demo = command("demo", "start the till on a throwaway demo shop with a few weeks of history")
    demo.add_argument("--days", type=_positive, default=21)
    demo.add_argument("--seed", type=_whole, default=1)
    demo.add_argument("--no-screen", action="store_true",
                      help="print the last day's Z report instead of opening the till screen")

    data = command("demo-data", "add a demo shop (if the database has none) and simulate days of trade")
    data.add_argument("--days", type=_positive, default=14, help="how many days to simulate (default 14)")
    data.add_argument("--seed", type=_whole, default=1, help="the same seed gives the same shop")
    data.add_argument("--until", type=_date, default=None, help="the last day to simulate (default: yesterday)")

    products = command("products", "the catalogue: import, export and list products")
    products_do = products.add_subparsers(dest="action", metavar="ACTION", required=True)
    p_import = products_do.add_parser("import", help="import products from a CSV file (all or nothing)", parents=[shared])
    p_import.add_argument("file", type=Path)
    p_export = products_do.add_parser("export", help="write every product as CSV, in the import format", parents=[shared])
    p_export.add_argument("--out", type=Path, help="a file to write instead of the screen")
    products_do.add_parser("list", help="list products with their codes and prices", parents=[shared])

    stock = command("stock", "stock on hand, goods in, wastage and stocktakes")
    stock_do = stock.add_subparsers(dest="action", metavar="ACTION", required=True)
    stock_do.add_parser("levels", help="stock on hand, with what needs reordering", parents=[shared])
    s_in = stock_do.add_parser("in", help="record goods in", parents=[shared])
    s_in.add_argument("code", help="barcode or short code")
    s_in.add_argument("quantity", type=_positive)
    s_waste = stock_do.add_parser("waste", help="record wastage", parents=[shared])
    s_waste.add_argument("code")
    s_waste.add_argument("quantity", type=_positive)
    s_waste.add_argument("--reason", required=True)
    s_count = stock_do.add_parser("count", help="record a stocktake count", parents=[shared])
    s_count.add_argument("code")
    s_count.add_argument("counted", type=_whole)

    volunteers = command("volunteers", "the people who work the till")
    volunteers_do = volunteers.add_subparsers(dest="action", metavar="ACTION", required=True)
    volunteers_do.add_parser("list", help="list active volunteers", parents=[shared])
    v_add = volunteers_do.add_parser("add", help="add a volunteer", parents=[shared])
    v_add.add_argument("name")
    v_add.add_argument("--role", choices=["volunteer", "shift_lead", "manager", "centre_staff"], default="volunteer")
    v_add.add_argument("--by", metavar="MANAGER", help="the manager adding them (asked for their PIN); "
                       "not needed for the very first volunteer")
    v_hours = volunteers_do.add_parser("hours", help="hours and time credits per volunteer per month",
                                       parents=[shared])
    v_hours.add_argument("--from", dest="first", type=_date, required=True, metavar="DATE")
    v_hours.add_argument("--to", dest="last", type=_date, required=True, metavar="DATE")
    v_hours.add_argument("--format", choices=["text", "csv"], default="text")
    v_train = volunteers_do.add_parser("training", help="record a certificate (food hygiene, first aid …)",
                                       parents=[shared])
    v_train.add_argument("name")
    v_train.add_argument("--kind", required=True, help='e.g. "Food hygiene"')
    v_train.add_argument("--certified", type=_date, required=True, metavar="DATE")
    v_train.add_argument("--expires", type=_date, metavar="DATE")
    v_train.add_argument("--by", required=True, metavar="MANAGER")
    volunteers_do.add_parser("training-status", help="everyone's certificates, and what has run out",
                             parents=[shared])
    v_edit = volunteers_do.add_parser("edit", help="change a volunteer's role or details (a manager's job)",
                                      parents=[shared])
    v_edit.add_argument("name")
    v_edit.add_argument("--role", choices=["volunteer", "shift_lead", "manager", "centre_staff"])
    v_edit.add_argument("--member", metavar="NUMBER", help="their membership number, if they are a member")
    v_edit.add_argument("--emergency-contact", metavar="TEXT")
    v_edit.add_argument("--by", required=True, metavar="MANAGER")
    v_retire = volunteers_do.add_parser("retire", help="someone who has moved on (their records stay)",
                                        parents=[shared])
    v_retire.add_argument("name")
    v_retire.add_argument("--by", required=True, metavar="MANAGER")
    v_show = volunteers_do.add_parser("show", help="a volunteer's details (a manager's job)", parents=[shared])
    v_show.add_argument("name")
    v_show.add_argument("--by", required=True, metavar="MANAGER")
    v_pin = volunteers_do.add_parser("pin", help="set a new PIN for a volunteer (a manager's job)", parents=[shared])
    v_pin.add_argument("name")
    v_pin.add_argument("--by", metavar="MANAGER", required=True)

    session = command("session", "open the till for the day with a float")
    session_do = session.add_subparsers(dest="action", metavar="ACTION", required=True)
    s_open = session_do.add_parser("open", help="open the till with a float", parents=[shared])
    s_open.add_argument("--float", dest="float_amount", required=True, metavar="AMOUNT", help="e.g. 50 or £50.00")
    s_open.add_argument("--operator", required=True, help="the volunteer opening the till")

    sales = command("sales", "sales records")
    sales_do = sales.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sales_do.add_parser("export", help="one row per sale line, refunds negative", parents=[shared])
    export.add_argument("--from", dest="first", type=_date, required=True, metavar="DATE")
    export.add_argument("--to", dest="last", type=_date, required=True, metavar="DATE")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--only-till", dest="only_till", metavar="ID", help="only this till's sales")
    export.add_argument("--out", type=Path, help="a file to write instead of the screen")

    members = command("members", "the register of members")
    members_do = members.add_subparsers(dest="action", metavar="ACTION", required=True)
    m_export = members_do.add_parser("export", help="the register (s.30), or with --duplicate names and "
                                     "addresses only (s.103)", parents=[shared])
    m_export.add_argument("--format", choices=["csv", "json"], default="csv")
    m_export.add_argument("--duplicate", action="store_true", help="names and addresses only, no money")
    m_export.add_argument("--out", type=Path)
    m_export.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager asking (PIN)")
    m_voters = members_do.add_parser("voters", help="members entitled to vote on a date", parents=[shared])
    m_voters.add_argument("--date", type=_date, required=True)
    m_voters.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager asking (PIN)")
    m_card = members_do.add_parser("card", help="save a member's card as a PNG (or print it)", parents=[shared])
    m_card.add_argument("number")
    m_card.add_argument("--png", type=Path, metavar="FILE")
    m_card.add_argument("--print", dest="print_it", action="store_true", help="print it on the receipt printer")
    m_card.add_argument("--reissue", action="store_true", help="a lost card: a new code, the old card stops working")
    m_card.add_argument("--printer", metavar="SPEC", help="as for print-test (default: the settings)")
    m_card.add_argument("--by", required=True, metavar="NAME",
                        help="the shift lead or manager doing it (asked for their PIN)")
    m_sar = members_do.add_parser("sar", help="everything held about one member, as JSON (a subject access "
                                  "request)", parents=[shared])
    m_sar.add_argument("number")
    m_sar.add_argument("--out", type=Path, metavar="FILE")
    m_sar.add_argument("--by", required=True, metavar="MANAGER", help="the manager answering it (PIN)")
    m_erase = members_do.add_parser("erase", help="erase a member's optional details (email, phone, under-5s, "
                                    "consent, date of birth); the register entry and ledgers stay",
                                    parents=[shared])
    m_erase.add_argument("number")
    m_erase.add_argument("--by", required=True, metavar="MANAGER", help="the manager doing it (PIN)")
    m_update = members_do.add_parser("update", help="change a member's address, contacts, consent or how they "
                                     "take their dividend (each change is kept with who and when)", parents=[shared])
    m_update.add_argument("number")
    m_update.add_argument("--name")
    m_update.add_argument("--address")
    m_update.add_argument("--email", help="empty to remove it")
    m_update.add_argument("--email-purpose", dest="email_purpose", metavar="PURPOSE", help="e.g. 'AGM notices'")
    m_update.add_argument("--phone", help="empty to remove it")
    m_update.add_argument("--phone-purpose", dest="phone_purpose", metavar="PURPOSE")
    m_update.add_argument("--consent", choices=["yes", "no"], help="consent to be contacted")
    m_update.add_argument("--under5", choices=["yes", "no"], help="a household with children under 5")
    m_update.add_argument("--dividend", choices=["credit", "cash", "shares", "default"],
                          help="how they take their dividend ('default': the society's)")
    m_update.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager (PIN)")
    m_cease = members_do.add_parser("cease", help="end a membership without a withdrawal (expelled, died, asked "
                                    "to leave with no shares left); the entry stays with its date ceased",
                                    parents=[shared])
    m_cease.add_argument("number")
    m_cease.add_argument("--reason", required=True)
    m_cease.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager (PIN)")
    m_credit = members_do.add_parser("pay-credit", help="pay a member's till credit out in cash from the open "
                                     "till (someone who has left cannot spend it)", parents=[shared])
    m_credit.add_argument("number")
    m_credit.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager (PIN)")

    shares = command("shares", "community shares: buy, ask to withdraw, the board's decision, pay out")
    shares_do = shares.add_subparsers(dest="action", metavar="ACTION", required=True)
    sh_buy = shares_do.add_parser("buy", help="more shares for a member, cash into the open till", parents=[shared])
    sh_buy.add_argument("number")
    sh_buy.add_argument("shares", type=_positive)
    sh_buy.add_argument("--by", required=True, metavar="NAME")
    sh_request = shares_do.add_parser("request", help="a member asks to withdraw shares", parents=[shared])
    sh_request.add_argument("number")
    sh_request.add_argument("shares", type=_positive)
    sh_request.add_argument("--by", required=True, metavar="NAME")
    sh_decide = shares_do.add_parser("decide", help="record the board's decision on a request", parents=[shared])
    sh_decide.add_argument("request", type=_positive)
    sh_decide.add_argument("decision", choices=["approved", "part_approved", "refused", "suspended"])
    sh_decide.add_argument("--shares", type=_positive, help="how many, for part_approved")
    sh_decide.add_argument("--by", required=True, metavar="NAME")
    sh_pay = shares_do.add_parser("pay", help="pay an approved withdrawal from the open till", parents=[shared])
    sh_pay.add_argument("request", type=_positive)
    sh_pay.add_argument("--by", required=True, metavar="NAME")
    sh_list = shares_do.add_parser("withdrawals", help="withdrawal requests and where they stand", parents=[shared])
    sh_list.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager asking (PIN)")

    dividend = command("dividend", "the dividend on purchases (co-operative societies)")
    dividend_do = dividend.add_subparsers(dest="action", metavar="ACTION", required=True)
    d_owed = dividend_do.add_parser("owed", help="dividend parts declared as cash and not collected yet",
                                    parents=[shared])
    d_owed.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager asking (PIN)")
    d_pay = dividend_do.add_parser("pay", help="pay a part owed in cash from the open till, or --credit to give "
                                   "it as till credit (the member's choice; the only way for an under-16)",
                                   parents=[shared])
    d_pay.add_argument("part", type=_positive, help="the part's number, from `till dividend owed`")
    d_pay.add_argument("--credit", action="store_true")
    d_pay.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager (PIN)")
    for name, help_text in (("preview", "who would get what"), ("declare", "declare it and pay the parts")):
        d = dividend_do.add_parser(name, help=help_text, parents=[shared])
        d.add_argument("--from", dest="first", type=_date, required=True, metavar="DATE")
        d.add_argument("--to", dest="last", type=_date, required=True, metavar="DATE")
        d.add_argument("--sum", dest="sum_amount", required=True, metavar="POUNDS", help="the board's sum, e.g. 1500")
        if name == "preview":
            d.add_argument("--format", choices=["text", "csv"], default="text")
        d.add_argument("--by", required=True, metavar="NAME", help="the shift lead or manager (asked for their PIN)")

    print_test = command("print-test", "print a test page (width, £ sign, accents, QR)")
    print_test.add_argument("--printer", metavar="SPEC", help="e.g. network:192.168.1.50, usb:04b8:0202, "
                            "serial:/dev/ttyUSB0, file:/dev/usb/lp0 or preview (default: the settings)")
    receipt = command("receipt", "print (or reprint) a sale's receipt")
    receipt.add_argument("sale_number", type=_positive)
    receipt.add_argument("--printer", metavar="SPEC", help="as for print-test")
    receipts = command("receipts", "receipts a printer refused, still owed to customers")
    receipts_do = receipts.add_subparsers(dest="action", metavar="ACTION", required=True)
    receipts_do.add_parser("waiting", help="list them: sale, time, total and why it did not print",
                           parents=[shared])
    r_print = receipts_do.add_parser("print-waiting", help="print them, oldest first, stopping if the printer "
                                     "refuses one", parents=[shared])
    r_print.add_argument("--printer", metavar="SPEC", help="as for print-test")

    services = command("services", "the area's service directory, for signposting (Open Referral UK)")
    services_do = services.add_subparsers(dest="action", metavar="ACTION", required=True)
    sv_import = services_do.add_parser("import", help="import services from ORUK JSON (a /services page, a list "
                                       "or one service) or the HSDS services.csv layout; all or nothing",
                                       parents=[shared])
    sv_import.add_argument("files", nargs="+", type=Path, metavar="FILE",
                           help="one file, or every page of the feed together")
    sv_import.add_argument("--directory", default=None,
                           help="the directory's name in signposting records (default: the setting centre.directory)")
    sv_list = services_do.add_parser("list", help="the services volunteers can signpost to", parents=[shared])
    sv_list.add_argument("--all", action="store_true", help="retired and inactive ones too")

    footfall = command("footfall", "footfall and signposting figures for the children's centre")
    footfall_do = footfall.add_subparsers(dest="action", metavar="ACTION", required=True)
    ff_export = footfall_do.add_parser("export", help="daily and weekly counts under disclosure control: no "
                                       "names, small numbers hidden", parents=[shared])
    ff_export.add_argument("--from", dest="first", type=_date, required=True, metavar="DATE")
    ff_export.add_argument("--to", dest="last", type=_date, required=True, metavar="DATE")
    ff_export.add_argument("--format", choices=["csv", "json", "html"], default="csv")
    ff_export.add_argument("--out", type=Path, default=None, metavar="FILE")
    ff_report = footfall_do.add_parser("report", help="the Reports screen's figures and charts as text",
                                       parents=[shared])
    ff_report.add_argument("--from", dest="first", type=_date, required=True, metavar="DATE")
    ff_report.add_argument("--to", dest="last", type=_date, required=True, metavar="DATE")
    ff_report.add_argument("--controlled", action="store_true",
                           help="every figure under disclosure control, as centre staff see it")

    b = command("backup", "a consistent copy of the database, safe while tills are selling")
    b.add_argument("destination", nargs="?", type=Path, metavar="DEST",
                   help="a file, or a folder for a dated copy (default: the setting backup.dir)")
    r = command("restore", "replace the database with a backup, after checking it; the current one is kept aside")
    r.add_argument("file", type=Path, metavar="FILE")
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    v = command("verify", "check the books: the database's integrity and the journal's hash chain; names the first "
                "record changed or removed since it was recorded (exit 1)")
    v.add_argument("--expect", metavar="'#N HASH'", action="append", default=[],
                   help="a journal entry printed on a Z report (e.g. '#683 420eb82430fa'): it must still be there, "
                        "so the end of the journal cannot have been cut off; may be given more than once")

    rota = command("rota", "the week's planned shifts, who is on, and the gaps (plan it at the till: F10, F5)")
    rota.add_argument("--week", type=_date, default=None, metavar="DATE", help="the week with this day in it "
                      "(default: this week)")
    rota.add_argument("--gaps", action="store_true", help="only the shifts that still need people")

    report = command("report", "X report (till still open) or Z report (cash-up)")
    report_do = report.add_subparsers(dest="action", metavar="KIND", required=True)
    x = report_do.add_parser("x", help="the open session so far", parents=[shared])
    x.add_argument("--format", choices=["text", "json"], default="text")
    z = report_do.add_parser("z", help="close the till with the counted cash, or show a past day's Z", parents=[shared])
    z.add_argument("--date", type=_date, help="show the Z report of this trading day")
    z.add_argument("--counted", metavar="AMOUNT", help="the cash counted in the drawer: closes the till")
    z.add_argument("--operator", help="who counted (needed with --counted)")
    z.add_argument("--format", choices=["text", "json"], default="text")
    return parser


# Helpers ---------------------------------------------------------------------------


#: The commands that may start a new database. Every other one needs the database to exist, so a
#: mistyped --db is an error, not a new, empty set of books (and a folder) made behind someone's back.
CREATE_DATABASE = frozenset({
    "",  # the till screen, which sets up a new shop
    "demo", "demo-data", "products import", "services import",
    "volunteers add",  # the very first manager, on a new database
})


class Context:
    """What a command needs: settings, the database, and how to talk to the person."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.settings: Settings = load_settings(db=getattr(args, "db", None), till_id=getattr(args, "till_id", None))
        self._db = None

    @property
    def db(self):
        if self._db is None:
            from core.database import NoDatabase
            from pos.database import open_database

            try:
                self._db = open_database(self.settings.db, create=self.creates_database)
            except NoDatabase as error:
                raise TillError(f"{error}; check --db or TILL_DB") from None
        return self._db

    @property
    def creates_database(self) -> bool:
        return " ".join(filter(None, (self.args.command, getattr(self.args, "action", None)))) in CREATE_DATABASE

    def till(self, **kwargs):
        from pos.till import Till

        return Till(self.db, till_id=self.settings.till_id, zone=self.settings.zone, **kwargs)

    def now(self) -> str:
        from core.clock import stamp, system_clock

        return stamp(system_clock())


def _say(message: str) -> None:
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
def _output(path: Path | None) -> Iterator:
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise TillError(f"cannot write {path}: {error.strerror}") from None
    with handle:
        yield handle


def _counting(rows: Iterator, total: int, update: Callable[[int, int], None]) -> Iterator:
    for done, row in enumerate(rows, 1):
        if done % 1000 == 0 or done == total:
            update(done, total)
        yield row


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise TillError(f"cannot read {path}: {error.strerror}") from None


def _amount(text: str) -> int:
    from core.money import MoneyError, parse_pence

    try:
        return parse_pence(text)
    except MoneyError as error:
        raise TillError(str(error)) from None


# Commands --------------------------------------------------------------------------


def cmd_demo(ctx: Context) -> int:
    from pos.config import WhatsOn

    args = ctx.args
    if getattr(args, "db", None) is None:
        folder = Path(tempfile.mkdtemp(prefix="community-till-demo-"))
        ctx.settings = ctx.settings.model_copy(update={
            "db": folder / "demo.db", "receipts_dir": folder / "receipts",
            "society": ctx.settings.society.model_copy(update={
                "name": "Green Lane Community Café (demo)", "address": "Green Lane Children's Centre"}),
            # So a newcomer can try paying with the time credits the simulated shifts earned.
            "time_credit_categories": ctx.settings.time_credit_categories or ["Hot drinks", "Hot food"],
            "centre": ctx.settings.centre.model_copy(update={"whats_on": ctx.settings.centre.whats_on or [
                WhatsOn(text="Stay and play, Tuesdays and Thursdays 10-11:30"),
                WhatsOn(text="Baby weigh-in with the health visitor, Wednesdays 1-3"),
                WhatsOn(text="Free English classes with a creche, Mondays 10-12"),
            ]}),
        })
        _say(f"Demo shop: {ctx.settings.db} (throwaway)")
    summary = _simulate(ctx, days=args.days, seed=args.seed, until=None)
    if not args.no_screen:
        from pos.demo import give_demo_pins

        pins = give_demo_pins(ctx.db)
        return _run_screen(ctx, demo_pins=pins)
    from pos.report_text import render_report
    from pos.reports import last_z_date, session_report, sessions_on

    day = last_z_date(ctx.db, ctx.settings.till_id)
    report = session_report(ctx.db, sessions_on(ctx.db, ctx.settings.till_id, day),
                            zone=ctx.settings.zone, vat_registered=ctx.settings.society.vat_registered)
    print(render_report(report, shop_name=ctx.settings.society.name))
    _say(f"{summary.sales} sales over {summary.days} days. See any day with: "
         f"till --db {ctx.settings.db} report z --date {day}")
    return 0


def _run_screen(ctx: Context, demo_pins: dict[int, str] | None = None) -> int:
    """Open the till screen on this database."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise TillError("the till screen needs a terminal; run it from a terminal window")
    from pos.shop import Shop
    from pos.tui.app import make_app

    shop = Shop(settings=ctx.settings, db=ctx.db, demo_pins=demo_pins or {})
    make_app(shop).run()
    return 0


def cmd_screen(ctx: Context) -> int:
    return _run_screen(ctx)


def _simulate(ctx: Context, *, days: int, seed: int, until: date | None):
    from core.clock import system_clock
    from pos.demo import simulate

    last = until or (system_clock().astimezone(ctx.settings.zone).date() - timedelta(days=1))
    with progress_bar(f"Simulating {days} days of trade") as update:
        return simulate(ctx.db, days=days, seed=seed, until=last, till_id=ctx.settings.till_id,
                        zone=ctx.settings.zone, coop=ctx.settings.coop, progress=update)


def cmd_demo_data(ctx: Context) -> int:
    args = ctx.args
    summary = _simulate(ctx, days=args.days, seed=args.seed, until=args.until)
    skipped = f"; {summary.skipped} days were already there" if summary.skipped else ""
    _say(f"Simulated {summary.days} days: {summary.sales} sales, {summary.refunds} refunds, "
         f"{summary.voids} voids, {summary.members} new members{skipped}.")
    if summary.new_volunteers:
        from pos.demo import give_demo_pins
        from volunteers.people import Volunteers

        # Without PINs nobody could sign in, so every command with --by or --operator would be closed to the demo.
        # Only for volunteers this run made up: a real shop's people keep the PINs they chose.
        volunteers = Volunteers(ctx.db)
        for volunteer_id, pin in give_demo_pins(ctx.db).items():
            volunteer = volunteers.get(volunteer_id)
            _say(f"{volunteer.name} ({volunteer.role.label.lower()}): {pin}")
    return 0


def cmd_products(ctx: Context) -> int:
    from inventory import product_csv

    args = ctx.args
    if args.action == "import":
        data = _read_bytes(args.file)
        with progress_bar("Importing products") as update:
            summary = product_csv.import_products(ctx.db, data, at=ctx.now(), progress=update)
        _say(f"Imported {args.file.name}: {summary.created} new, {summary.updated} updated, "
             f"{summary.unchanged} unchanged.")
    elif args.action == "export":
        with _output(args.out) as out, progress_bar("Exporting products") as update:
            count = product_csv.export_products(ctx.db, out, progress=update)
        if args.out:
            _say(f"Wrote {count} products to {args.out}")
    else:
        from core.money import format_pence
        from inventory.products import Catalogue

        for p in Catalogue(ctx.db).all():
            codes = " ".join(p.barcodes + p.codes)
            retired = "" if p.active else "  (retired)"
            print(f"{p.id:>5}  {p.name[:34]:<34} {format_pence(p.price_pence):>9}  {codes}{retired}")
    return 0


def cmd_stock(ctx: Context) -> int:
    from inventory.stock import Stock

    args = ctx.args
    stock = Stock(ctx.db)
    if args.action == "levels":
        for level in stock.levels():
            flag = "  reorder" if level.needs_reorder else ""
            print(f"{level.on_hand:>6}  {level.name}{flag}")
        return 0
    from core.database import transaction

    product = ctx.till().catalogue.lookup(args.code)
    with transaction(ctx.db):
        if args.action == "in":
            stock.goods_in(product.id, args.quantity, at=ctx.now())
        elif args.action == "waste":
            stock.wastage(product.id, args.quantity, reason=args.reason, at=ctx.now())
        else:
            delta = stock.stocktake(product.id, args.counted, at=ctx.now())
            _say(f"Counted {args.counted} {product.name}: {delta:+d} against the records.")
    _say(f"{product.name}: {stock.on_hand(product.id)} on hand.")
    return 0


def _read_pin(prompt: str) -> str:
    """A PIN from the keyboard without echo, or one line from standard input when it is piped."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise TillError("no PIN was given")
    return line.strip()


def _signed(ctx: Context, name: str):
    """The named volunteer, once they have typed their PIN: the command line asks what the till asks."""
    till = ctx.till()
    volunteer = till.volunteers.by_name(name)
    return till.volunteers.check_pin(volunteer.id, _read_pin(f"PIN for {volunteer.name}: "), now=till.clock())


def _check_period(args: argparse.Namespace) -> None:
    if args.last < args.first:
        raise TillError("--to is before --from")


def _allowed(ctx: Context, name: str, action):
    """The named volunteer, signed with their PIN, if their role may do `action`."""
    from core.database import transaction
    from volunteers.permissions import authorise

    till = ctx.till()
    volunteer = _signed(ctx, name)
    authorise(till.volunteers, action, volunteer.id, None)
    # Who looked at or changed what from the command line: personal data included.
    what = " ".join(str(getattr(ctx.args, key)) for key in ("command", "action", "number", "name")
                    if getattr(ctx.args, key, None))
    with transaction(ctx.db):
        till.audit(action, volunteer.id, None, f"command line: {what}")
    return volunteer


def _new_pin(name: str) -> str:
    from volunteers.pins import check_shape

    pin = check_shape(_read_pin(f"New PIN for {name} (4 to 8 digits): "))
    if _read_pin("The same PIN again: ") != pin:
        raise TillError("the two PINs are different; nothing was changed")
    return pin


def cmd_volunteers(ctx: Context) -> int:
    from volunteers.people import Role, Volunteers
    from volunteers.permissions import Action

    volunteers = Volunteers(ctx.db)
    if ctx.args.action == "hours":
        return _hours(ctx)
    if ctx.args.action == "training-status":
        from volunteers.certificates import Certificates

        training, today = Certificates(ctx.db), ctx.till().today()
        for v in volunteers.all():
            for c in training.certificates(v.id):
                ends = c.expires_on.isoformat() if c.expires_on else "does not expire"
                print(f"{v.name[:24]:<24} {c.kind[:20]:<20} {ends:<16} {c.state(today)}")
        return 0
    if ctx.args.action == "list":
        for v in volunteers.all():
            print(f"{v.id:>4}  {v.name}  ({v.role.value.replace('_', ' ')})")
        return 0
    first = not volunteers.all(active_only=False)
    if first:
        if ctx.args.action != "add" or ctx.args.role != "manager":
            raise TillError("the first volunteer must be a manager (till volunteers add NAME --role manager), "
                            "so someone can add the rest")
        added = volunteers.add(ctx.args.name, Role(ctx.args.role), at=ctx.now(), pin=_new_pin(ctx.args.name))
        _say(f"Added {added.name} ({added.role.label.lower()}).")
        return 0
    if not ctx.args.by:
        raise TillError("say which manager is doing this with --by NAME")
    manager = _allowed(ctx, ctx.args.by, Action.manage_volunteers)
    from volunteers.team import Team

    team = Team(ctx.till())
    if ctx.args.action == "training":
        from volunteers.certificates import Certificates

        volunteer = volunteers.by_name(ctx.args.name)
        Certificates(ctx.db).record(volunteer.id, ctx.args.kind, certified_on=ctx.args.certified,
                                expires_on=ctx.args.expires, by=manager.id, at=ctx.now())
        _say(f"Recorded {ctx.args.kind} for {volunteer.name}.")
        return 0
    if ctx.args.action == "add":
        added = team.add(ctx.args.name, Role(ctx.args.role), _new_pin(ctx.args.name), operator_id=manager.id)
        _say(f"Added {added.name} ({added.role.label.lower()}).")
        return 0
    volunteer = volunteers.by_name(ctx.args.name)
    if ctx.args.action == "show":
        for key, value in team.profile(volunteer.id, operator_id=manager.id).items():
            print(f"{key:<18} {'' if value is None else value}")
    elif ctx.args.action == "retire":
        team.retire(volunteer.id, operator_id=manager.id)
        _say(f"{volunteer.name} has left; their shifts and sales stay on record.")
    elif ctx.args.action == "edit":
        team.edit(volunteer.id, operator_id=manager.id, role=ctx.args.role, member_number=ctx.args.member,
                  emergency_contact=ctx.args.emergency_contact)
        _say(f"Updated {volunteer.name}.")
    else:
        team.set_pin(volunteer.id, _new_pin(volunteer.name), operator_id=manager.id)
        _say(f"{volunteer.name} has a new PIN.")
    return 0


def cmd_services(ctx: Context) -> int:
    from centre.directory import Directory, parse_services

    directory = Directory(ctx.db)
    if ctx.args.action == "list":
        for service in (directory.all() if ctx.args.all else directory.offered()):
            state = "" if service.offered else ("  (retired)" if service.retired else f"  ({service.status})")
            by = f"  - {service.organization_name}" if service.organization_name else ""
            print(f"{service.name}{by}{state}")
        return 0
    files = [(path.name, _read_bytes(path)) for path in ctx.args.files]
    summary = directory.import_services(parse_services(files), directory=ctx.args.directory or
                                        ctx.settings.centre.directory, at=ctx.now())
    _say(f"Imported: {summary.created} new, {summary.updated} updated, {summary.unchanged} unchanged, "
         f"{summary.retired} retired. {summary.offered} services can be signposted to.")
    return 0


def cmd_footfall(ctx: Context) -> int:
    from centre.export import prepare, to_csv, to_html, to_json
    from centre.figures import gather
    from core.clock import system_clock

    args = ctx.args
    _check_period(args)
    if (args.last - args.first).days > 366 * 3:
        raise TillError("export at most three years at a time")
    figures = gather(ctx.db, args.first, args.last, zone=ctx.settings.zone)
    if args.action == "report":
        from centre.figures import society_figures
        from centre.report_text import reach_text

        society = society_figures(ctx.db, args.first, args.last, zone=ctx.settings.zone)
        print(reach_text(figures, society, controlled=args.controlled,
                         threshold=ctx.settings.centre.disclosure_threshold), end="")
        return 0
    published = prepare(figures, threshold=ctx.settings.centre.disclosure_threshold,
                        society=ctx.settings.society.name,
                        generated_at=system_clock().astimezone(ctx.settings.zone))
    text = {"csv": to_csv, "json": to_json, "html": to_html}[args.format](published)
    with _output(args.out) as out:
        out.write(text)
    if args.out:
        _say(f"Wrote {args.out}: counts only, figures under {ctx.settings.centre.disclosure_threshold} hidden.")
    return 0


def cmd_backup(ctx: Context) -> int:
    from core.backups import make_backup
    from core.clock import system_clock

    path = make_backup(ctx.db, ctx.args.destination or ctx.settings.backup.dir,
                       now=system_clock().astimezone(ctx.settings.zone))
    _say(f"Backed up to {path} (checked).")
    return 0


def cmd_restore(ctx: Context) -> int:
    from core.backups import check_backup, restore
    from core.clock import system_clock
    from pos.database import migration_sets

    found = check_backup(ctx.args.file, migration_sets())
    _say(f"{found.path}: a sound till database with {found.sales} sales, the last at {found.last_sale_at or 'none'}.")
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            raise TillError("add --yes to restore without being asked (nothing was changed)")
        answer = input(f"Replace the books in {ctx.settings.db} with it? The current ones are kept aside. "
                       "Type yes: ")
        if answer.strip().casefold() != "yes":
            _say("Nothing was changed.")
            return 1
    if ctx._db is not None:
        ctx._db.close()
        ctx._db = None
    aside = restore(found.path, ctx.settings.db, now=system_clock().astimezone(ctx.settings.zone),
                    migration_sets=migration_sets())
    _say(f"Restored. The books as they were are kept in {aside}.")
    return 0


def _backup_after_z(ctx: Context) -> None:
    from coop.personal_data import purge_former
    from core.backups import after_z
    from core.clock import system_clock

    purged = purge_former(ctx.db, today=ctx.till().today(), years=ctx.settings.coop.retention_years, at=ctx.now())
    if purged:
        _say(f"Past the retention period: optional details removed for {', '.join(purged)}.")

    try:
        path = after_z(ctx.db, ctx.settings.backup.dir, ctx.settings.backup.keep,
                       now=system_clock().astimezone(ctx.settings.zone))
    except TillError as error:
        _say(f"Warning: the Z is done, but the automatic backup failed: {error}. Run `till backup DEST`.")
        return
    _say(f"Backed up to {path}.")


def cmd_verify(ctx: Context) -> int:
    from core.journal import Problem, head, verify

    db = ctx.db
    integrity = [row[0] for row in db.execute("pragma integrity_check")]
    if integrity != ["ok"]:
        print(f"The database file is damaged: {integrity[0]}")
        return 1
    problems = verify(db)
    for printed in ctx.args.expect:
        found = re.fullmatch(r"\s*#?(\d+)\s+([0-9a-f]{6,64})\s*", printed)
        if not found:
            raise TillError(f"'{printed}' is not a journal entry as a Z prints it, like '#683 420eb82430fa'")
        entry = db.execute("select hash from journal where id = ?", [int(found.group(1))]).fetchone()
        if entry is None or not entry[0].startswith(found.group(2)):
            problems.insert(0, Problem(int(found.group(1)), f"journal entry #{found.group(1)} printed on a Z is "
                                       "missing or different: the journal was cut short or rewritten"))
    entries = db.execute("select count(*) from journal").fetchone()[0]
    if problems:
        print(f"The books do not match the journal. First: {problems[0].what}.")
        for problem in problems[1:20]:
            print(f"  also: {problem.what}")
        if len(problems) > 20:
            print(f"  and {len(problems) - 20} more")
        return 1
    last = head(db)
    tip = f"; the newest is #{last[0]} {last[1][:12]}" if last else ""
    print(f"The books are as recorded: {entries} journal entries check out{tip}, and the database is sound.")
    return 0


def cmd_rota(ctx: Context) -> int:
    from volunteers.rota import Rota

    till = ctx.till()
    rota = Rota(till)
    shifts = rota.week(ctx.args.week or till.today())
    if ctx.args.gaps:
        shifts = [p for p in shifts if p.gap]
    if not rota.slots():
        _say("No shifts are planned yet: a shift lead adds them at the till (F10, then F5, then N).")
    for shift in shifts:
        print(shift.describe())
    return 0


def _hours(ctx: Context) -> int:
    import csv

    args = ctx.args
    _check_period(args)
    rows = ctx.till().shifts.hours(args.first, args.last, credits_per_hour=ctx.settings.time_credits_per_hour)
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["volunteer", "month", "shifts", "minutes", "hours", "credits", "shifts_to_check"])
        writer.writerows([r.name, r.month, r.shifts, r.minutes, r.hours, r.credits, r.to_check] for r in rows)
        return 0
    for r in rows:
        check = f"  ({r.to_check} to check: forgot to sign out)" if r.to_check else ""
        print(f"{r.name[:24]:<24} {r.month}  {r.shifts:>3} shifts {r.hours:>7} hours {r.credits:>4} credits{check}")
    total = sum(r.minutes for r in rows)
    print(f"{'Total':<24} {'':7}  {sum(r.shifts for r in rows):>3} shifts {total // 60:>4}:{total % 60:02d} hours")
    return 0


def cmd_session(ctx: Context) -> int:
    till = ctx.till()
    float_pence = _amount(ctx.args.float_amount)
    operator = _signed(ctx, ctx.args.operator)
    session = till.open_session(float_pence, operator_id=operator.id)
    from core.money import format_pence

    _say(f"{ctx.settings.till_id} is open for {session.business_date} with a float of "
         f"{format_pence(session.float_pence)}.")
    return 0


def cmd_sales(ctx: Context) -> int:
    from pos import sales_export

    args = ctx.args
    _check_period(args)
    rows = sales_export.sale_lines(ctx.db, args.first, args.last, zone=ctx.settings.zone,
                                   till_id=args.only_till)
    write = sales_export.write_json if args.format == "json" else sales_export.write_csv
    with _output(args.out) as out, progress_bar("Exporting sales") as update:
        if args.out:
            total = sales_export.count_lines(ctx.db, args.first, args.last, till_id=args.only_till)
            rows = _counting(rows, total, update)
        count = write(rows, out)
    if args.out:
        _say(f"Wrote {count} sale lines to {args.out}")
    return 0


def cmd_report(ctx: Context) -> int:
    from pos.report_text import render_report
    from pos.reports import session_report, sessions_on

    args = ctx.args
    till = ctx.till()
    if args.action == "x":
        session = till.current_session()
        if session is None:
            raise TillError(f"{till.till_id} is not open, so there is no X report; "
                            "use `till report z --date DATE` for a closed day")
        ids = [session.id]
    elif args.counted is not None:
        if args.date:
            raise TillError("--counted closes today's till; it cannot go with --date")
        if not args.operator:
            raise TillError("say who counted the cash with --operator NAME")
        counted = _amount(args.counted)
        operator = _signed(ctx, args.operator)
        ids = [till.close_session(counted, operator_id=operator.id).id]
        _backup_after_z(ctx)
    else:
        day = args.date
        if day is None:
            if till.current_session() is not None:
                raise TillError("the till is still open: count the drawer, then run "
                                "`till report z --counted AMOUNT --operator NAME`")
            from pos.reports import last_z_date

            last = last_z_date(ctx.db, till.till_id)
            if last is None:
                raise TillError(f"{till.till_id} has no Z reports yet")
            day = date.fromisoformat(last)
        ids = sessions_on(ctx.db, till.till_id, day.isoformat())
        if not ids:
            raise TillError(f"{till.till_id} has no Z report for {day.isoformat()}")
    report = session_report(ctx.db, ids, zone=ctx.settings.zone,
                            vat_registered=ctx.settings.society.vat_registered)
    if args.format == "json":
        print(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render_report(report, shop_name=ctx.settings.society.name), end="")
    return 0


def _printer(ctx: Context):
    from printers.spec import PrinterSpecError, parse_spec

    text = getattr(ctx.args, "printer", None) or ctx.settings.printer.spec
    try:
        return parse_spec(text)
    except PrinterSpecError as error:
        raise TillError(str(error)) from None


def _print(ctx: Context, receipt, name: str) -> None:
    from printers.send import PrinterUnavailable, print_receipt

    spec = _printer(ctx)
    try:
        result = print_receipt(spec, receipt, ctx.settings.printer.columns, preview_dir=ctx.settings.receipts_dir,
                               name=name, timeout=ctx.settings.printer.timeout_seconds)
    except PrinterUnavailable as error:
        raise TillError(str(error)) from None
    if result.text is not None:
        print(result.text, end="")
        _say(f"(preview printer: saved in {ctx.settings.receipts_dir})")


def cmd_print_test(ctx: Context) -> int:
    from printers.send import test_page

    _print(ctx, test_page(ctx.settings.printer.columns, shop_name=ctx.settings.society.name), "test-page")
    return 0


def cmd_receipt(ctx: Context) -> int:
    from pos.shop import Shop

    shop = Shop(settings=ctx.settings, db=ctx.db)
    sale = shop.till.get_sale(ctx.args.sale_number)
    _print(ctx, shop.receipt(sale, copy=True), f"{sale.till_id}-{sale.sale_number}-copy")
    shop.till.receipt_printed(sale.id)
    return 0


def cmd_receipts(ctx: Context) -> int:
    shop = _shop(ctx)
    queue = shop.receipt_queue
    if not queue.owed():
        _say("No receipts are waiting to print.")
        return 0
    if ctx.args.action == "waiting":
        for owed in queue.owed():
            print(owed.describe(ctx.settings.zone))
        return 0
    outcome = queue.print_owed(shop.printer(ctx.args.printer))
    for text in outcome.previews:
        print(text, end="")
    if outcome.previews:
        _say(f"(preview printer: saved in {ctx.settings.receipts_dir})")
    if outcome.printed:
        _say(f"Printed {_receipts(len(outcome.printed))} that had been waiting.")
    if outcome.failed is not None:
        left = "1 receipt is" if outcome.left == 1 else f"{outcome.left} receipts are"
        raise TillError(f"sale {outcome.failed.sale_number}'s receipt did not print: {outcome.error}; "
                        f"{left} still waiting")
    return 0


def _receipts(count: int) -> str:
    return "1 receipt" if count == 1 else f"{count} receipts"


def _shop(ctx: Context):
    from pos.shop import Shop

    return Shop(settings=ctx.settings, db=ctx.db, clock=ctx.till().clock)


def cmd_members(ctx: Context) -> int:
    import csv

    from volunteers.permissions import Action

    args = ctx.args
    membership = _shop(ctx).membership
    if args.action in ("sar", "erase"):
        from coop import personal_data

        manager = _allowed(ctx, args.by, Action.manage_volunteers)
        if args.action == "sar":
            document = personal_data.subject_access(ctx.db, args.number, society=ctx.settings.society.name,
                                                    made_at=ctx.now())
            with _output(args.out) as out:
                out.write(personal_data.to_json(document))
            if args.out:
                _say(f"Wrote everything held about {args.number} to {args.out}: answer within one month.")
            return 0
        erased = personal_data.erase(ctx.db, args.number, at=ctx.now(), by=manager.name, today=ctx.till().today())
        _say(f"Erased for {args.number}: {', '.join(erased) or 'nothing optional was held'}. The register entry, "
             "shares, credit and dividends stay, as the law requires.")
        return 0
    if args.action == "card":
        from coop.cards import card_png

        member = membership.register.by_number(args.number)
        if not (args.png or args.print_it):
            raise TillError("say where the card goes: --png FILE, --print, or both")
        # A card carries a name and the token that identifies its holder: a shift lead's job.
        volunteer = _allowed(ctx, args.by, Action.join_member)
        if args.reissue:
            member = membership.register.reissue_card(member.id, at=ctx.now(), by=volunteer.name)
            _say(f"{member.number} has a new card; the old one no longer works.")
        if args.png:
            card_png(member, args.png, society=ctx.settings.society.name)
            _say(f"Saved the card for {member.number} to {args.png}")
        if args.print_it:
            from printers.receipt import Receipt, ReceiptLine

            try:
                _print(ctx, Receipt(header=[ctx.settings.society.name], title="MEMBER CARD",
                                    meta=[ReceiptLine(text="Member", amount=member.number),
                                          ReceiptLine(text="Name", amount=member.name)],
                                    qr=member.card_code), f"card-{member.number}")
            except TillError as error:
                if args.reissue:  # the old card is dead already: say how to get the new one out
                    raise TillError(f"{error}. The new card works already: print it again without --reissue") \
                        from None
                raise
        return 0
    if args.action in ("update", "cease", "pay-credit"):
        return _member_change(ctx, membership)
    # Names, addresses and holdings are personal data: a shift lead or manager asks, with their PIN.
    _allowed(ctx, args.by, Action.find_member)
    if args.action == "voters":
        voters = membership.register.all(on=args.date)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["number", "name"])
        writer.writerows([m.number, m.name] for m in voters)
        _say(f"{len(voters)} members entitled to vote on {args.date.isoformat()} (one member, one vote).")
        return 0
    rows = []
    # The duplicate register (s.103) is for members to see who the members are: current ones, no money.
    for member in membership.register.all(include_former=not args.duplicate):
        if args.duplicate:
            rows.append({"name": member.name, "address": member.address.replace("\n", ", ")})
            continue
        holding = membership.shares.holding(member.id)
        rows.append({
            "number": member.number, "name": member.name, "address": member.address.replace("\n", ", "),
            "email": member.email or "",
            "shares_held": holding.shares, "amount_paid_pence": holding.paid_in_pence - holding.paid_out_pence,
            "other_property_pence": membership.dividends.credit_balance(member.id),
            "date_admitted": member.admitted_on.isoformat(),
            "date_ceased": member.ceased_on.isoformat() if member.ceased_on else "",
        })
    columns = ["name", "address"] if args.duplicate else [
        "number", "name", "address", "email", "shares_held", "amount_paid_pence", "other_property_pence",
        "date_admitted", "date_ceased"]
    with _output(args.out) as out:
        if args.format == "json":
            out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return 0


def _member_change(ctx: Context, membership) -> int:
    from core.money import format_pence
    from volunteers.permissions import Action

    args = ctx.args
    member = membership.register.by_number(args.number)
    action = Action.join_member if args.action == "update" else Action.share_payout
    volunteer = _allowed(ctx, args.by, action)
    if args.action == "cease":
        ended = membership.cease_member(member, reason=args.reason, operator_id=volunteer.id)
        _say(f"{ended.number} ceased to be a member on {ended.ceased_on}; the register keeps the entry.")
        return 0
    if args.action == "pay-credit":
        amount = membership.pay_out_credit(member, operator_id=volunteer.id)
        _say(f"Pay {format_pence(amount)} of till credit to {member.number} from the till.")
        return 0
    changes: dict = {key: getattr(args, key) for key in ("name", "address", "email", "email_purpose", "phone",
                                                         "phone_purpose") if getattr(args, key) is not None}
    for key, flag in (("consent_contact", args.consent), ("under5_household", args.under5)):
        if flag is not None:
            changes[key] = flag == "yes"
    if args.dividend is not None:
        changes["dividend_payout"] = None if args.dividend == "default" else args.dividend
    if not changes:
        raise TillError("say what to change, e.g. --address '2 Green Walk' (see till members update --help)")
    membership.update_member(member, changes, operator_id=volunteer.id)
    _say(f"Updated {member.number}: {', '.join(sorted(changes))}.")
    return 0


def cmd_shares(ctx: Context) -> int:
    from coop.shares import Decision
    from core.database import transaction
    from core.money import format_pence
    from volunteers.permissions import Action, authorise

    args = ctx.args
    membership = _shop(ctx).membership
    volunteer = _signed(ctx, args.by)
    if args.action != "withdrawals":
        membership.till.seller(volunteer.id)
    if args.action == "withdrawals":
        authorise(membership.till.volunteers, Action.find_member, volunteer.id, None)
        for w in membership.shares.withdrawals():
            member = membership.register.get(w.member_id)
            state = ("paid " + w.paid_on.isoformat()) if w.paid_on else (
                w.decision.value.replace("_", " ") if w.decision else "waiting for the board")
            print(f"{w.id:>5}  {member.number}  {w.shares:>6} shares  asked {w.requested_on}  "
                  f"notice ends {w.notice_ends}  {state}")
        return 0
    if args.action == "buy":
        member = membership.register.by_number(args.number)
        amount = membership.buy_shares(member, args.shares, operator_id=volunteer.id)
        _say(f"{member.number} bought {args.shares} shares: take {format_pence(amount)} into the till.")
    elif args.action == "request":
        member = membership.register.by_number(args.number)
        with transaction(ctx.db):  # two tills must not both pass the "already asked for" check
            request = membership.shares.request_withdrawal(member, args.shares, on=membership.today(),
                                                           at=ctx.now(), by=volunteer.name)
        _say(f"Request {request.id}: {args.shares} shares for {member.number}; notice ends "
             f"{request.notice_ends}, then the board decides.")
    elif args.action == "decide":
        authorise(membership.till.volunteers, Action.share_payout, volunteer.id, None)
        with transaction(ctx.db):  # sealed into the journal as it commits
            decided = membership.shares.decide(args.request, Decision(args.decision), on=membership.today(),
                                               at=ctx.now(), by=volunteer.name, approved_shares=args.shares)
            membership.till.audit(Action.share_payout, volunteer.id, None,
                                  f"board decision on request {args.request}: {args.decision}")
        _say(f"Request {decided.id}: {decided.decision.value.replace('_', ' ')}"
             f" ({decided.approved_shares} shares).")
    else:
        amount = membership.pay_withdrawal(args.request, operator_id=volunteer.id)
        _say(f"Pay {format_pence(amount)} from the till for request {args.request}.")
    return 0


def cmd_dividend(ctx: Context) -> int:
    import csv

    from core.money import format_pence
    from volunteers.permissions import Action

    args = ctx.args
    membership = _shop(ctx).membership
    if args.action == "owed":
        _allowed(ctx, args.by, Action.find_member)
        owed = membership.dividends.owed()
        for part in owed:
            print(f"{part.part_id:>6}  {part.number}  dividend {part.run} (to {part.period_to})  "
                  f"{format_pence(part.amount_pence):>10}")
        _say(f"{len(owed)} part{'s' if len(owed) != 1 else ''} owed in cash, "
             f"{format_pence(sum(p.amount_pence for p in owed))} in all.")
        return 0
    if args.action == "pay":
        volunteer = _allowed(ctx, args.by, Action.share_payout)
        amount = membership.pay_dividend(args.part, operator_id=volunteer.id, as_credit=args.credit)
        _say(f"Gave {format_pence(amount)} as till credit." if args.credit
             else f"Pay {format_pence(amount)} from the till.")
        return 0
    _check_period(args)
    sum_pence = _amount(args.sum_amount)
    volunteer = _allowed(ctx, args.by, Action.dividend)
    if args.action == "declare":
        run = membership.declare_dividend(args.first, args.last, sum_pence, operator_id=volunteer.id)
        _say(f"Dividend {run} declared: {format_pence(sum_pence)} for {args.first} to {args.last}.")
        return 0
    preview = membership.preview_dividend(args.first, args.last, sum_pence)
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["number", "name", "qualifying_pence", "part_pence", "payout"])
        writer.writerows([p.number, p.name, p.qualifying_pence, p.part_pence, p.payout.value] for p in preview.parts)
        return 0
    print(f"Dividend of {format_pence(sum_pence)} on {format_pence(preview.qualifying_pence)} of member "
          f"purchases, {args.first} to {args.last}")
    for part in preview.parts:
        print(f"{part.number}  {part.name[:30]:<30} {format_pence(part.qualifying_pence):>11} "
              f"{format_pence(part.part_pence):>10}  {part.payout.value}")
    return 0


COMMANDS = {
    "members": cmd_members,
    "shares": cmd_shares,
    "dividend": cmd_dividend,
    "print-test": cmd_print_test,
    "receipt": cmd_receipt,
    "receipts": cmd_receipts,
    "screen": cmd_screen,
    "demo": cmd_demo,
    "demo-data": cmd_demo_data,
    "products": cmd_products,
    "stock": cmd_stock,
    "volunteers": cmd_volunteers,
    "rota": cmd_rota,
    "verify": cmd_verify,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "services": cmd_services,
    "footfall": cmd_footfall,
    "session": cmd_session,
    "sales": cmd_sales,
    "report": cmd_report,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command not in ("screen", None):
        import gc

        gc.enable()  # held off only while the till screen loads (see pos.launch)
    try:
        ctx = Context(args)
        return COMMANDS[args.command or "screen"](ctx)
    except (ConfigError, *USER_ERRORS) as error:
        _say(f"{PROG}: {error}")
        return 1
    except KeyboardInterrupt:
        _say(f"{PROG}: stopped.")
        return 130
    except BrokenPipeError:
        # The reader (say, `| head`) went away; nothing is wrong with the till.
        with contextlib.suppress(Exception):
            sys.stdout = None  # type: ignore[assignment]
        return 0
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        from core.crash_log import log_unexpected

        where = log_unexpected()
        detail = f" (details in {where})" if where else ""
        _say(f"{PROG}: something unexpected went wrong: {type(error).__name__}: {error}{detail}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
