"""Time: stored as UTC text that sorts, shown in the shop's local time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

UTC = UTC
Clock = Callable[[], datetime]

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def system_clock() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp, so text order is time order in SQL."""
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone")
    return moment.astimezone(UTC).strftime(_FORMAT)


def from_stamp(text: str) -> datetime:
    return datetime.strptime(text, _FORMAT).replace(tzinfo=UTC)


def local(text: str, zone: ZoneInfo) -> datetime:
    return from_stamp(text).astimezone(zone)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def monday_of(day: date) -> date:
    """The Monday a week starts on (rota weeks and the centre's weekly figures alike)."""
    return day - timedelta(days=day.weekday())


class SimulatedClock:
    """A clock that says what it is told: fixed at one moment until moved (`clock.moment = …`).
    The demo's simulator steps it to each sale's moment in turn; tests and benchmarks fix it."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment
