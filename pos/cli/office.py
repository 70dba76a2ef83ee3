"""`till office …`: the office's consolidated copy of every till's records, pulled from the hub.

The pulling is hub/office.py; the reports on the copy are the till's own (`till report z --all-tills`,
`till sales export --all-tills`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pos.cli.context import Context, say
from pos.cli.options import actions

_ADMIN = ("the hub owner's PostgreSQL connection string (the one `till hub init` was given), e.g. "
          "'postgresql://treasurer@hub.example.org/till?sslmode=verify-full'")


def office_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    pull = action("pull", "take every till's new records from the hub into the consolidated copy", cmd_pull)
    pull.add_argument("--admin", required=True, metavar="URL", help=_ADMIN)
    sums = action("balances", "each member's till credit, each volunteer's time credits and the pay-it-forward "
                  "pool across every till, as the copy has them (a manager)", cmd_balances)
    sums.add_argument("--flagged", action="store_true", help="only what went below zero, and stock below zero")
    sums.add_argument("--by", required=True, metavar="NAME", help="the manager asking (asks for their PIN)")


ARGUMENTS = {"office": office_arguments}


def cmd_pull(ctx: Context) -> int:
    from hub.connect import connect
    from hub.office import pull, tills
    from pos.consolidated import copy_path, open_copy

    path = copy_path(ctx.settings.db)
    copy = open_copy(path)
    try:
        with connect(ctx.args.admin) as conn:
            own = Path(ctx.settings.db).expanduser()
            done = pull(conn, copy, own=str(own) if own.exists() else None)
        for till_id, _node, pulled_at in tills(copy):
            print(f"{till_id}: {done.tills.get(till_id, 0)} new records (pulled {pulled_at or 'never'}).")
        published, flags = _publish(ctx, copy, conn=ctx.args.admin)
        decisions = _send_decisions(ctx, conn=ctx.args.admin) if own.exists() else 0
    finally:
        copy.close()
    say(f"The consolidated copy {path} has every till's records the hub holds"
        + (f"; {done.late} of them arrived late, for days already reported." if done.late else "."))
    say(f"The society's balances are at the hub for every till to fetch ({published} figures)."
        + (f" {len(flags)} went below zero: `till office balances --flagged --by NAME` lists them." if flags else ""))
    if decisions:
        say(f"The board's {decisions} decisions on withdrawals asked for at other tills are at the hub: each till "
            "records those on its own requests at its next round.")
    for flagged in done.flagged[:20]:
        say(f"Left out, as the hub flagged it: {flagged}.")
    return 0


def _count(ctx: Context, copy):
    from core.clock import local_date, system_clock
    from pos.config import society_settings
    from pos.office_balances import count

    # The society's time credits an hour, as every till earns them, not this machine's file's (pos/config.py).
    settings = society_settings(ctx.settings, ctx.db) if Path(ctx.settings.db).expanduser().exists() else ctx.settings
    return count(copy, zone=settings.zone, per_hour=settings.time_credits_per_hour,
                 today=local_date(system_clock(), settings.zone))


def _publish(ctx: Context, copy, *, conn: str):
    """Count the balances in the copy and put them at the hub, where each till fetches them."""
    from hub.balances import flagged, publish
    from hub.connect import connect

    counted = _count(ctx, copy)
    with connect(conn) as hub:
        published = publish(hub, copy, counted)
    return published, flagged(copy, counted)


def _send_decisions(ctx: Context, *, conn: str) -> int:
    """The board's decisions on other tills' requests, from the office's own ledger to the hub (hub/board.py)."""
    from coop.board_elsewhere import sent
    from hub.board import publish
    from hub.connect import connect

    with connect(conn) as hub:
        return publish(hub, [one.row() for one in sent(ctx.db)])


def flags(ctx: Context) -> list:
    """What went below zero in the office's consolidated copy."""
    from hub.balances import flagged
    from pos.consolidated import copy_path, open_copy

    copy = open_copy(copy_path(ctx.settings.db), create=False)
    try:
        return flagged(copy, _count(ctx, copy))
    finally:
        copy.close()


def cmd_balances(ctx: Context) -> int:
    from core.money import format_pence
    from hub.balances import flagged
    from pos.cli.context import allowed
    from pos.consolidated import copy_path, open_copy
    from volunteers.permissions import Action

    allowed(ctx, ctx.args.by, Action.manage_volunteers)
    copy = open_copy(copy_path(ctx.settings.db), create=False)
    try:
        counted = _count(ctx, copy)
        flags = flagged(copy, counted)
        if not ctx.args.flagged:
            totals: dict[tuple[str, int], int] = {}
            for (kind, ref_id, _node), amount in counted.items():
                totals[(kind, ref_id)] = totals.get((kind, ref_id), 0) + amount
            for (kind, ref_id), amount in sorted(totals.items()):
                shown = format_pence(amount) if kind == "credit" else str(amount)
                print(f"{kind}\t{ref_id}\t{shown}")
    finally:
        copy.close()
    for flag in flags:
        print(f"FLAGGED: {flag.sentence}")
    if not flags:
        say("Nothing went below zero across the tills.")
    return 0
