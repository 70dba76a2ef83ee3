"""Releasing the centre's figures: canonical cells, each perturbed once and then shown the same for ever.

A release (an export, or the Reports screen under disclosure control) is made of canonical cells
only: days, ISO weeks (Monday to Sunday) and calendar months lying wholly in the period, each for
every measure, and each service's signposts per week and per month. A cell shown before is shown
again exactly as recorded; a new one is perturbed and rounded (centre.cellkey). Then the audit
(centre.audit) looks at the release with everything recorded near it and hides more ("[c]") until
no small count can be worked out. Finally the release and its new cells are recorded.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from centre.audit import pinned
from centre.cellkey import interval, noise, shown, society_secret
from centre.figures import MEASURES, SUMS, Figures
from core.database import transaction
from core.errors import TillError

SECONDARY = "[c]"
#: Recorded cells this far either side of a release are audited with it: sums reach no further
#: than a month, and a chain of them through many months narrows nothing a month's does not.
CONTEXT = timedelta(days=45)
SPANS = ("day", "week", "month")


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def weeks_in(first: date, last: date) -> list[tuple[date, date]]:
    start = first + timedelta(days=-first.weekday() % 7)
    found = []
    while start + timedelta(days=6) <= last:
        found.append((start, start + timedelta(days=6)))
        start += timedelta(days=7)
    return found


def months_in(first: date, last: date) -> list[tuple[date, date]]:
    start = first if first.day == 1 else month_end(first) + timedelta(days=1)
    found = []
    while month_end(start) <= last:
        found.append((start, month_end(start)))
        start = month_end(start) + timedelta(days=1)
    return found


def span(key: tuple) -> tuple[date, date]:
    kind, _, start = key[0], key[1], key[2] if key[0].startswith("service") else key[1]
    if kind.endswith("day"):
        return start, start
    if kind.endswith("week"):
        return start, start + timedelta(days=6)
    return start, month_end(start)


def name(key: tuple) -> str:
    if key[0].startswith("service"):
        return f"{key[0]}:{key[1]}:{key[2].isoformat()}"
    return f"{key[0]}:{key[1].isoformat()}:{key[2]}"


def subject(key: tuple) -> str:
    return key[1] if key[0].startswith("service") else key[2]


def service_id(service) -> str:
    return f"{service.directory}/{service.service_id}"


def true_cells(figures: Figures) -> dict[tuple, int]:
    """Every canonical cell of the period with its true value."""
    cells: dict[tuple, int] = {}
    for day in figures.days:
        for m in MEASURES:
            cells[("day", day, m)] = figures.daily[day][m]
    for kind, spans in (("week", weeks_in(figures.first, figures.last)),
                        ("month", months_in(figures.first, figures.last))):
        for start, end in spans:
            counts = figures.over(start, end)
            for m in MEASURES:
                cells[(kind, start, m)] = counts[m]
            for ref, service in figures.services.items():
                cells[(f"service-{kind}", service_id(service), start)] = figures.service_over(ref, start, end)
    return cells


def sums(keys: set, services: set) -> tuple[list[tuple[Hashable, tuple]], dict]:
    """The sums the layout implies among these cells, and the cells known to be 0 (a service not
    listed for a week or month had no signposts then)."""
    found, zeros = [], {}
    starts = {(k[0], k[1]) for k in keys if k[0] in SPANS}
    days = set()
    for kind, start in starts:
        first, last = span((kind, start, ""))
        covered = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        days.update(covered)
        for whole, parts in SUMS:
            found.append(((kind, start, whole), tuple((kind, start, p) for p in parts)))
        if kind != "day":
            for m in MEASURES:
                found.append(((kind, start, m), tuple(("day", d, m) for d in covered)))
            for sid in services:
                key = (f"service-{kind}", sid, start)
                found.append((key, tuple(("service-day", sid, d) for d in covered)))
                if key not in keys:
                    zeros[key] = (0, 0)
            found.append(((kind, start, "signposts"), tuple((f"service-{kind}", sid, start) for sid in services)))
    for day in days:
        found.append((("day", day, "signposts"), tuple(("service-day", sid, day) for sid in services)))
    return found, zeros


def _recorded(db: Database, first: date, last: date) -> dict[tuple, int | str]:
    found = {}
    for kind, start, about, value in db.execute(
            "select kind, first, subject, value from centre_released_cells where first <= ? and last >= ?",
            [(last + CONTEXT).isoformat(), (first - CONTEXT).isoformat()]):
        start = date.fromisoformat(start)
        key = (kind, about, start) if kind.startswith("service") else (kind, start, about)
        found[key] = int(value) if value.isdigit() else value
    return found


#: A release of every till's figures (the office's consolidated copy) is recorded under its kind with this ending.
ALL_TILLS = " (all tills)"


def refuse_mixing(db: Database, kind: str, first: date, last: date) -> None:
    """Every till's figures and one till's alone are never both released for the same days: one taken from
    the other would show the other tills' small counts, which disclosure control hid (and a cell recorded
    for one would be shown again as the other's). Every path that releases comes through `release`."""
    all_tills = kind.endswith(ALL_TILLS)
    other = db.execute("select min(first), max(last) from centre_releases where first <= ? and last >= ? and "
                       "(substr(kind, -length(?)) = ?) = ?",
                       [last.isoformat(), first.isoformat(), ALL_TILLS, ALL_TILLS, int(not all_tills)]).fetchone()
    if other[0] is not None:
        mine, theirs = ("every till's", "this till's alone") if all_tills else ("this till's", "every till's")
        raise TillError(f"the centre's figures for {theirs} were released for some of these days already ({other[0]} "
                        f"to {other[1]}): {mine} cannot be released for them too, or one taken from the other would "
                        "show small numbers disclosure control hides")


def release(db: Database, figures: Figures, *, threshold: int, kind: str, at: datetime) -> dict[tuple, int | str]:
    """Each canonical cell of the period as it may be shown, recorded as released."""
    refuse_mixing(db, kind, figures.first, figures.last)
    secret = society_secret(db)
    truth = true_cells(figures)
    recorded = _recorded(db, figures.first, figures.last)
    out = {key: recorded[key] if key in recorded else shown(value, threshold, noise(secret, name(key), value))
           for key, value in truth.items()}
    new = {key for key in truth if key not in recorded}
    context = {**recorded, **out}
    services = {k[1] for k in context if k[0].startswith("service")}
    found_sums, zeros = sums(set(context), services)
    touching: dict = {}
    for total, parts in found_sums:
        for key in (total, *parts):
            touching.setdefault(key, []).append((total, parts))
    for _ in range(len(new) + 1):
        ranges = {**zeros}
        for key, value in context.items():
            low, high = interval(value, threshold)
            ranges[key] = (low, high if high is not None else 10**9)
        small = {k for k, v in context.items() if isinstance(v, str)}
        risky = pinned(ranges, found_sums, small)
        if not risky:
            break
        hidden_now: set = set()
        for key in sorted(risky, key=repr):
            if any(k in hidden_now for total, parts in touching.get(key, []) for k in (total, *parts)):
                continue  # hiding a figure beside it may already be enough: the next round will say
            hide = _company(key, touching, new, truth, context)
            if hide is None:  # nothing near it left to hide: hide every new figure that is not 0
                hide_all = [k for k in new if truth[k] > 0]
                for k in hide_all:
                    context[k] = out[k] = SECONDARY
                break
            context[hide] = out[hide] = SECONDARY
            hidden_now.add(hide)
    _record(db, figures, out, new, threshold=threshold, kind=kind, at=at)
    return out


def _company(key, touching: dict, new: set, truth: dict, context: dict):
    """A new, non-zero, not yet hidden figure in the sums through `key` (their totals first; then
    the figures in sums one step further off) to hide beside it."""
    def hideable(k) -> bool:
        return k in new and truth[k] > 0 and context[k] != SECONDARY and k != key

    near = touching.get(key, [])
    for total, parts in near:
        if key in parts and hideable(total):
            return total
    for _total, parts in near:
        for k in sorted(parts, key=lambda k: (truth.get(k, 0), repr(k))):
            if hideable(k):
                return k
    for total, parts in near:
        for other in (total, *parts):
            for total2, parts2 in touching.get(other, []):
                for k in (total2, *parts2):
                    if hideable(k):
                        return k
    return None


def _record(db: Database, figures: Figures, out: dict, new: set, *, threshold: int, kind: str, at: datetime) -> None:
    with transaction(db):
        release_id = db["centre_releases"].insert(
            {"at": at.isoformat(timespec="seconds"), "first": figures.first.isoformat(),
             "last": figures.last.isoformat(), "kind": kind, "threshold": threshold}).last_pk
        db["centre_released_cells"].insert_all(
            ({"cell": name(key), "kind": key[0], "first": span(key)[0].isoformat(),
              "last": span(key)[1].isoformat(), "subject": subject(key), "value": str(out[key]),
              "release_id": release_id} for key in sorted(new, key=repr)), ignore=True)
