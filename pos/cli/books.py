"""The books on the command line: `till report` (X and Z), `till sales`, `till verify`, `till backup`
and `till restore`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from core.errors import TillError
from pos.cli.context import Context, allowed, amount, audited, check_period, counting, output, progress_bar, say, signed
from pos.cli.options import a_date, actions, by, date_help, period, runs


def sales_arguments(parser: argparse.ArgumentParser) -> None:
    export = actions(parser)("export", "one row per sale line, refunds negative", cmd_sales)
    period(export)
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--only-till", dest="only_till", metavar="ID", help="only this till's sales")
    export.add_argument("--all-tills", dest="all_tills", action="store_true",
                        help="every till's sales, from the office's consolidated copy (`till office pull`)")
    export.add_argument("--out", type=Path, help="a file to write instead of the screen")
    # Member numbers tie each member to everything they bought: only with a lead's or manager's PIN.
    by(export, help="a shift lead or manager (asked for their PIN), to include member numbers; "
                    "without it they are left out", required=False)


def backup_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_backup)
    parser.add_argument("destination", nargs="?", type=Path, metavar="DEST",
                        help="a file, or a folder for a dated copy (default: the setting backup.dir)")


def restore_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_restore)
    parser.add_argument("file", type=Path, metavar="FILE", nargs="?", help="the backup to restore")
    parser.add_argument("--from-hub", dest="from_hub", metavar="ID",
                        help="instead of a backup, rebuild this till (its till id, or node id) from the hub into a "
                             "new database at --db, as a new node; needs --admin")
    parser.add_argument("--admin", metavar="URL", help="with --from-hub: the hub owner's connection string")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    by(parser, "MANAGER", "the manager restoring (asked for their PIN)")


def verify_arguments(parser: argparse.ArgumentParser) -> None:
    runs(parser, cmd_verify)
    parser.add_argument("--expect", metavar="'#N HASH'", action="append", default=[],
                        help="a journal entry printed on a Z report (e.g. '#683 420eb82430fa'): it must still be "
                             "there, so the end of the journal cannot have been cut off; may be given more than once")
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="a folder of witnesses (default: the setting backup.dir): every journal head in its "
                             "head log and every backup there must still be in the journal, unchanged")


def report_arguments(parser: argparse.ArgumentParser) -> None:
    action = actions(parser, metavar="KIND")
    x = action("x", "the open session so far, with the cash the till expects (a shift lead or manager)",
               cmd_report)
    x.add_argument("--format", choices=["text", "json"], default="text")
    # The X shows the cash expected: whoever counts the drawer must not see it first (the blind count).
    by(x, help="the shift lead or manager asking (asked for their PIN)")
    z = action("z", "close the till with the counted cash, or show a past day's Z", cmd_report)
    z.add_argument("--date", type=a_date, metavar="DATE",
                   help=date_help("show the Z report of this trading day (default: the last Z)"))
    z.add_argument("--counted", metavar="AMOUNT", help="the cash counted in the drawer: closes the till")
    z.add_argument("--operator", help="who counted (needed with --counted)")
    z.add_argument("--format", choices=["text", "json"], default="text")
    z.add_argument("--all-tills", dest="all_tills", action="store_true",
                   help="every till's Zs of the day as one report, from the office's consolidated copy")


ARGUMENTS = {"sales": sales_arguments, "backup": backup_arguments, "restore": restore_arguments,
             "verify": verify_arguments, "report": report_arguments}


def cmd_sales(ctx: Context) -> int:
    from pos import sales_export
    from volunteers.permissions import Action

    args = ctx.args
    check_period(args)
    if args.by:
        volunteer = allowed(ctx, args.by, Action.export_sales, record=False)
        audited(ctx, volunteer, Action.export_sales, f"command line: sales export {args.first} to {args.last}"
                f"{f' (till {args.only_till})' if args.only_till else ''}, with member numbers")
    db = _consolidated(ctx) if args.all_tills else ctx.db
    rows = sales_export.sale_lines(db, args.first, args.last, zone=ctx.settings.zone, till_id=args.only_till)
    if not args.by:  # see --help: no note on stderr, which stays quiet when piped
        rows = ({**row, "member_number": None} for row in rows)
    write = sales_export.write_json if args.format == "json" else sales_export.write_csv
    with output(args.out) as out, progress_bar("Exporting sales") as update:
        if args.out:
            total = sales_export.count_lines(db, args.first, args.last, till_id=args.only_till)
            rows = counting(rows, total, update)
        count = write(rows, out)
    if args.out:
        say(f"Wrote {count} sale lines to {args.out}")
    if args.all_tills:
        from pos.consolidated import late_note

        say(late_note(db, "sales export", args.first, args.last, ctx.now()))
    return 0


def _consolidated(ctx: Context):
    """The office's consolidated copy, next to this till's database."""
    from pos.consolidated import copy_path, open_copy

    return open_copy(copy_path(ctx.settings.db), create=False)


def cmd_backup(ctx: Context) -> int:
    from core.backups import make_backup
    from core.clock import system_clock

    path = make_backup(ctx.db, ctx.args.destination or ctx.settings.backup.dir,
                       now=system_clock().astimezone(ctx.settings.zone),
                       warn=lambda why: say(f"Warning: {why}; the backup itself is made."))
    say(f"Backed up to {path} (checked).")
    return 0


def cmd_restore(ctx: Context) -> int:
    from core.backups import check_backup, restore
    from core.clock import system_clock
    from pos.database import migration_sets
    from volunteers.permissions import Action

    if ctx.args.from_hub:
        return _restore_from_hub(ctx)
    if ctx.args.file is None:
        raise TillError("name the backup FILE to restore, or rebuild from the hub with --from-hub ID --admin URL")
    found = check_backup(ctx.args.file, migration_sets())
    # Replacing the books can undo days of sales: a manager signs it. In the books there now when they
    # open (their PIN tries count there, refused = nothing changed); else in the books restored, which
    # are put back as they were if that manager is refused.
    current = _current_books(ctx)
    volunteer = _restoring_manager(ctx) if current else None
    say(f"{found.path}: a sound till database with {found.sales} sales, the last at {found.last_sale_at or 'none'}.")
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            raise TillError("add --yes to restore without being asked (nothing was changed)")
        kept = ("The current ones are kept aside." if Path(ctx.settings.db).expanduser().exists()
                else "There are no books there now.")
        answer = input(f"Replace the books in {ctx.settings.db} with it? {kept} Type yes: ")
        if answer.strip().casefold() != "yes":
            say("Nothing was changed.")
            return 1
    if volunteer is not None:
        audited(ctx, volunteer, Action.restore, f"command line: restore from {found.path}; these books are kept aside")
    ctx.close_db()
    target = Path(ctx.settings.db).expanduser()
    aside = restore(found.path, ctx.settings.db, now=system_clock().astimezone(ctx.settings.zone),
                    migration_sets=migration_sets())
    try:
        restored_by = ctx.till().volunteers.by_name(ctx.args.by) if current else _restoring_manager(ctx)
    except BaseException:
        ctx.close_db()
        _put_back(target, aside)
        raise
    # The row goes in the restored books, which are the books from now on.
    audited(ctx, restored_by, Action.restore, f"command line: restore from {found.path}")
    if aside is None:
        say(f"Restored into {ctx.settings.db}. There were no books there before, so none were kept aside.")
    else:
        say(f"Restored. The books as they were are kept in {aside}.")
    return 0


def _restore_from_hub(ctx: Context) -> int:
    """A till whose disk died, rebuilt from the hub under a new node id, its sale numbers resuming after a
    gap. The hub owner's connection string is the authority (the old books are gone); `--by` is recorded."""
    from hub.connect import connect
    from hub.restore import rebuild

    args = ctx.args
    if args.file is not None or not args.admin:
        raise TillError("--from-hub rebuilds from the hub instead of a FILE, and needs --admin URL")
    target = Path(ctx.settings.db).expanduser()
    if target.exists():
        raise TillError(f"there are books at {target} already: rebuild from the hub into a new database (--db)")
    from pos.database import open_database

    db = open_database(target)  # a new file: a new node id
    try:
        with connect(args.admin) as conn:
            done = rebuild(conn, db, args.from_hub, at=ctx.now())
    except BaseException:
        db.close()
        for made in target.parent.glob(f"{target.name}*"):  # nothing half made is left as books
            made.unlink()
        raise
    db.close()
    say(f"Rebuilt {done.till_id} into {target} from the hub ({done.records} records, {done.sales} sales), as a new "
        f"node; asked by {args.by}. Sale numbers resume at {done.resumes_at} (the hub's last was "
        f"{done.last_sale_number}). Names and personal details are not held at the hub: set them again.")
    if done.reopened_session:
        say("The session open when the till failed is open again; its float is not known: count the drawer at its Z.")
    say("What this till records now waits in this file: `till hub join URL` registers it at the hub again, in its "
        "old node's place.")
    return 0


def _current_books(ctx: Context) -> bool:
    """Whether there are books in place that open (not the damaged ones a restore usually replaces)."""
    import sqlite3

    from core.database import NoDatabase

    if not Path(ctx.settings.db).expanduser().exists():
        return False
    try:
        ctx.till().volunteers.all()
    except (TillError, NoDatabase, sqlite3.Error):
        ctx.close_db()
        return False
    return True


def _restoring_manager(ctx: Context):
    from volunteers.permissions import Action

    return allowed(ctx, ctx.args.by, Action.restore, record=False)


def _put_back(target: Path, aside: Path | None) -> None:
    """Undo a restore the manager was refused for: the books as they were (or none) are back in place."""
    import shutil

    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
        if aside is not None and (kept := aside.with_name(aside.name + suffix)).exists():
            shutil.move(kept, target.with_name(target.name + suffix))


def cmd_verify(ctx: Context) -> int:
    from core.books_check import check_file
    from core.database import NoDatabase
    from pos.database import migration_sets

    against = ctx.args.against
    if against is not None and not against.expanduser().is_dir():
        raise TillError(f"there is no folder {against} to check the books against")
    try:  # read only: verifying never changes the books it checks, nor a backup's bytes
        found = check_file(ctx.settings.db, migration_sets(), ctx.args.expect)
    except NoDatabase as error:
        raise TillError(f"{error}; check --db or TILL_DB") from None
    if found.damaged is not None:
        print(f"The database file is damaged: {found.damaged}")
        return 1
    witnesses = _witnesses(ctx, against or ctx.settings.backup.dir, given=against is not None)
    problems = found.problems + (witnesses.problems if witnesses else [])
    if problems:
        print(f"The books do not match the journal. First: {problems[0].what}.")
        for problem in problems[1:20]:
            print(f"  also: {problem.what}")
        if len(problems) > 20:
            print(f"  and {len(problems) - 20} more")
    else:
        tip = f"; the newest is #{found.newest[0]} {found.newest[1][:12]}" if found.newest else ""
        print(f"The books are as recorded: {found.entries} journal entries check out{tip}, and the database is "
              "sound.")
    if witnesses:
        _say_witnesses(witnesses)
    return 1 if problems else 0


def _witnesses(ctx: Context, folder: Path, *, given: bool):
    """The witnesses in the folder, checked; None (said why) when there are none to check."""
    from core.witness import HEAD_LOG, check_file_against

    folder = folder.expanduser()
    if not given and not (folder / HEAD_LOG).is_file():
        say(f"No witnesses were checked: there is no head log in the backup folder {folder}. Give a folder of "
            "backups with --against DIR.")
        return None
    return check_file_against(ctx.settings.db, folder)


def _say_witnesses(found) -> None:
    lines = f"{found.lines} head log line{'s' if found.lines != 1 else ''}"
    backups = f"{found.backups} backup{'s' if found.backups != 1 else ''}"
    if not found.checked:
        print(f"No witnesses in {found.folder} belong to these books.")
    elif found.problems:
        print(f"Checked against {lines} and {backups} in {found.folder}: {len(found.problems)} disagree.")
    else:
        newest = f", the newest {found.newest}" if found.newest else ""
        print(f"They match every witness in {found.folder}: {lines} and {backups}{newest}.")
    for note in found.notes:
        print(f"Not checked: {note}.")


def _after_z(ctx: Context) -> None:
    closing = ctx.shop().after_z()
    if closing.purged:
        say(f"Past the retention period: optional details removed for {', '.join(closing.purged)}.")
    if closing.unwitnessed:
        say(f"Warning: the Z is done, but {closing.unwitnessed}. `till verify` still checks the Z's seal.")
    if closing.backup is None:
        return
    try:
        path = closing.backup()
    except TillError as error:
        say(f"Warning: the Z is done, but the automatic backup failed: {error}. Run `till backup DEST`.")
        return
    say(f"Backed up to {path}.")


def cmd_report(ctx: Context) -> int:
    from pos.report_text import render_report
    from pos.reports import session_report, sessions_on

    args = ctx.args
    if args.action == "z" and args.all_tills:
        return _all_tills_z(ctx)
    till = ctx.till()
    if args.action == "x":
        from volunteers.permissions import Action

        session = till.current_session()
        if session is None:
            raise TillError(f"{till.till_id} is not open, so there is no X report; "
                            "use `till report z --date DATE` for a closed day")
        allowed(ctx, args.by, Action.z_report)
        ids = [session.id]
    elif args.counted is not None:
        if args.date:
            raise TillError("--counted closes today's till; it cannot go with --date")
        if not args.operator:
            raise TillError("say who counted the cash with --operator NAME")
        counted = amount(args.counted)
        operator = signed(ctx, args.operator)
        ids = [till.close_session(counted, operator_id=operator.id).id]
        _after_z(ctx)
    else:
        day = args.date
        if day is None:  # the last Z, whether or not the till has been opened again since
            from pos.reports import last_z_date

            last = last_z_date(ctx.db, till.till_id)
            if last is None:
                closing = (" (it is open now: count the drawer, then run "
                           "`till report z --counted AMOUNT --operator NAME`)") if till.current_session() else ""
                raise TillError(f"{till.till_id} has no Z reports yet{closing}")
            day = date.fromisoformat(last)
            if till.current_session() is not None:
                say(f"{till.till_id} is open now; this is the last Z, of {last}.")
        ids = sessions_on(ctx.db, till.till_id, day.isoformat())
        if not ids:
            raise TillError(f"{till.till_id} has no Z report for {day.isoformat()}")
        if len(ids) > 1:
            say(f"{till.till_id} was closed {len(ids)} times on {day.isoformat()}: "
                "this report is those Zs together.")
    report = session_report(ctx.db, ids, zone=ctx.settings.zone,
                            vat_registered=ctx.settings.society.vat_registered)
    if args.format == "json":
        print(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render_report(report, shop_name=ctx.settings.society.name, notes=_notes(ctx, report)), end="")
    return 0


def _all_tills_z(ctx: Context) -> int:
    from pos import consolidated
    from pos.report_text import render_report

    args = ctx.args
    if args.counted is not None:
        raise TillError("--counted closes this till; it cannot go with --all-tills")
    db = _consolidated(ctx)
    day = args.date or consolidated.last_day(db)
    if day is None:
        raise TillError("the consolidated copy has no Z reports yet (pull from the hub with `till office pull`)")
    report = consolidated.z_report(db, day, zone=ctx.settings.zone, vat_registered=ctx.settings.society.vat_registered)
    if args.format == "json":
        print(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render_report(report, shop_name=ctx.settings.society.name, notes=_notes(ctx, report)), end="")
    say(consolidated.late_note(db, "z", day, day, ctx.now()))
    return 0


def _notes(ctx: Context, report) -> list[str]:
    """The VAT threshold's warning under an X or Z, as on the screen."""
    from pos.vat_turnover import report_warning

    found = report_warning(ctx.db, ctx.settings, date.fromisoformat(report.date))
    return [found] if found else []
