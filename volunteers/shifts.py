"""Volunteers' shifts: from signing in to signing out, closed by the Z when someone forgot
(flagged, never silently counted as a long day), corrected by a manager as a new record,
and added up into hours and time credits per volunteer per month."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlite_utils import Database

from core.clock import UTC, from_stamp, stamp
from core.errors import TillError


def as_hours(minutes: int) -> str:
    """Minutes as hours and minutes, the way a rota reads: 90 → '1:30'."""
    return f"{minutes // 60}:{minutes % 60:02d}"


class Shift(BaseModel):
    id: int
    volunteer_id: int
    till_id: str
    started_at: str
    ended_at: str | None
    needs_check: bool
    corrected: bool

    @property
    def minutes(self) -> int:
        """Worked out in UTC, so a shift across a clock change counts the hours really given."""
        if self.ended_at is None:
            return 0
        return int((from_stamp(self.ended_at) - from_stamp(self.started_at)).total_seconds() // 60)


class HoursRow(BaseModel):
    volunteer_id: int
    name: str
    month: str
    shifts: int
    minutes: int
    credits: int
    to_check: int

    @property
    def hours(self) -> str:
        return as_hours(self.minutes)


# The latest correction wins; without one, the shift as recorded.
_EFFECTIVE = """
select s.id, s.volunteer_id, s.till_id,
       coalesce(c.started_at, s.started_at) as started_at,
       coalesce(c.ended_at, s.ended_at) as ended_at,
       s.needs_check and c.id is null as needs_check,
       c.id is not null as corrected
from shifts s
left join shift_corrections c on c.id = (select max(id) from shift_corrections where shift_id = s.id)
"""


class Shifts:
    def __init__(self, db: Database, zone: ZoneInfo):
        self.db = db
        self.zone = zone

    def _shifts(self, where: str = "", params: list | None = None) -> list[Shift]:
        rows = self.db.query(f"select * from ({_EFFECTIVE}) {where} order by started_at, id", params or [])
        return [Shift(**{**r, "needs_check": bool(r["needs_check"]), "corrected": bool(r["corrected"])})
                for r in rows]

    def get(self, shift_id: int) -> Shift:
        found = self._shifts("where id = ?", [shift_id])
        if not found:
            raise TillError(f"there is no shift {shift_id}")
        return found[0]

    def for_volunteer(self, volunteer_id: int) -> list[Shift]:
        return self._shifts("where volunteer_id = ?", [volunteer_id])

    def on_shift(self, till_id: str) -> list[int]:
        """Who is signed in at this till now."""
        return [row[0] for row in self.db.execute(
            "select distinct volunteer_id from shifts where till_id = ? and ended_at is null", [till_id])]

    def close_forgotten(self, till_id: str, *, at: str, session_id: int, closing_volunteer: int) -> int:
        """At the Z: end the shift of whoever does it now, and any other shift left open on this
        till at that person's last action in the session (or its start), flagged for checking.
        Runs inside the caller's transaction. Returns how many were flagged."""
        self.db.execute(
            "update shifts set ended_at = ? where till_id = ? and volunteer_id = ? and ended_at is null",
            [at, till_id, closing_volunteer],
        )
        flagged = 0
        for shift_id, volunteer_id, started in self.db.execute(
            "select id, volunteer_id, started_at from shifts where till_id = ? and ended_at is null", [till_id]
        ).fetchall():
            last = self.db.execute(
                """select max(at) from (
                       select created_at as at from sales where session_id = ? and operator_id = ?
                       union all select created_at from voids where session_id = ? and operator_id = ?
                       union all select created_at from cash_movements where session_id = ? and operator_id = ?)""",
                [session_id, volunteer_id] * 3,
            ).fetchone()[0]
            ended = max(last, started) if last else started
            self.db.execute("update shifts set ended_at = ?, needs_check = 1 where id = ?", [ended, shift_id])
            flagged += 1
        return flagged

    def correct(self, shift_id: int, *, started_at: str, ended_at: str, by: int, reason: str, at: str) -> Shift:
        """A manager's correction, kept beside the original."""
        if not reason.strip():
            raise TillError("say why the shift is corrected")
        if from_stamp(ended_at) <= from_stamp(started_at):
            raise TillError("a shift ends after it starts")
        if from_stamp(ended_at) - from_stamp(started_at) > timedelta(hours=16):
            raise TillError("a shift of more than 16 hours is surely a mistake")
        self.get(shift_id)
        from core.database import transaction  # sealed into the journal as it commits

        with transaction(self.db):
            self.db.execute(
                "insert into shift_corrections (shift_id, started_at, ended_at, corrected_by, reason, at)"
                " values (?, ?, ?, ?, ?, ?)",
                [shift_id, started_at, ended_at, by, reason.strip(), at],
            )
        return self.get(shift_id)

    def hours(self, first: date, last: date, *, credits_per_hour: int = 1,
              volunteer_id: int | None = None, till_id: str | None = None) -> list[HoursRow]:
        """Hours per volunteer (or one volunteer) per month, by the local day each shift started,
        to the minute; at one till only with `till_id` (the office counts each till's part)."""
        names = dict(self.db.execute("select id, name from volunteers").fetchall())
        totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        # A day either side in UTC covers any time zone; the exact local day is checked below.
        where = "where ended_at is not null and started_at >= ? and started_at < ?"
        params: list = [stamp(datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC)),
                        stamp(datetime.combine(last + timedelta(days=2), time(0), tzinfo=UTC))]
        if volunteer_id is not None:
            where, params = where + " and volunteer_id = ?", [*params, volunteer_id]
        if till_id is not None:
            where, params = where + " and till_id = ?", [*params, till_id]
        for shift in self._shifts(where, params):
            day = from_stamp(shift.started_at).astimezone(self.zone).date()
            if not first <= day <= last:
                continue
            key = (shift.volunteer_id, day.strftime("%Y-%m"))
            totals[key][0] += 1
            totals[key][1] += shift.minutes
            totals[key][2] += int(shift.needs_check)
        return [
            HoursRow(volunteer_id=v, name=names.get(v, "?"), month=month, shifts=n, minutes=minutes,
                     credits=minutes * credits_per_hour // 60, to_check=check)
            for (v, month), (n, minutes, check) in sorted(totals.items(), key=lambda kv: (names.get(kv[0][0], ""), kv[0][1]))
        ]
