"""`till demo` and `till demo-data`: a throwaway demo shop, and simulated days of trade."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from pos.cli.context import Context, progress_bar, run_screen, say
from pos.cli.options import a_date, date_help, positive, runs, whole


def demo_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_demo)
    parser.add_argument("--days", type=positive, default=21)
    parser.add_argument("--seed", type=whole, default=1)
    parser.add_argument("--keep", action="store_true",
                        help="keep the demo shop's folder when the demo ends (it says where); otherwise it is removed")
    parser.add_argument("--no-screen", action="store_true",
                        help="print the last day's Z report instead of opening the till screen")


def demo_data_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_demo_data)
    parser.add_argument("--days", type=positive, default=14, help="how many days to simulate (default 14)")
    parser.add_argument("--seed", type=whole, default=1, help="the same seed gives the same shop")
    parser.add_argument("--until", type=a_date, default=None, metavar="DATE",
                        help=date_help("the last day to simulate (default: yesterday)"))


ARGUMENTS = {"demo": demo_arguments, "demo-data": demo_data_arguments}


def demo_settings(settings, folder: Path):
    """The settings for a demo shop in `folder`: every file it writes (the database, receipts, the backup
    after each Z) goes in there, so a demo never touches the real shop's folders (a demo Z's backup in
    the real backups would push out a real one: only the newest 14 are kept)."""
    from pos.config import WhatsOn

    return settings.model_copy(update={
        "db": folder / "demo.db", "receipts_dir": folder / "receipts", "card_key_file": folder / "card-key",
        "backup": settings.backup.model_copy(update={"dir": folder / "backups"}),
        "web": settings.web.model_copy(update={"secret_file": folder / "web-secret"}),
        "society": settings.society.model_copy(update={
            "name": "Green Lane Community Café (demo)", "address": "Green Lane Children's Centre"}),
        # So a newcomer can try paying with the time credits the simulated shifts earned.
        "time_credit_categories": settings.time_credit_categories or ["Hot drinks", "Hot food"],
        "centre": settings.centre.model_copy(update={"whats_on": settings.centre.whats_on or [
            WhatsOn(text="Stay and play, Tuesdays and Thursdays 10-11:30"),
            WhatsOn(text="Baby weigh-in with the health visitor, Wednesdays 1-3"),
            WhatsOn(text="Free English classes with a creche, Mondays 10-12"),
        ]}),
    })


def cmd_demo(ctx: Context) -> int:
    args = ctx.args
    if getattr(args, "db", None) is not None:  # a demo on a database someone named is theirs to keep
        return _demo(ctx, kept=True)
    folder = Path(tempfile.mkdtemp(prefix="community-till-demo-"))
    ctx.settings = demo_settings(ctx.settings, folder)
    say(f"Demo shop: {folder} (throwaway{'; kept at the end' if args.keep else ', removed at the end'})")
    try:
        return _demo(ctx, kept=args.keep)
    finally:
        ctx.close_db()
        if args.keep:
            say(f"The demo shop is kept in {folder}.")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _demo(ctx: Context, *, kept: bool) -> int:
    args = ctx.args
    summary = _simulate(ctx, days=args.days, seed=args.seed, until=None)
    if not args.no_screen:
        from pos.demo import give_demo_pins

        pins = give_demo_pins(ctx.db)
        return run_screen(ctx, demo_pins=pins)
    from pos.report_text import render_report
    from pos.reports import last_z_date, session_report, sessions_on

    day = last_z_date(ctx.db, ctx.settings.till_id)
    report = session_report(ctx.db, sessions_on(ctx.db, ctx.settings.till_id, day),
                            zone=ctx.settings.zone, vat_registered=ctx.settings.society.vat_registered)
    print(render_report(report, shop_name=ctx.settings.society.name))
    see = (f"See any day with: till --db {ctx.settings.db} report z --date {day}" if kept
           else "Add --keep to keep the demo shop and look at any day with `till report z --date DATE`.")
    say(f"{summary.sales} sales over {summary.days} days. {see}")
    return 0


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
    say(f"Simulated {summary.days} days: {summary.sales} sales, {summary.refunds} refunds, "
        f"{summary.voids} voids, {summary.members} new members{skipped}.")
    if summary.new_volunteers:
        from pos.demo import give_demo_pins
        from volunteers.people import Volunteers

        # Without PINs nobody could sign in, so every command with --by or --operator would be closed to the demo.
        # Only for volunteers this run made up: a real shop's people keep the PINs they chose.
        volunteers = Volunteers(ctx.db)
        for volunteer_id, pin in give_demo_pins(ctx.db).items():
            volunteer = volunteers.get(volunteer_id)
            say(f"{volunteer.name} ({volunteer.roles_label.lower()}): {pin}")
    return 0
