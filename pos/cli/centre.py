"""`till services` and `till footfall`: the area's service directory, and the children's centre's figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.errors import TillError
from pos.cli.context import Context, allowed, audited, check_period, output, read_bytes, say
from pos.cli.options import actions, by, period


def services_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    imports = action("import", "import services from ORUK JSON (an API v3 or v1 /services page, a list or one "
                     "service) or the HSDS services.csv layout; all or nothing", cmd_services_import)
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE",
                         help="one file, or every page of the feed together")
    imports.add_argument("--directory", default=None,
                         help="the directory's name in signposting records (default: the setting centre.directory)")
    by(imports, help="the shift lead or manager importing it (asked for their PIN)")
    listing = action("list", "the services volunteers can signpost to", cmd_services_list)
    listing.add_argument("--all", action="store_true", help="retired and inactive ones too")


def footfall_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser)
    export = action("export", "daily, weekly and monthly counts under disclosure control, for whole weeks (Monday "
                    "to Sunday) or whole calendar months that have ended: no names, small numbers hidden",
                    cmd_footfall)
    period(export)
    export.add_argument("--format", choices=["csv", "json", "html"], default="csv")
    _all_tills(export)
    export.add_argument("--out", type=Path, default=None, metavar="FILE")
    export.add_argument("--folder", type=Path, default=None, metavar="DIR",
                        help="write all three layouts there instead (a USB stick is a folder): for whole weeks "
                             "(Monday to Sunday) or whole calendar months that have ended, as from the Reports screen")
    report = action("report", "the Reports screen's figures and charts as text", cmd_footfall)
    period(report)
    report.add_argument("--controlled", action="store_true",
                        help="every figure under disclosure control, as centre staff see it (whole weeks or months "
                        "that have ended only: it is recorded as released)")
    _all_tills(report)
    # Uncontrolled small counts can point at a family: a shift lead or manager (or centre staff, who
    # always get them under disclosure control) signs with their PIN, and the look is audited.
    by(report, help="the shift lead, manager or centre staff asking (asked for their PIN)")


def _all_tills(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all-tills", dest="all_tills", action="store_true",
                        help="every till's figures, from the office's consolidated copy (`till office pull`), under "
                        "the office's disclosure control and release record")


ARGUMENTS = {"services": services_arguments, "footfall": footfall_arguments}


def cmd_services_list(ctx: Context) -> int:
    from centre.directory import Directory

    directory = Directory(ctx.db)
    for service in (directory.all() if ctx.args.all else directory.offered()):
        state = "" if service.offered else ("  (retired)" if service.retired else f"  ({service.status})")
        by = f"  - {service.organization_name}" if service.organization_name else ""
        print(f"{service.name}{by}{state}")
    return 0


def cmd_services_import(ctx: Context) -> int:
    from centre.directory import Directory, read_services
    from volunteers.permissions import Action

    volunteer = allowed(ctx, ctx.args.by, Action.import_services, record=False)
    directory = Directory(ctx.db)
    files = [(path.name, read_bytes(path)) for path in ctx.args.files]
    parsed = read_services(files)
    for line in parsed.read:
        say(f"Read {line}.")
    summary = directory.import_services(parsed.records, directory=ctx.args.directory or
                                        ctx.settings.centre.directory, at=ctx.now())
    audited(ctx, volunteer, Action.import_services,
            f"command line: services import {', '.join(name for name, _ in files)}: {summary.created} new, "
            f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.retired} retired")
    say(f"Imported: {summary.created} new, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.retired} retired. {summary.offered} services can be signposted to.")
    return 0


def cmd_footfall(ctx: Context) -> int:
    args = ctx.args
    check_period(args)
    if (args.last - args.first).days > 366 * 3:
        raise TillError("export at most three years at a time")
    source = _source(ctx)
    try:
        return _footfall(ctx, source)
    finally:
        if source is not ctx.db:
            source.close()


def _source(ctx: Context):
    """Where the figures are counted: this till's books, or with --all-tills the office's consolidated copy
    (what is released is recorded in this till's books either way)."""
    if not getattr(ctx.args, "all_tills", False):
        return ctx.db
    from pos.consolidated import copy_path, open_copy

    return open_copy(copy_path(ctx.settings.db), create=False)


def _footfall(ctx: Context, source) -> int:
    from centre.export import prepare, to_csv, to_html, to_json, whole_period
    from centre.figures import gather
    from core.clock import system_clock
    from pos.consolidated import release_kind

    args = ctx.args
    all_tills = getattr(args, "all_tills", False)
    if getattr(args, "folder", None) is not None:
        if all_tills:
            raise TillError("--all-tills writes one layout at a time (--format and --out), not a --folder")
        from centre.export import export_to_folder

        exported = export_to_folder(ctx.db, args.first, args.last, args.folder, zone=ctx.settings.zone,
                                    threshold=ctx.settings.centre.disclosure_threshold,
                                    society=ctx.settings.society.name,
                                    generated_at=system_clock().astimezone(ctx.settings.zone))
        say(f"Wrote {', '.join(str(path) for path in exported.files)}: counts only, "
            f"figures under {ctx.settings.centre.disclosure_threshold} hidden.")
        return 0
    now = system_clock().astimezone(ctx.settings.zone)
    threshold = ctx.settings.centre.disclosure_threshold
    figures = gather(source, args.first, args.last, zone=ctx.settings.zone)
    if args.action == "report":
        from centre.figures import society_figures
        from centre.report_text import reach_text
        from volunteers.permissions import Action, under_control

        volunteer = allowed(ctx, args.by, Action.view_reports, record=False)
        controlled = args.controlled or under_control(volunteer.roles, Action.view_reports)
        published = None
        if controlled:  # figures under disclosure control have left the café: whole ended periods, recorded
            whole_period(args.first, args.last, today=now.date())
            published = prepare(ctx.db, figures, threshold=threshold, society=ctx.settings.society.name,
                                generated_at=now, kind=release_kind("screen", all_tills=all_tills))
        audited(ctx, volunteer, Action.view_reports, f"command line: footfall report {args.first} to {args.last}"
                f"{' (all tills)' if all_tills else ''}{' under disclosure control' if controlled else ', small counts shown'}")
        society = society_figures(source, args.first, args.last, zone=ctx.settings.zone)
        print(reach_text(figures, society, published=published, threshold=threshold), end="")
        return 0
    whole_period(args.first, args.last, today=now.date())
    published = prepare(ctx.db, figures, threshold=threshold, society=ctx.settings.society.name, generated_at=now,
                        kind=release_kind("export", all_tills=all_tills))
    text = {"csv": to_csv, "json": to_json, "html": to_html}[args.format](published)
    with output(args.out) as out:
        out.write(text)
    if args.out:
        say(f"Wrote {args.out}: counts only, figures under {ctx.settings.centre.disclosure_threshold} hidden.")
    return 0
