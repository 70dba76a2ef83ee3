"""The treasurer's figures on the command line: `till vat return`, `till vat turnover` and `till year-end`.
Each needs a manager (--by NAME, asked for their PIN) and is audited."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.errors import TillError
from pos.cli.context import Context, allowed, check_period, output
from pos.cli.options import a_date, actions, by, date_help, period


def vat_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    done = action("return", "the nine boxes of the VAT return for a period, from every till's Zs", cmd_vat_return)
    period(done)
    done.add_argument("--json", action="store_true", help="JSON for bridging software, instead of text")
    by(done, "MANAGER", "the manager asking (asked for their PIN)")
    turnover = action("turnover", "the rolling 12 months' taxable turnover against the VAT registration threshold",
                      cmd_vat_turnover)
    turnover.add_argument("--to", dest="last", type=a_date, metavar="DATE",
                          help=date_help("the last day of the 12 months (default: today)"))
    turnover.add_argument("--json", action="store_true", help="JSON instead of text")
    by(turnover, "MANAGER", "the manager asking (asked for their PIN)")


def year_end_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_year_end)
    parser.add_argument("--year-ending", dest="last", type=a_date, required=True, metavar="DATE",
                        help=date_help("the society's year end, the last day of its twelve months"))
    parser.add_argument("--format", choices=["text", "csv", "json"], default="text")
    parser.add_argument("--out", type=Path, help="a file to write instead of the screen")
    by(parser, "MANAGER", "the manager asking (asked for their PIN)")


ARGUMENTS = {"vat": vat_arguments, "year-end": year_end_arguments}


def cmd_vat_return(ctx: Context) -> int:
    from pos.vat_return import render, vat_return
    from pos.vat_turnover import society_books
    from volunteers.permissions import Action

    args = ctx.args
    check_period(args)
    allowed(ctx, args.by, Action.vat_return)
    society = ctx.settings.society
    if not society.vat_registered:
        raise TillError("the society is not VAT registered (society.vat_registered in the settings), so it makes no "
                        "VAT return: `till vat turnover` shows how near it is to the registration threshold")
    with society_books(ctx.db, ctx.settings, "the VAT return") as books:
        found = vat_return(books, args.first, args.last, zone=ctx.settings.zone, vat_number=society.vat_number)
    print(json.dumps(found.model_dump(mode="json"), indent=2, ensure_ascii=False) if args.json else render(found),
          end="\n" if args.json else "")
    return 0


def cmd_vat_turnover(ctx: Context) -> int:
    from pos.vat_turnover import render, society_turnover
    from volunteers.permissions import Action

    args = ctx.args
    allowed(ctx, args.by, Action.vat_return)
    found = society_turnover(ctx.db, ctx.settings, args.last or ctx.till().today())
    if args.json:
        print(json.dumps({**found.model_dump(mode="json"), "percent": found.percent, "near": found.near}, indent=2))
    else:
        if ctx.settings.society.vat_registered:
            print("The society is VAT registered; this is its taxable turnover all the same.")
        print(render(found), end="")
    return 0


def cmd_year_end(ctx: Context) -> int:
    from pos.vat_turnover import society_books
    from pos.year_end import year_end
    from pos.year_end_text import render
    from volunteers.permissions import Action

    args = ctx.args
    allowed(ctx, args.by, Action.year_end)
    with society_books(ctx.db, ctx.settings, "the year end") as books:
        found = year_end(books, ctx.settings, args.last)
    with output(args.out) as out:
        out.write(render(found, args.format))
    return 0
