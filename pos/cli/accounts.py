"""`till accounts export`: the treasurer's double-entry journals (accounts/), for Xero, beancount or a
spreadsheet, from this till's books or, with --all-tills, the office's consolidated copy."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.errors import TillError
from pos.cli.context import Context, allowed, audited, check_period, output, say
from pos.cli.options import actions, by, period


def accounts_arguments(parser: argparse.ArgumentParser) -> None:
    export = actions(parser)("export", "one balanced journal per Z and a daily one for the co-op's money "
                             "outside the till (a manager)", cmd_export)
    period(export)
    export.add_argument("--format", choices=["beancount", "xero", "csv"], default="csv")
    export.add_argument("--all-tills", dest="all_tills", action="store_true",
                        help="every till's, from the office's consolidated copy (`till office pull`)")
    export.add_argument("--out", type=Path, metavar="F",
                        help="a file to write instead of the screen (Xero: F, F-2, F-3 … of at most 300 lines each)")
    by(export, "MANAGER", "the manager exporting (asked for their PIN)")


ARGUMENTS = {"accounts": accounts_arguments}


def cmd_export(ctx: Context) -> int:
    from accounts import beancount, plain_csv
    from accounts.chart import Chart
    from accounts.journals import export
    from volunteers.permissions import Action

    args = ctx.args
    check_period(args)
    volunteer = allowed(ctx, args.by, Action.accounts_export, record=False)
    db = ctx.db
    if args.all_tills:
        from pos.consolidated import copy_path, open_copy

        db = open_copy(copy_path(ctx.settings.db), create=False)
    settings = ctx.settings  # after ctx.db: on a hub, with the society's chart of accounts
    chart = Chart(settings.accounts)
    found = export(db, args.first, args.last, chart=chart, zone=settings.zone,
                   vat_registered=settings.society.vat_registered, share_value_pence=settings.coop.share_value_pence)
    audited(ctx, volunteer, Action.accounts_export, f"command line: accounts export {args.first} to {args.last} "
            f"as {args.format}{' for every till' if args.all_tills else ''}")
    if args.format == "xero":
        _xero(found, chart, args.out)
    else:
        with output(args.out) as out:
            if args.format == "beancount":
                beancount.write(found, out, chart=chart, first=args.first, last=args.last)
            else:
                plain_csv.write(found, out, chart=chart)
        if args.out:
            say(f"Wrote {len(found.journals)} journals to {args.out}.")
    for sentence in found.unfinished:
        say(f"Note: {sentence}.")
    if found.suspense:
        total = sum(posting.amount for _, posting in found.suspense)
        say(f"{len(found.suspense)} lines went to the suspense account {chart['suspense'].name} "
            f"(code {chart['suspense'].code}), {total / 100:+.2f} in all, for the treasurer to place: "
            + "; ".join(f"{journal.narration}: {posting.description}" for journal, posting in found.suspense[:10]))
    if args.all_tills:
        from pos.consolidated import late_note

        say(late_note(db, "accounts export", args.first, args.last, ctx.now()))
    return 0


def _xero(found, chart, path: Path | None) -> None:
    from accounts import xero

    batches = xero.batches(found)
    if path is None:
        if len(batches) > 1:
            raise TillError(f"the Xero journals need {len(batches)} files of at most {xero.MOST_LINES} lines: "
                            "name the first with --out")
        with output(None) as out:
            xero.write(batches[0], out, chart=chart)
        return
    files = xero.names(path, len(batches))
    for journals, name in zip(batches, files, strict=True):
        with output(name) as out:
            xero.write(journals, out, chart=chart)
    say(f"Wrote {len(found.journals)} journals in {len(files)} Xero files: {', '.join(str(f) for f in files)}.")
