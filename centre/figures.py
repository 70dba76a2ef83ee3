"""The café's figures for the children's centre, counted from the till's own records.

Everything here is a count; nothing names anyone. `gather` gives the true figures (for the
society's own Reports screen); `centre.export` puts them through disclosure control before
anything leaves the till.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from centre.directory import Directory, Service
from centre.footfall import day_bounds
from core.clock import from_stamp, monday_of

#: Measures per day and week, in the order reports show them, with their labels.
MEASURES: dict[str, str] = {
    "visits": "Visits (every sale)",
    "member_visits": "  by members",
    "non_member_visits": "  by non-members",
    "people_without_purchase": "People in without buying",
    "adults": "  adults",
    "children": "  children (5 and over)",
    "under5s": "  under-5s",
    "families_under5": "Families with under-5s",
    "first_visits": "First visits",
    "signposts": "Signposted to a service",
    "signposts_under5": "  of which families with under-5s",
}
#: total == sum(parts) within one day, week or the whole period.
SUMS = [("visits", ("member_visits", "non_member_visits")),
        ("people_without_purchase", ("adults", "children", "under5s"))]
_PERSON = {"adult": "adults", "child": "children", "under5": "under5s"}


@dataclass
class Figures:
    first: date
    last: date
    daily: dict[date, Counter] = field(default_factory=dict)
    #: (service ref, day) → signposts
    signposts: Counter = field(default_factory=Counter)
    services: dict[int, Service] = field(default_factory=dict)
    #: hour of the day (local) → visits and people in without buying, over the period
    by_hour: Counter = field(default_factory=Counter)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def weeks(self) -> list[tuple[date, date]]:
        """Monday-to-Sunday weeks, cut to the period at either end."""
        found, start = [], self.first
        while start <= self.last:
            end = min(monday_of(start) + timedelta(days=6), self.last)
            found.append((start, end))
            start = end + timedelta(days=1)
        return found

    def over(self, first: date, last: date) -> Counter:
        total: Counter = Counter()
        for day in self.days:
            if first <= day <= last:
                total.update(self.daily[day])
        return Counter({m: total.get(m, 0) for m in MEASURES})

    def total(self) -> Counter:
        return self.over(self.first, self.last)

    def service_over(self, ref: int, first: date, last: date) -> int:
        return sum(n for (r, day), n in self.signposts.items() if r == ref and first <= day <= last)


def gather(db: Database, first: date, last: date, *, zone: ZoneInfo) -> Figures:
    if last < first:
        raise ValueError("the period ends before it starts")
    figures = Figures(first=first, last=last)
    for day in figures.days:
        figures.daily[day] = Counter({m: 0 for m in MEASURES})
    start, _ = day_bounds(first, zone)
    _, end = day_bounds(last, zone)

    def local(at: str):
        moment = from_stamp(at).astimezone(zone)
        return moment.date(), moment.hour

    for at, member, family, first_visit in db.execute(
            "select created_at, member_number is not null, family_under5, first_visit from sales"
            " where kind = 'sale' and created_at >= ? and created_at < ?", [start, end]):
        day, hour = local(at)
        if day not in figures.daily:
            continue
        counts = figures.daily[day]
        counts["visits"] += 1
        counts["member_visits" if member else "non_member_visits"] += 1
        counts["families_under5"] += family
        counts["first_visits"] += first_visit
        figures.by_hour[hour] += 1
    for at, kind, family, first_visit in db.execute(
            "select at, kind, family_under5, first_visit from tallies"
            " where undone_at is null and at >= ? and at < ?", [start, end]):
        day, hour = local(at)
        if day not in figures.daily:
            continue
        counts = figures.daily[day]
        counts["people_without_purchase"] += 1
        counts[_PERSON[kind]] += 1
        counts["families_under5"] += family
        counts["first_visits"] += first_visit
        figures.by_hour[hour] += 1
    directory = Directory(db)
    for at, ref, family in db.execute(
            "select at, service_ref, family_under5 from signposts where undone_at is null and at >= ? and at < ?",
            [start, end]):
        day, _ = local(at)
        if day not in figures.daily:
            continue
        figures.daily[day]["signposts"] += 1
        figures.daily[day]["signposts_under5"] += family
        figures.signposts[(ref, day)] += 1
        if ref not in figures.services:
            figures.services[ref] = directory.get(ref)
    return figures


@dataclass
class SocietyFigures:
    """The society's own figures beside the footfall: members, volunteers and share capital."""

    active_members: int
    new_members: int
    volunteer_minutes: int
    share_capital_in_pence: int
    share_capital_out_pence: int


def society_figures(db: Database, first: date, last: date, *, zone: ZoneInfo) -> SocietyFigures:
    from volunteers.shifts import Shifts

    start, _ = day_bounds(first, zone)
    _, end = day_bounds(last, zone)
    active = db.execute(
        "select count(*) from members where admitted_on <= ? and (ceased_on is null or ceased_on > ?)",
        [last.isoformat(), last.isoformat()]).fetchone()[0]
    new = db.execute("select count(*) from members where admitted_on >= ? and admitted_on <= ?",
                     [first.isoformat(), last.isoformat()]).fetchone()[0]
    minutes = sum(r.minutes for r in Shifts(db, zone).hours(first, last))
    moves = defaultdict(int, db.execute(
        "select kind, sum(amount_pence) from cash_movements where created_at >= ? and created_at < ?"
        " and kind in ('share_capital_in', 'share_capital_out') group by kind", [start, end]).fetchall())
    return SocietyFigures(active_members=active, new_members=new, volunteer_minutes=minutes,
                          share_capital_in_pence=moves["share_capital_in"],
                          share_capital_out_pence=moves["share_capital_out"])
