"""The office's consolidated books: every till's records in one copy (hub/office.py), read by the same
reports and exports as a till's own file, each written once.

The copy is a file next to the office's till database (`till.db` → `till-consolidated.db`), made with the
till's own tables, so a Z, the sales export, the dividend preview and the centre's figures run on it as
they are. A consolidated Z of a day is the till's Z over every till's sessions of that day: its sums are
the sums of the tills' own Zs, to the penny.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.errors import TillError
from pos.reports import TillReport, session_report

#: What a consolidated report calls its till.
ALL_TILLS = "all tills"


def copy_path(till_db: Path | str) -> Path:
    """The consolidated copy that goes with the office's till database."""
    path = Path(till_db).expanduser()
    return path.with_name(f"{path.stem}-consolidated{path.suffix or '.db'}")


def open_copy(path: Path | str, *, create: bool = True) -> Database:
    """The consolidated copy at `path`, ready to be pulled into and read (never a till: see hub/office.py)."""
    from core.database import NoDatabase
    from hub.office import prepare
    from pos.database import open_database

    path = Path(path).expanduser()
    if not create and not path.exists():
        raise NoDatabase(f"there is no consolidated copy at {path} yet: run `till office pull --admin URL` first")
    return prepare(open_database(path, create=create))


def sessions_on(db: Database, day: date) -> list[int]:
    """Every till's closed sessions (Zs) of one trading day, in (till, opening time) order."""
    return [row[0] for row in db.execute(
        "select id from till_sessions where business_date = ? and closed_at is not null order by till_id, opened_at, id",
        [day.isoformat()])]


def last_day(db: Database) -> date | None:
    row = db.execute("select max(business_date) from till_sessions where closed_at is not null").fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def z_report(db: Database, day: date, *, zone: ZoneInfo, vat_registered: bool) -> TillReport:
    """Every till's Zs of `day` as one report (TillError when no till has one in the copy)."""
    ids = sessions_on(db, day)
    if not ids:
        raise TillError(f"no till has a Z report for {day.isoformat()} in the consolidated copy (pull from the hub "
                        "with `till office pull --admin URL`)")
    report = session_report(db, ids, zone=zone, vat_registered=vat_registered)
    tills = sorted({row[0] for row in db.execute(
        f"select till_id from till_sessions where id in ({','.join('?' * len(ids))})", ids)})
    return report.model_copy(update={"till": ALL_TILLS if len(tills) > 1 else tills[0]})


def late_note(db: Database, report: str, first: date, last: date, at: str) -> str:
    """The sentence saying how many records arrived late for these days since this report was last
    produced; and this production is noted."""
    from hub.office import late_since, produced

    late = late_since(db, report, first.isoformat(), last.isoformat())
    produced(db, report, first.isoformat(), last.isoformat(), at)
    if not late:
        return "No records arrived late for these days since this was last produced."
    return (f"{late} records arrived late (after a report had covered their day) since this was last produced: "
            "they are counted in their own days.")


def membership(db: Database, settings):
    """The co-op's register and dividend over the copy: every till's purchases, the society's members (their
    names from the office's own register, filled in at each pull)."""
    from pos.membership import Membership
    from pos.till import Till

    return Membership(db, Till(db, till_id=ALL_TILLS, zone=settings.zone), settings.coop)


def release_kind(kind: str, *, all_tills: bool) -> str:
    """The kind to record a release of the centre's figures under: every till's are recorded as such, so
    `centre.release.release` can refuse to mix them with this till's alone over the same days."""
    from centre.release import ALL_TILLS

    return kind + ALL_TILLS if all_tills else kind
