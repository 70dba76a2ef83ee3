"""The office's count of the society's balances (hub/balances.py) over its consolidated copy: the time
credits each volunteer earned at each till are worked out by the volunteers' own rules (the copy's
shifts keep their till), the rest is plain sums in hub/balances.py."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from hub import balances
from volunteers.shifts import Shifts

#: Before any till existed: the start of "all time" for credits earned.
_BEGINNING = date(2000, 1, 1)


def earned(copy: Database, *, zone: ZoneInfo, per_hour: int, today: date) -> dict[tuple[int, str], int]:
    """(volunteer id, till id) → the time credits earned at that till, to `today`."""
    shifts = Shifts(copy, zone)
    found: dict[tuple[int, str], int] = {}
    for (till_id,) in copy.execute("select distinct till_id from office_nodes").fetchall():
        for row in shifts.hours(_BEGINNING, today, credits_per_hour=per_hour, till_id=till_id):
            found[(row.volunteer_id, till_id)] = found.get((row.volunteer_id, till_id), 0) + row.credits
    return found


def count(copy: Database, *, zone: ZoneInfo, per_hour: int, today: date) -> dict[tuple[str, int, str], int]:
    """Each till's part of each balance in the copy (see hub.balances.parts)."""
    return balances.parts(copy, earned(copy, zone=zone, per_hour=per_hour, today=today))


def flagged(copy: Database, *, zone: ZoneInfo, per_hour: int, today: date) -> list[balances.Flag]:
    """What went below zero across the tills, for a manager."""
    return balances.flagged(copy, count(copy, zone=zone, per_hour=per_hour, today=today))
