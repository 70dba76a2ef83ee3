"""Counting people in: every sale is a visit; the tally key counts those who come in without
buying, one tap a person, with an undo for the last tap. Nothing here names anyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.clock import Clock, stamp, system_clock
from core.database import transaction
from core.errors import TillError


class Person(StrEnum):
    adult = "adult"
    child = "child"
    under5 = "under5"

    @property
    def label(self) -> str:
        return {"adult": "adult", "child": "child (5 and over)", "under5": "under-5"}[self.value]


@dataclass
class Tally:
    id: int
    kind: Person
    family_under5: bool
    first_visit: bool


def day_bounds(day: date, zone: ZoneInfo) -> tuple[str, str]:
    """The UTC stamps a local day runs between, whatever the clocks did that day."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return stamp(start), stamp(end)


class Footfall:
    def __init__(self, db: Database, *, till_id: str, zone: ZoneInfo, clock: Clock = system_clock) -> None:
        self.db = db
        self.till_id = till_id
        self.zone = zone
        self.clock = clock

    def tap(self, kind: Person | str, *, volunteer_id: int) -> Tally:
        """One person in without buying, recorded at once."""
        kind = Person(kind)
        _working(self.db, volunteer_id)
        with transaction(self.db):
            tally_id = self.db.execute(
                "insert into tallies (at, till_id, volunteer_id, kind) values (?, ?, ?, ?)",
                [stamp(self.clock()), self.till_id, volunteer_id, kind.value],
            ).lastrowid
        return self._get(tally_id)

    def last(self) -> Tally | None:
        """The last tap at this till today that has not been undone."""
        start, end = day_bounds(self.clock().astimezone(self.zone).date(), self.zone)
        row = self.db.execute(
            "select id from tallies where till_id = ? and undone_at is null and at >= ? and at < ?"
            " order by id desc limit 1", [self.till_id, start, end]).fetchone()
        return self._get(row[0]) if row else None

    def undo_last(self) -> Tally:
        last = self.last()
        if last is None:
            raise TillError("there is no tap today to undo")
        with transaction(self.db):
            self.db.execute("update tallies set undone_at = ? where id = ?", [stamp(self.clock()), last.id])
        return last

    def mark_last(self, *, family_under5: bool | None = None, first_visit: bool | None = None) -> Tally:
        """Mark the last tap: a family with under-5s, or a first visit."""
        last = self.last()
        if last is None:
            raise TillError("tap a person in first, then mark them")
        changes = {k: int(v) for k, v in (("family_under5", family_under5), ("first_visit", first_visit))
                   if v is not None}
        if changes:
            with transaction(self.db):
                self.db.execute(f"update tallies set {', '.join(f'{k} = ?' for k in changes)} where id = ?",
                                [*changes.values(), last.id])
        return self._get(last.id)

    def today(self) -> dict[str, int]:
        """Today's counts at this till: sales (visits) and each kind of tap."""
        day = self.clock().astimezone(self.zone).date()
        start, end = day_bounds(day, self.zone)
        counts = {p.value: 0 for p in Person}
        counts.update(dict(self.db.execute(
            "select kind, count(*) from tallies where till_id = ? and undone_at is null and at >= ? and at < ?"
            " group by kind", [self.till_id, start, end]).fetchall()))
        counts["visits"] = self.db.execute(
            "select count(*) from sales where till_id = ? and kind = 'sale' and created_at >= ? and created_at < ?",
            [self.till_id, start, end]).fetchone()[0]
        return counts

    def _get(self, tally_id: int) -> Tally:
        row = self.db.execute("select id, kind, family_under5, first_visit from tallies where id = ?",
                              [tally_id]).fetchone()
        return Tally(id=row[0], kind=Person(row[1]), family_under5=bool(row[2]), first_visit=bool(row[3]))



def _working(db: Database, volunteer_id: int) -> None:
    # Counting and signposting are done by whoever is on the till, not by the centre's staff.
    from volunteers.people import Volunteers

    Volunteers(db).working(volunteer_id)
