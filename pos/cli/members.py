"""`till members`, `till shares` and `till dividend`: the register of members, community shares and
the dividend on purchases."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.errors import TillError
from pos.cli.context import Context, allowed, amount, audited, authorised, check_period, output, print_slip, say, signed
from pos.cli.options import a_date, actions, by, date_help, file_to_write, period, positive

ASKING = "the shift lead or manager asking (PIN)"
DOING = "the shift lead or manager (PIN)"


def members_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    export = action("export", "the register (s.30), or with --duplicate names and addresses only (s.103)",
                    cmd_export)
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--duplicate", action="store_true", help="names and addresses only, no money")
    export.add_argument("--out", type=Path)
    by(export, help=ASKING)
    voters = action("voters", "members entitled to vote on a date", cmd_voters)
    voters.add_argument("--date", type=a_date, required=True, metavar="DATE", help=date_help("the day of the vote"))
    by(voters, help=ASKING)
    card = action("card", "save a member's card as a PNG (or print it)", cmd_card)
    card.add_argument("number")
    card.add_argument("--png", type=file_to_write, metavar="FILE")
    card.add_argument("--print", dest="print_it", action="store_true", help="print it on the receipt printer")
    card.add_argument("--reissue", action="store_true", help="make a new card (needed: the till keeps no copy of a card's code); the old card stops working")
    card.add_argument("--printer", metavar="SPEC", help="as for print-test (default: the settings)")
    by(card, help="the shift lead or manager doing it (asked for their PIN)")
    web = action("web-code", "print a one-time code on a slip for a member to sign up to the web back office "
                 "(any earlier code stops working)", cmd_web_code)
    web.add_argument("number")
    web.add_argument("--printer", metavar="SPEC", help="as for print-test (default: the settings)")
    by(web, help="the shift lead or manager doing it (asked for their PIN)")
    sar = action("sar", "everything held about one member, as JSON (a subject access request)", cmd_sar)
    sar.add_argument("number")
    sar.add_argument("--out", type=Path, metavar="FILE")
    by(sar, "MANAGER", "the manager answering it (PIN)")
    erase = action("erase", "erase a member's optional details (email, phone, under-5s, consent, date of birth); "
                   "the register entry and ledgers stay", cmd_erase)
    erase.add_argument("number")
    by(erase, "MANAGER", "the manager doing it (PIN)")
    update = action("update", "change a member's address, contacts, consent or how they take their dividend "
                    "(each change is kept with who and when)", cmd_member_change)
    update.add_argument("number")
    update.add_argument("--name")
    update.add_argument("--address")
    update.add_argument("--email", help="empty to remove it")
    update.add_argument("--email-purpose", dest="email_purpose", metavar="PURPOSE", help="e.g. 'AGM notices'")
    update.add_argument("--phone", help="empty to remove it")
    update.add_argument("--phone-purpose", dest="phone_purpose", metavar="PURPOSE")
    update.add_argument("--consent", choices=["yes", "no"], help="consent to be contacted")
    update.add_argument("--under5", choices=["yes", "no"], help="a household with children under 5")
    update.add_argument("--dividend", choices=["credit", "cash", "shares", "default"],
                        help="how they take their dividend ('default': the society's)")
    by(update, help=DOING)
    cease = action("cease", "end a membership without a withdrawal (expelled, died, asked to leave with no "
                   "shares left); the entry stays with its date ceased", cmd_member_change)
    cease.add_argument("number")
    cease.add_argument("--reason", required=True)
    by(cease, help=DOING)
    by(action("applications", "applications to join made on the web, not paid yet", cmd_applications), help=ASKING)
    join = action("join", "complete an application made on the web: its shares paid in cash into the open till",
                  cmd_applications)
    join.add_argument("--application", type=positive, required=True, metavar="N",
                      help="its number, from `till members applications`")
    by(join, help=DOING)
    credit = action("pay-credit", "pay a member's till credit out in cash from the open till (someone who has "
                    "left cannot spend it)", cmd_member_change)
    credit.add_argument("number")
    by(credit, help=DOING)


def shares_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    for name, help in (("buy", "more shares for a member, cash into the open till"),
                       ("request", "a member asks to withdraw shares")):
        change = action(name, help, cmd_shares)
        change.add_argument("number")
        change.add_argument("shares", type=positive)
        by(change)
    decide = action("decide", "record the board's decision on a request", cmd_shares)
    decide.add_argument("request", type=positive)
    decide.add_argument("decision", choices=["approved", "part_approved", "refused", "suspended"])
    decide.add_argument("--shares", type=positive, help="how many, for part_approved")
    by(decide)
    pay = action("pay", "pay an approved withdrawal from the open till", cmd_shares)
    pay.add_argument("request", type=positive)
    by(pay)
    by(action("withdrawals", "withdrawal requests and where they stand", cmd_withdrawals), help=ASKING)


def dividend_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    by(action("owed", "dividend parts declared as cash and not collected yet", cmd_owed), help=ASKING)
    pay = action("pay", "pay a part owed in cash from the open till, or --credit to give it as till credit (the "
                 "member's choice; the only way for an under-16)", cmd_pay_dividend)
    pay.add_argument("part", type=positive, help="the part's number, from `till dividend owed`")
    pay.add_argument("--credit", action="store_true")
    by(pay, help=DOING)
    for name, help in (("preview", "who would get what"), ("declare", "declare it and pay the parts")):
        run = action(name, help, cmd_dividend_run)
        period(run)
        run.add_argument("--sum", dest="sum_amount", required=True, metavar="POUNDS", help="the board's sum, e.g. 1500")
        if name == "preview":
            run.add_argument("--format", choices=["text", "csv"], default="text")
        run.add_argument("--all-tills", dest="all_tills", action="store_true",
                         help="on every till's purchases, from the office's consolidated copy (`till office pull`)")
        by(run, help="the shift lead or manager (asked for their PIN)")


ARGUMENTS = {"members": members_arguments, "shares": shares_arguments, "dividend": dividend_arguments}


# The register ------------------------------------------------------------------------------


def cmd_sar(ctx: Context) -> int:
    from access.member_self import everything_held
    from coop import personal_data
    from volunteers.permissions import Action

    args = ctx.args
    allowed(ctx, args.by, Action.manage_volunteers)
    document = everything_held(ctx.db, args.number, society=ctx.settings.society.name, made_at=ctx.now())
    with output(args.out) as out:
        out.write(personal_data.to_json(document))
    if args.out:
        say(f"Wrote everything held about {args.number} to {args.out}: answer within one month.")
    return 0


def cmd_erase(ctx: Context) -> int:
    from coop import personal_data
    from volunteers.permissions import Action

    args = ctx.args
    manager = allowed(ctx, args.by, Action.manage_volunteers)
    erased = personal_data.erase(ctx.db, args.number, at=ctx.now(), by=manager.name, today=ctx.till().today())
    say(f"Erased for {args.number}: {', '.join(erased) or 'nothing optional was held'}. The register entry, "
        "shares, credit and dividends stay, as the law requires.")
    return 0


def cmd_card(ctx: Context) -> int:
    from coop.cards import card_png
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    member = membership.register.by_number(args.number)
    if not (args.png or args.print_it):
        raise TillError("say where the card goes: --png FILE, --print, or both")
    if not args.reissue:
        # The register keeps only a keyed hash of each card's code (it spends the member's credit).
        raise TillError(f"the till keeps no copy of a card's code, so {member.number}'s card cannot be printed "
                        "again; add --reissue to make a new card (the old one stops working)")
    # A card carries a name and the token that identifies its holder: a shift lead's job.
    volunteer = allowed(ctx, args.by, Action.join_member, record=False)
    member = membership.register.reissue_card(member.id, at=ctx.now(), by=volunteer.name)
    audited(ctx, volunteer, Action.join_member, f"command line: members card {member.number}: card reissued "
            "(the old one no longer works)")
    say(f"{member.number} has a new card; the old one no longer works.")
    if args.png:
        card_png(member, args.png, society=ctx.settings.society.name)
        say(f"Saved the card for {member.number} to {args.png}: print it, then delete the file (it works as a key).")
    if args.print_it:
        from printers.receipt import Receipt, ReceiptLine

        try:
            print_slip(ctx, Receipt(header=[ctx.settings.society.name], title="MEMBER CARD",
                                    meta=[ReceiptLine(text="Member", amount=member.number),
                                          ReceiptLine(text="Name", amount=member.name)],
                                    qr=member.card_code, private=True), f"card-{member.number}")
        except TillError as error:  # the new card was never handed out: another one costs nothing
            raise TillError(f"{error}. Run the command again with --reissue when the printer is ready") from None
    return 0


def cmd_web_code(ctx: Context) -> int:
    from access.accounts import WebAccess
    from access.codes import VALID_FOR
    from core.clock import system_clock
    from printers.signup_slip import signup_slip
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    member = membership.register.by_number(args.number)
    # The slip opens the member's account: handing one out is a shift lead's job, as a card is.
    volunteer = allowed(ctx, args.by, Action.join_member)
    access = WebAccess.for_codes(ctx.db, system_clock)
    code = access.issue_member_code(member, by=volunteer.name, today=membership.today())
    until = (system_clock().astimezone(ctx.settings.zone) + VALID_FOR).strftime("%d/%m/%Y")
    try:
        print_slip(ctx, signup_slip(society=ctx.settings.society.name, number=member.number, name=member.name,
                                    code=code, valid_until=until), f"web-code-{member.number}")
    except TillError as error:
        # The till keeps only the code's hash, so there is nothing to print later: the code is voided
        # (nobody holds it) and a new one costs nothing, as with a member card.
        access.void_codes(member, reason="the slip did not print")
        raise TillError(f"{error}. No code was given out: run the command again when the printer is ready") from None
    say(f"Give the slip to {member.number}: its code works once, until {until}.")
    return 0


def cmd_applications(ctx: Context) -> int:
    from core.money import format_pence
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    # Applicants' names and addresses are personal data, as members' are.
    volunteer = allowed(ctx, args.by, Action.find_member if args.action == "applications" else Action.join_member)
    if args.action == "join":
        member = membership.join_application(args.application, operator_id=volunteer.id)
        held = membership.shares.held(member.id)
        say(f"{member.name} is member {member.number}: take {format_pence(held * membership.rules.share_value_pence)}"
            f" for {held} shares. Print their card with `till members card {member.number} --reissue`.")
        return 0
    waiting = membership.applications().pending()
    for application in waiting:
        print(f"{application.id:>5}  {application.made_at[:10]}  {application.shares:>4} shares  {application.name}, "
              f"{' '.join(application.address.split())}")
    say(f"{len(waiting)} applications waiting to be paid; `till members join --application N` completes one.")
    return 0


def cmd_voters(ctx: Context) -> int:
    from core.csv_files import Writer
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    # Names and addresses are personal data: a shift lead or manager asks, with their PIN.
    allowed(ctx, args.by, Action.find_member)
    voters = membership.register.all(on=args.date)
    writer = Writer(sys.stdout)
    writer.writerow(["number", "name"])
    writer.writerows([m.number, m.name] for m in voters)
    say(f"{len(voters)} members entitled to vote on {args.date.isoformat()} (one member, one vote).")
    return 0


def cmd_export(ctx: Context) -> int:
    from coop.register_export import DUPLICATE_COLUMNS, REGISTER_COLUMNS, duplicate_rows, register_rows
    from core.csv_files import DictWriter
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    # Names, addresses and holdings are personal data: a shift lead or manager asks, with their PIN.
    allowed(ctx, args.by, Action.find_member)
    if args.duplicate:
        rows, columns = duplicate_rows(membership.register), DUPLICATE_COLUMNS
    else:
        rows, columns = register_rows(membership.register, membership.shares, membership.dividends), REGISTER_COLUMNS
    with output(args.out) as out:
        if args.format == "json":
            out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        else:
            writer = DictWriter(out, columns)
            writer.writeheader()
            writer.writerows(rows)
    return 0


def cmd_member_change(ctx: Context) -> int:
    from core.money import format_pence
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    member = membership.register.by_number(args.number)
    action = Action.join_member if args.action == "update" else Action.share_payout
    volunteer = allowed(ctx, args.by, action)
    if args.action == "cease":
        ended = membership.cease_member(member, reason=args.reason, operator_id=volunteer.id)
        say(f"{ended.number} ceased to be a member on {ended.ceased_on}; the register keeps the entry.")
        return 0
    if args.action == "pay-credit":
        paid = membership.pay_out_credit(member, operator_id=volunteer.id)
        say(f"Pay {format_pence(paid)} of till credit to {member.number} from the till.")
        from pos.membership import credit_capped

        if credit_capped(ctx.db):
            say(f"That is all the till credit this till knows of for {member.number} as the office last counted; "
                "any more, at the office or another till, is paid out there.")
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
    say(f"Updated {member.number}: {', '.join(sorted(changes))}.")
    if "name" in changes and (twin := membership.register.look_alike(changes["name"], besides=member.id)):
        say(f"Note: {twin.number} is called '{twin.name}', which looks the same; check they are not one person.")
    return 0


# Shares ------------------------------------------------------------------------------------


def cmd_withdrawals(ctx: Context) -> int:
    from volunteers.permissions import Action

    membership = ctx.shop().membership
    authorised(ctx, signed(ctx, ctx.args.by), Action.find_member)
    for w in membership.shares.withdrawals():
        member = membership.register.get(w.member_id)
        state = ("paid " + w.paid_on.isoformat()) if w.paid_on else (
            w.decision.value.replace("_", " ") if w.decision else "waiting for the board")
        print(f"{w.id:>5}  {member.number}  {w.shares:>6} shares  asked {w.requested_on}  "
              f"notice ends {w.notice_ends}  {state}")
    return 0


def cmd_shares(ctx: Context) -> int:
    from coop.shares import Decision
    from core.database import transaction
    from core.money import format_pence
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    volunteer = signed(ctx, args.by)
    if args.action == "decide":  # the board's, who need not work the till
        authorised(ctx, volunteer, Action.decide_withdrawal)
    else:
        membership.till.seller(volunteer.id)
    if args.action == "buy":
        member = membership.register.by_number(args.number)
        paid = membership.buy_shares(member, args.shares, operator_id=volunteer.id)
        say(f"{member.number} bought {args.shares} shares: take {format_pence(paid)} into the till.")
    elif args.action == "request":
        member = membership.register.by_number(args.number)
        with transaction(ctx.db):  # two tills must not both pass the "already asked for" check
            request = membership.shares.request_withdrawal(member, args.shares, on=membership.today(),
                                                           at=ctx.now(), by=volunteer.name)
        say(f"Request {request.id}: {args.shares} shares for {member.number}; notice ends "
            f"{request.notice_ends}, then the board decides.")
    elif args.action == "decide":
        decided = membership.decide_withdrawal(args.request, Decision(args.decision), operator_id=volunteer.id,
                                               approved_shares=args.shares)
        say(f"Request {decided.id}: {decided.decision.value.replace('_', ' ')}"
            f" ({decided.approved_shares} shares).")
    else:
        paid = membership.pay_withdrawal(args.request, operator_id=volunteer.id)
        say(f"Pay {format_pence(paid)} from the till for request {args.request}.")
    return 0


# The dividend ------------------------------------------------------------------------------


def cmd_owed(ctx: Context) -> int:
    from core.money import format_pence
    from volunteers.permissions import Action

    membership = ctx.shop().membership
    allowed(ctx, ctx.args.by, Action.find_member)
    owed = membership.dividends.owed()
    for part in owed:
        print(f"{part.part_id:>6}  {part.number}  dividend {part.run} (to {part.period_to})  "
              f"{format_pence(part.amount_pence):>10}")
    say(f"{len(owed)} part{'s' if len(owed) != 1 else ''} owed in cash, "
        f"{format_pence(sum(p.amount_pence for p in owed))} in all.")
    return 0


def cmd_pay_dividend(ctx: Context) -> int:
    from core.money import format_pence
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    volunteer = allowed(ctx, args.by, Action.share_payout)
    paid = membership.pay_dividend(args.part, operator_id=volunteer.id, as_credit=args.credit)
    say(f"Gave {format_pence(paid)} as till credit." if args.credit else f"Pay {format_pence(paid)} from the till.")
    return 0


def _every_till(copy, ctx: Context):
    from pos.consolidated import membership as every_till

    return every_till(copy, ctx.settings)


def cmd_dividend_run(ctx: Context) -> int:
    """Preview a dividend, or declare it."""
    from core.csv_files import Writer
    from core.money import format_pence
    from volunteers.permissions import Action

    args = ctx.args
    membership = ctx.shop().membership
    check_period(args)
    sum_pence = amount(args.sum_amount)
    volunteer = allowed(ctx, args.by, Action.dividend)
    copy = None
    if args.all_tills:
        from pos.consolidated import copy_path, open_copy

        copy = open_copy(copy_path(ctx.settings.db), create=False)
    try:
        if args.action == "declare":
            run = membership.declare_dividend(args.first, args.last, sum_pence, operator_id=volunteer.id,
                                              over=copy and _every_till(copy, ctx))
            where = " on every till's purchases" if copy else ""
            say(f"Dividend {run} declared{where}: {format_pence(sum_pence)} for {args.first} to {args.last}.")
            return 0
        preview = (_every_till(copy, ctx) if copy else membership).preview_dividend(args.first, args.last, sum_pence)
    finally:
        if copy is not None:
            copy.close()
    if args.format == "csv":
        writer = Writer(sys.stdout)
        writer.writerow(["number", "name", "qualifying_pence", "part_pence", "payout"])
        writer.writerows([p.number, p.name, p.qualifying_pence, p.part_pence, p.payout.value] for p in preview.parts)
        return 0
    print(f"Dividend of {format_pence(sum_pence)} on {format_pence(preview.qualifying_pence)} of member "
          f"purchases, {args.first} to {args.last}")
    for part in preview.parts:
        print(f"{part.number}  {part.name[:30]:<30} {format_pence(part.qualifying_pence):>11} "
              f"{format_pence(part.part_pence):>10}  {part.payout.value}")
    return 0
