"""`till volunteers`, `till rota` and `till session`: the people who work the till, their shifts, and
opening the till for the day."""

from __future__ import annotations

import argparse
import sys

from core.errors import TillError
from pos.cli.context import Context, allowed, amount, audited, check_period, read_pin, say, signed
from pos.cli.options import a_date, actions, by, date_help, period, positive, runs, shared


def roles(text: str) -> str:
    """--role: one role or several, "manager,treasurer"; checked here so a typo is a usage message."""
    from volunteers.people import parse_roles, roles_text

    try:
        return roles_text(parse_roles(text))
    except TillError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


ROLE_HELP = ("volunteer, shift_lead, manager, centre_staff, treasurer or board_member; "
             "several with commas (manager,board_member)")


def volunteers_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    action("list", "list active volunteers", cmd_list)
    add = action("add", "add a volunteer", cmd_manage)
    add.add_argument("name")
    add.add_argument("--role", type=roles, default="volunteer", help=ROLE_HELP)
    by(add, "MANAGER", "the manager adding them (asked for their PIN); not needed for the very first volunteer",
       required=False)
    hours = action("hours", "hours and time credits per volunteer per month", cmd_hours)
    period(hours)
    hours.add_argument("--format", choices=["text", "csv"], default="text")
    # Whose shifts and when are personal: a shift lead or manager sees everyone's, anyone else their own.
    by(hours, help="who is asking (asked for their PIN): a shift lead or manager sees everyone's hours, "
                   "anyone else only their own")
    training = action("training", "record a certificate (food hygiene, first aid …)", cmd_manage)
    training.add_argument("name")
    training.add_argument("--kind", required=True, help='e.g. "Food hygiene"')
    training.add_argument("--certified", type=a_date, required=True, metavar="DATE",
                          help=date_help("the day it was gained"))
    training.add_argument("--expires", type=a_date, metavar="DATE", help=date_help("the day it runs out"))
    by(training, "MANAGER")
    action("training-status", "everyone's certificates, and what has run out", cmd_training_status)
    edit = action("edit", "change a volunteer's role or details (a manager's job)", cmd_manage)
    edit.add_argument("name")
    edit.add_argument("--role", type=roles, help=ROLE_HELP)
    edit.add_argument("--member", metavar="NUMBER", help="their membership number, if they are a member")
    edit.add_argument("--emergency-contact", metavar="TEXT")
    by(edit, "MANAGER")
    for name, help in (("retire", "someone who has moved on (their records stay)"),
                       ("show", "a volunteer's details (a manager's job)"),
                       ("pin", "set a new PIN for a volunteer (a manager's job)")):
        one = action(name, help, cmd_manage)
        one.add_argument("name")
        by(one, "MANAGER")
    code = action("web-code", "a one-time code for a volunteer to set their web password (a manager's job)",
                  cmd_web_code)
    code.add_argument("name")
    by(code, "MANAGER")


def session_arguments(parser: argparse.ArgumentParser) -> None:
    opening = actions(parser)("open", "open the till with a float", cmd_session)
    opening.add_argument("--float", dest="float_amount", required=True, metavar="AMOUNT", help="e.g. 50 or £50.00")
    opening.add_argument("--operator", required=True, help="the volunteer opening the till")


def rota_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_rota)
    parser.add_argument("--week", type=a_date, default=None, metavar="DATE", help=date_help("the week with this day in it (default: this week)"))
    parser.add_argument("--gaps", action="store_true", help="only the shifts that still need people")
    # Optional, so `till rota` alone still shows the week.
    choices = parser.add_subparsers(dest="action", metavar="ACTION", required=False)
    runs(choices.add_parser("offers", help="volunteers' offers to cover a gap, waiting for a shift lead",
                            parents=[shared()]), cmd_offers)
    for name, help in (("accept", "put an offer on the rota for its week"), ("decline", "turn an offer down")):
        answer = runs(choices.add_parser(name, help=help, parents=[shared()]), cmd_offers)
        answer.add_argument("number", type=positive, help="the offer's number (from `till rota offers`)")
        by(answer, "LEAD", "the shift lead or manager answering (asked for their PIN)")


ARGUMENTS = {"volunteers": volunteers_arguments, "session": session_arguments, "rota": rota_arguments}


def _new_pin(name: str) -> str:
    from volunteers.pins import check_shape

    pin = check_shape(read_pin(f"New PIN for {name} (4 to 8 digits): "))
    if read_pin("The same PIN again: ") != pin:
        raise TillError("the two PINs are different; nothing was changed")
    return pin


def cmd_web_code(ctx: Context) -> int:
    """The code is shown once, to give to the volunteer: the database keeps only its hash."""
    from access.accounts import WebAccess
    from core.clock import system_clock
    from volunteers.permissions import Action

    args = ctx.args
    manager = allowed(ctx, args.by, Action.manage_volunteers)
    volunteer = ctx.till().volunteers.by_name(args.name)
    code = WebAccess.for_codes(ctx.db, system_clock).issue_staff_code(volunteer, by=manager.name)
    print(code)
    say(f"Give this code to {volunteer.name}: at the web back office's \"Use a code from the till\" they set "
        "their web password with it. It works once, for 14 days; any earlier code no longer works.")
    return 0


def cmd_list(ctx: Context) -> int:
    from volunteers.people import Volunteers

    for v in Volunteers(ctx.db).all():
        print(f"{v.id:>4}  {v.name}  ({v.roles_label.lower()})")
    return 0


def cmd_training_status(ctx: Context) -> int:
    from volunteers.certificates import Certificates
    from volunteers.people import Volunteers

    training, today = Certificates(ctx.db), ctx.till().today()
    for v in Volunteers(ctx.db).all():
        for c in training.certificates(v.id):
            ends = c.expires_on.isoformat() if c.expires_on else "does not expire"
            print(f"{v.name[:24]:<24} {c.kind[:20]:<20} {ends:<16} {c.state(today)}")
    return 0


def cmd_hours(ctx: Context) -> int:
    from core.csv_files import Writer
    from volunteers.permissions import Action, own_only

    args = ctx.args
    till = ctx.till()
    check_period(args)
    volunteer = signed(ctx, args.by)
    own = own_only(volunteer.roles, Action.see_hours)
    audited(ctx, volunteer, Action.see_hours, f"command line: volunteers hours {args.first} to {args.last}"
            f"{' (their own)' if own else ''}")
    rows = till.shifts.hours(args.first, args.last, credits_per_hour=ctx.settings.time_credits_per_hour,
                             volunteer_id=volunteer.id if own else None)
    if args.format == "csv":
        writer = Writer(sys.stdout)
        writer.writerow(["volunteer", "month", "shifts", "minutes", "hours", "credits", "shifts_to_check"])
        writer.writerows([r.name, r.month, r.shifts, r.minutes, r.hours, r.credits, r.to_check] for r in rows)
        return 0
    for r in rows:
        check = f"  ({r.to_check} to check: forgot to sign out)" if r.to_check else ""
        print(f"{r.name[:24]:<24} {r.month}  {r.shifts:>3} shifts {r.hours:>7} hours {r.credits:>4} credits{check}")
    total = sum(r.minutes for r in rows)
    print(f"{'Total':<24} {'':7}  {sum(r.shifts for r in rows):>3} shifts {total // 60:>4}:{total % 60:02d} hours")
    return 0


def cmd_manage(ctx: Context) -> int:
    """A manager's changes to the team; on a new database, the very first manager."""
    from volunteers.people import Volunteers, parse_roles
    from volunteers.permissions import Action

    args = ctx.args
    volunteers = Volunteers(ctx.db)
    if not volunteers.all(active_only=False):
        if args.action != "add" or "manager" not in args.role.split(","):
            raise TillError("the first volunteer must be a manager (till volunteers add NAME --role manager), "
                            "so someone can add the rest")
        added = volunteers.add(args.name, parse_roles(args.role), at=ctx.now(), pin=_new_pin(args.name))
        say(f"Added {added.name} ({added.roles_label.lower()}).")
        return 0
    if not args.by:
        raise TillError("say which manager is doing this with --by NAME")
    manager = allowed(ctx, args.by, Action.manage_volunteers)
    from volunteers.team import Team

    team = Team(ctx.till())
    if args.action == "training":
        from volunteers.certificates import Certificates

        volunteer = volunteers.by_name(args.name)
        Certificates(ctx.db).record(volunteer.id, args.kind, certified_on=args.certified,
                                    expires_on=args.expires, by=manager.id, at=ctx.now())
        say(f"Recorded {args.kind} for {volunteer.name}.")
        return 0
    if args.action == "add":
        added = team.add(args.name, parse_roles(args.role), _new_pin(args.name), operator_id=manager.id)
        say(f"Added {added.name} ({added.roles_label.lower()}).")
        return 0
    volunteer = volunteers.by_name(args.name)
    if args.action == "show":
        for key, value in team.profile(volunteer.id, operator_id=manager.id).items():
            print(f"{key:<18} {'' if value is None else value}")
    elif args.action == "retire":
        team.retire(volunteer.id, operator_id=manager.id)
        say(f"{volunteer.name} has left; their shifts and sales stay on record.")
    elif args.action == "edit":
        team.edit(volunteer.id, operator_id=manager.id, role=args.role, member_number=args.member,
                  emergency_contact=args.emergency_contact)
        say(f"Updated {volunteer.name}.")
    else:
        team.set_pin(volunteer.id, _new_pin(volunteer.name), operator_id=manager.id)
        say(f"{volunteer.name} has a new PIN.")
    return 0


def cmd_session(ctx: Context) -> int:
    from core.money import format_pence

    till = ctx.till()
    float_pence = amount(ctx.args.float_amount)
    operator = signed(ctx, ctx.args.operator)
    session = till.open_session(float_pence, operator_id=operator.id)
    say(f"{ctx.settings.till_id} is open for {session.business_date} with a float of "
        f"{format_pence(session.float_pence)}.")
    return 0


def cmd_rota(ctx: Context) -> int:
    from volunteers.rota import Rota

    till = ctx.till()
    rota = Rota(till)
    shifts = rota.week(ctx.args.week or till.today())
    if ctx.args.gaps:
        shifts = [p for p in shifts if p.gap]
    if not rota.slots():
        say("No shifts are planned yet: a shift lead adds them at the till (F10, then F5, then N).")
    for shift in shifts:
        print(shift.describe())
    return 0


def cmd_offers(ctx: Context) -> int:
    from volunteers.offers import Offers
    from volunteers.permissions import Action

    offers = Offers(ctx.till())
    if ctx.args.action == "offers":
        waiting = offers.waiting()
        if not waiting:
            say("No offers are waiting.")
        for offer in waiting:
            print(offer.describe())
        return 0
    lead = allowed(ctx, ctx.args.by, Action.manage_rota, record=False)  # the answer is audited as it is given
    if ctx.args.action == "accept":
        offer = offers.accept(ctx.args.number, operator_id=lead.id)
        say(f"{offer.name} is on the rota for {offer.on:%a %d %b} {offer.slot.starts}-{offer.slot.ends} "
            f"{offer.slot.label}.")
    else:
        offer = offers.decline(ctx.args.number, operator_id=lead.id)
        say(f"Declined {offer.name}'s offer for {offer.on:%a %d %b} {offer.slot.label}.")
    return 0
