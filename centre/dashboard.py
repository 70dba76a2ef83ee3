"""The reach figures as the web's dashboard shows them: the same figures, periods and disclosure control
as the Reports screen's text (centre.report_text), laid out as rows and bar charts instead of characters.

Who reads them decides what they are: the society's own staff see the true counts; the centre's staff see
every figure as released (centre.export.prepare records the release, so it is the same ever after) and only
whole weeks or months that have ended. Downloads are always the released figures, whole periods only.
Nothing here holds a name, a member number or a card token: counts, the services' names, the measures' labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from centre.export import FORMATS, TOTAL_OWN, Published, prepare, whole_period
from centre.figures import Figures, SocietyFigures, gather, society_figures
from centre.report_text import (
    DAYS,
    PERIODS,
    RELEASED,
    drawn,
    period,
    ranked_services,
    society_count,
    society_hours,
    society_money,
    step,
)
from core.errors import TillError

#: The longest period anyone may ask for at once, as on the command line.
LONGEST = timedelta(days=366 * 3)
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Row:
    label: str
    shown: str
    #: a part of the row above it (members' visits of all visits)
    part: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    #: the bar's length, 0 to 100, from the figure as shown (a hidden figure draws nothing)
    percent: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    note: str = ""


@dataclass(frozen=True)
class Reach:
    first: date
    last: date
    controlled: bool
    notes: list[str]
    rows: list[Row]
    charts: list[Chart]


@dataclass(frozen=True)
class Viewer:
    """What the dashboard needs of the person reading it and the books it reads."""

    controlled: bool
    zone: ZoneInfo
    threshold: int
    society: str
    #: the release's kind: "screen" or "export", marked for every till's figures (pos.consolidated.release_kind)
    kind: str = "screen"


def periods(controlled: bool) -> list[tuple[str, str]]:
    """The periods offered: centre staff get only whole ones that have ended."""
    return RELEASED if controlled else PERIODS


#: The longest period centre staff see at once (a leap year's days; presets are at most 3 months).
CONTROLLED_DAYS = 366


def chosen(viewer: Viewer, today: date, *, preset: str | None = None, first: date | None = None,
           last: date | None = None, direction: int = 0) -> tuple[date, date]:
    """The period asked for: a preset (the first offered if none), or from/to, stepped earlier or later by
    the same whole weeks or months. Refused in a sentence when it is not one this viewer may see."""
    if first is None or last is None:
        keys = [key for _, key in periods(viewer.controlled)]
        first, last = period(preset if preset in keys else "last_week" if viewer.controlled else "four_weeks", today)
    if direction:
        first, last = step(first, last, direction)
    if last < first:
        raise TillError(f"{first:%d %b %Y} to {last:%d %b %Y} ends before it starts")
    if last - first > LONGEST:
        raise TillError("the dashboard shows at most three years at a time")
    if first > today:
        raise TillError(f"{first:%d %b %Y} has not come yet")
    if viewer.controlled:  # what centre staff see has left the café: whole ended periods only
        whole_period(first, last, today=today)
        if (last - first).days >= CONTROLLED_DAYS:  # each look records every week's and day's cells released
            raise TillError("the centre's figures are shown for at most a year at a time")
    return first, min(last, today)


def reach(source: Database, books: Database, first: date, last: date, viewer: Viewer, *,
          generated_at: datetime) -> Reach:
    """The dashboard for a period: counted from `source` (on a hub, the office's copy of every till), any
    release recorded in `books` (the office's own), as centre.export.prepare records the Reports screen's."""
    figures = gather(source, first, last, zone=viewer.zone)
    society = society_figures(source, first, last, zone=viewer.zone)
    published = None
    if viewer.controlled:
        whole_period(first, last, today=generated_at.astimezone(viewer.zone).date())
        published = prepare(books, figures, threshold=viewer.threshold, society=viewer.society,
                            generated_at=generated_at, kind=viewer.kind)
    return laid_out(figures, society, published=published, threshold=viewer.threshold)


def download(source: Database, books: Database, first: date, last: date, layout: str, viewer: Viewer, *,
             generated_at: datetime) -> tuple[str, str, str]:
    """(file name, media type, text) of the centre's export for whole weeks or months that have ended, in
    `layout` (csv, json or html), always under disclosure control whoever asks; refused in a sentence else."""
    if layout not in FORMATS:
        raise TillError("choose CSV, JSON or HTML")
    whole_period(first, last, today=generated_at.astimezone(viewer.zone).date())
    if last - first > LONGEST:
        raise TillError("export at most three years at a time")
    published = prepare(books, gather(source, first, last, zone=viewer.zone), threshold=viewer.threshold,
                        society=viewer.society, generated_at=generated_at, kind=viewer.kind)
    return (f"centre-figures-{first.isoformat()}-to-{last.isoformat()}.{layout}", MEDIA[layout],
            FORMATS[layout](published))


def laid_out(figures: Figures, society: SocietyFigures, *, published: Published | None = None,
             threshold: int = 5) -> Reach:
    """What centre.report_text.reach_text says, as rows and charts (its tests hold the two together)."""
    controlled = published is not None

    def chart(title: str, items: list[tuple[str, int | str]], note: str = "") -> Chart:
        most = max([drawn(v) for _, v in items] + [1])
        return Chart(title, [Bar(label, str(v), max(1, round(100 * drawn(v) / most)) if drawn(v) > 0 else 0)
                             for label, v in items], note)

    total = published.total if controlled else figures.total()
    if controlled:
        notes = [f"Counts as released to the centre: 1 to {threshold - 1} show as <{threshold}, others are nudged "
                 "a little and rounded to the nearest 5; pounds and hours likewise: "
                 "disclosure control, as in exports."]
        if published.total_is != TOTAL_OWN:
            notes.append(f"Totals add up the weeks or months shown (<{threshold} and [c] count as 0).")
    else:
        notes = ["Counts and money are exact; hours are to the nearest hour."]

    def count(value: int) -> str:
        return society_count(value, threshold=threshold, controlled=controlled)

    rows = [Row("Visits (every sale)", str(total["visits"])),
            Row("by members", str(total["member_visits"]), True),
            Row("by non-members", str(total["non_member_visits"]), True),
            Row("In without buying", str(total["people_without_purchase"])),
            Row("adults", str(total["adults"]), True),
            Row("children", str(total["children"]), True),
            Row("under-5s", str(total["under5s"]), True),
            Row("Families with under-5s", str(total["families_under5"])),
            Row("First visits", str(total["first_visits"])),
            Row("Signposted to a service", str(total["signposts"])),
            Row("of which families with under-5s", str(total["signposts_under5"]), True),
            Row("Members now", count(society.active_members)),
            Row("New members", count(society.new_members)),
            Row("Volunteer hours", society_hours(society.volunteer_minutes, threshold=threshold,
                                                 controlled=controlled)),
            Row("Shares bought at the till", society_money(society.share_capital_in_pence, threshold=threshold,
                                                          controlled=controlled))]
    if society.share_capital_out_pence and not controlled:
        rows.append(Row("Shares paid back", society_money(society.share_capital_out_pence, threshold=threshold,
                                                          controlled=False)))
    daily = published.daily if controlled else figures.daily
    by_weekday = [0] * 7
    for day, counts in daily.items():
        by_weekday[day.weekday()] += drawn(counts["visits"]) + drawn(counts["people_without_purchase"])
    charts = [chart("People in by day of the week (visits and people in without buying)", list(zip(DAYS, by_weekday)),
                    f"Adding up the days shown: <{threshold} and [c] count as 0." if controlled else "")]
    hours = sorted(figures.by_hour)
    if hours and not controlled:  # by hour would be new sums: never released
        charts.append(chart("By hour of the day", [(f"{h:02d}:00-{h + 1:02d}:00", figures.by_hour[h])
                                                   for h in range(hours[0], hours[-1] + 1)]))
    weeks = published.weeks if controlled else figures.weeks()
    if len(weeks) > 1:
        def weekly(start, end, m):
            return published.weekly[start][m] if controlled else figures.over(start, end)[m]

        charts.append(chart("Visits by week", [(f"w/c {s:%d %b}", weekly(s, e, "visits")) for s, e in weeks]))
        charts.append(chart("Signposting by week", [(f"w/c {s:%d %b}", weekly(s, e, "signposts")) for s, e in weeks]))
    if figures.services:
        charts.append(chart("Signposting by service", ranked_services(figures, published if controlled else None)))
    return Reach(figures.first, figures.last, controlled, notes, rows, charts)
