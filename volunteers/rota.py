"""The rota: the week's planned shifts, who is covering each, and the gaps.

A slot is a planned shift that comes round every week ("Tuesday 09:00-13:00, café, 2 people").
People are on a slot every week (regulars) or for one week (cover); a regular who cannot come
one week is marked away for it. Shift leads and managers plan; anyone may say they are away
or offer to cover a gap themselves, because that is how a volunteer rota actually fills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.clock import from_stamp, monday_of
from core.database import transaction
from core.errors import TillError
from core.ids import next_id
from volunteers.context import TillContext
from volunteers.permissions import Action, authorise

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")


class RotaError(TillError):
    pass


def parse_day(text: str) -> int:
    """'tue', 'Tuesday' or '2' (Monday is 1) to 0..6."""
    text = text.strip().casefold()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 7:
        return int(text) - 1
    for number, name in enumerate(DAYS):
        if len(text) >= 2 and name.casefold().startswith(text):
            return number
    raise RotaError(f"'{text}' is not a day of the week")


def parse_time(text: str) -> str:
    """'9:00', '09.30' or '1330' to 'HH:MM'."""
    found = _TIME.match(text.strip())
    if not found:
        raise RotaError(f"'{text.strip()}' is not a time like 09:00 or 13:30")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


@dataclass
class Slot:
    id: int
    weekday: int
    starts: str
    ends: str
    needed: int
    label: str

    @property
    def day(self) -> str:
        return DAYS[self.weekday]


@dataclass
class PlannedShift:
    slot: Slot
    on: date
    #: (volunteer id, name) of everyone covering it that day.
    covering: list[tuple[int, str]] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return max(0, self.slot.needed - len(self.covering))

    def describe(self) -> str:
        who = ", ".join(name for _, name in self.covering) or "nobody yet"
        gap = f"  NEEDS {self.gap} MORE" if self.gap else ""
        return f"{self.on:%a %d %b} {self.slot.starts}-{self.slot.ends} {self.slot.label}: {who}{gap}"


class Rota:
    def __init__(self, till: TillContext) -> None:
        self.till = till
        self.db = till.db

    def _planner(self, operator_id: int, approver_id: int | None) -> int | None:
        return authorise(self.till.volunteers, Action.manage_rota, operator_id, approver_id)

    # Planning (shift leads and managers) ----------------------------------------------------

    def add_slot(self, day: str | int, starts: str, ends: str, *, needed: int, label: str,
                 operator_id: int, approver_id: int | None = None) -> Slot:
        approver = self._planner(operator_id, approver_id)
        weekday = day if isinstance(day, int) else parse_day(day)
        starts, ends = parse_time(starts), parse_time(ends)
        if ends <= starts:
            raise RotaError("a planned shift ends after it starts (on the same day)")
        if not 1 <= needed <= 20:
            raise RotaError("a planned shift needs from 1 to 20 people")
        label = label.strip() or "Shift"
        with transaction(self.db):
            slot_id = self.db.execute(
                "insert into rota_slots (id, weekday, starts, ends, needed, label, active, created_at, created_by)"
                " values (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                [next_id(self.db, "rota_slots"), weekday, starts, ends, needed, label[:40], self.till.now(), operator_id],
            ).lastrowid
            self.till.audit(Action.manage_rota, operator_id, approver,
                            f"new slot {DAYS[weekday]} {starts}-{ends} {label}")
        return self.slot(slot_id)

    def end_slot(self, slot_id: int, *, operator_id: int, approver_id: int | None = None) -> None:
        approver = self._planner(operator_id, approver_id)
        slot = self.slot(slot_id)
        with transaction(self.db):
            self.db.execute("update rota_slots set active = 0 where id = ?", [slot_id])
            self.till.audit(Action.manage_rota, operator_id, approver,
                            f"ended slot {slot.day} {slot.starts}-{slot.ends} {slot.label}")

    def put_on(self, slot_id: int, volunteer_id: int, *, week_of: date | None, operator_id: int,
               approver_id: int | None = None) -> None:
        """Someone on a slot every week (`week_of` None) or for the week starting `week_of`."""
        approver = self._planner(operator_id, approver_id)
        self._live(slot_id)
        if week_of is not None and monday_of(week_of) < monday_of(self.till.today()):
            raise RotaError("that week has gone")
        volunteer = self.till.volunteers.get(volunteer_id)
        if not volunteer.active:
            raise RotaError(f"{volunteer.name} has left")
        self.till.volunteers.working(volunteer_id)
        if week_of is None and volunteer_id in self._regulars(slot_id):
            raise RotaError(f"{volunteer.name} is already on it every week")
        with transaction(self.db):
            if week_of is None:
                self._add(slot_id, volunteer_id, None, "regular", operator_id)
            else:
                self._one_week(slot_id, volunteer_id, monday_of(week_of), operator_id)
            self.till.audit(Action.manage_rota, operator_id, approver,
                            f"{volunteer.name} on slot {slot_id}" + (f" for {week_of}" if week_of else " every week"))

    def take_off(self, slot_id: int, volunteer_id: int, *, operator_id: int, approver_id: int | None = None) -> None:
        """A regular stops doing a slot (from now on); past weeks are not rewritten."""
        approver = self._planner(operator_id, approver_id)
        if volunteer_id not in self._regulars(slot_id):
            raise RotaError("they are not on it every week")
        with transaction(self.db):
            self.db.execute(
                "update rota_entries set removed_at = ? where slot_id = ? and volunteer_id = ?"
                " and kind = 'regular' and removed_at is null",
                [self.till.now(), slot_id, volunteer_id],
            )
            self.till.audit(Action.manage_rota, operator_id, approver, f"volunteer {volunteer_id} off slot {slot_id}")

    # Anyone, for themselves --------------------------------------------------------------

    def cover(self, slot_id: int, on: date, *, volunteer_id: int) -> None:
        """'I'll do it': a volunteer covers one week of a slot themselves."""
        slot = self._live(slot_id)
        self.till.volunteers.working(volunteer_id)
        if on.weekday() != slot.weekday:
            raise RotaError(f"that slot is on {slot.day}s")
        if on < self.till.today():
            raise RotaError("that day has gone")
        with transaction(self.db):
            self._one_week(slot_id, volunteer_id, monday_of(on), volunteer_id)

    def away(self, slot_id: int, on: date, *, volunteer_id: int, operator_id: int | None = None,
             approver_id: int | None = None) -> None:
        """'I can't make it': off one week of a slot (theirs, or by a shift lead for them)."""
        operator_id = volunteer_id if operator_id is None else operator_id
        if operator_id != volunteer_id:
            self._planner(operator_id, approver_id)
        self._live(slot_id)
        if on < self.till.today():
            raise RotaError("that day has gone")
        week = monday_of(on)
        shift = next((p for p in self.planned(on, on) if p.slot.id == slot_id), None)
        if shift is None or volunteer_id not in [v for v, _ in shift.covering]:
            raise RotaError("they are not on that shift")
        with transaction(self.db):
            cover = self.db.execute(
                "update rota_entries set removed_at = ? where slot_id = ? and volunteer_id = ?"
                " and week_of = ? and kind = 'cover' and removed_at is null",
                [self.till.now(), slot_id, volunteer_id, week.isoformat()],
            ).rowcount
            if not cover:
                self._add(slot_id, volunteer_id, week, "away", operator_id)

    # Reading ----------------------------------------------------------------------------

    def slot(self, slot_id: int) -> Slot:
        row = self.db.execute("select id, weekday, starts, ends, needed, label from rota_slots where id = ?",
                              [slot_id]).fetchone()
        if row is None:
            raise RotaError(f"there is no planned shift number {slot_id}")
        return Slot(*row)

    def _live(self, slot_id: int) -> Slot:
        slot = self.slot(slot_id)
        if not self.db.execute("select active from rota_slots where id = ?", [slot_id]).fetchone()[0]:
            raise RotaError("that shift has been taken off the rota")
        return slot

    def slots(self) -> list[Slot]:
        return [Slot(*row) for row in self.db.execute(
            "select id, weekday, starts, ends, needed, label from rota_slots where active = 1"
            " order by weekday, starts, id")]

    def planned(self, first: date, last: date) -> list[PlannedShift]:
        """Every planned shift from `first` to `last`, with who is covering it, in order.

        A regular counts from the day they were put on until the day they were taken off, so
        changing the rota never rewrites weeks gone by."""
        names = dict(self.db.execute("select id, name from volunteers where active = 1").fetchall())
        zone = self.till.zone

        def day_of(at: str | None) -> date | None:
            return from_stamp(at).astimezone(zone).date() if at else None

        regulars = [(slot_id, volunteer, day_of(created), day_of(removed)) for slot_id, volunteer, created, removed
                    in self.db.execute("select slot_id, volunteer_id, created_at, removed_at from rota_entries"
                                       " where kind = 'regular' order by id")]
        weekly = self.db.execute(
            "select slot_id, volunteer_id, week_of, kind from rota_entries where removed_at is null"
            " and kind != 'regular' and week_of >= ? and week_of <= ? order by id",
            [monday_of(first).isoformat(), monday_of(last).isoformat()],
        ).fetchall()
        found = []
        slots = self.slots()
        day = first
        while day <= last:
            week = monday_of(day).isoformat()
            for slot in (s for s in slots if s.weekday == day.weekday()):
                people: list[int] = []
                for slot_id, volunteer, created, removed in regulars:
                    if (slot_id == slot.id and volunteer in names and volunteer not in people
                            and created <= day and (removed is None or day < removed)):
                        people.append(volunteer)
                away = {v for s, v, w, k in weekly if s == slot.id and w == week and k == "away"}
                people = [v for v in people if v not in away]
                people += [v for s, v, w, k in weekly
                           if s == slot.id and w == week and k == "cover" and v not in people and v in names]
                found.append(PlannedShift(slot=slot, on=day, covering=[(v, names[v]) for v in people]))
            day += timedelta(days=1)
        return found

    def week(self, any_day: date) -> list[PlannedShift]:
        monday = monday_of(any_day)
        return self.planned(monday, monday + timedelta(days=6))

    def gaps(self, first: date, days: int = 7) -> list[PlannedShift]:
        return [p for p in self.planned(first, first + timedelta(days=days - 1)) if p.gap]

    # Inside ----------------------------------------------------------------------------

    def _regulars(self, slot_id: int) -> set[int]:
        return {row[0] for row in self.db.execute(
            "select volunteer_id from rota_entries where slot_id = ? and kind = 'regular' and removed_at is null",
            [slot_id])}

    def _one_week(self, slot_id: int, volunteer_id: int, week: date, by: int) -> None:
        day = week + timedelta(days=self.slot(slot_id).weekday)
        shift = next((p for p in self.planned(day, day) if p.slot.id == slot_id), None)
        if shift is not None and volunteer_id in [v for v, _ in shift.covering]:
            raise RotaError(f"{self.till.volunteers.get(volunteer_id).name} is already on it that week")
        # A regular marked away who can come after all: lift the 'away' rather than add cover.
        lifted = self.db.execute(
            "update rota_entries set removed_at = ? where slot_id = ? and volunteer_id = ? and week_of = ?"
            " and kind = 'away' and removed_at is null",
            [self.till.now(), slot_id, volunteer_id, week.isoformat()],
        ).rowcount
        if not lifted:
            self._add(slot_id, volunteer_id, week, "cover", by)

    def _add(self, slot_id: int, volunteer_id: int, week: date | None, kind: str, by: int) -> None:
        self.db.execute(
            "insert into rota_entries (id, slot_id, volunteer_id, week_of, kind, created_at, created_by)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [next_id(self.db, "rota_entries"), slot_id, volunteer_id, week.isoformat() if week else None, kind, self.till.now(), by],
        )
