"""The Reports area's figures as plain text with bar charts drawn in characters, the number
beside every bar: the same on the till screen (Textual) and on the command line."""

from __future__ import annotations

from datetime import date, timedelta

from centre.disclosure import round_count
from centre.figures import Figures, SocietyFigures
from core.money import format_pence

BAR = "█"
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def bars(items: list[tuple[str, int]], *, width: int = 36, label_width: int = 16,
         show=str, drawn=lambda value: value) -> list[str]:
    """One line per item: label, a bar scaled to the largest, and the figure. `drawn` is the
    value the bar shows: under disclosure control the published one, or the bar's length
    would give the hidden figure away."""
    lengths = [drawn(v) for _, v in items]
    most = max(lengths + [1])
    lines = []
    for (label, value), size in zip(items, lengths):
        length = round(width * size / most) if size > 0 else 0
        if size > 0 and length == 0:
            length = 1
        lines.append(f"{label[:label_width]:<{label_width}} {BAR * length} {show(value)}".rstrip())
    return lines


def drawn(value: int | str) -> int:
    """How long a figure's bar is: a released "<5" or "[c]" is drawn as nothing."""
    return value if isinstance(value, int) else 0


def ranked_services(figures: Figures, published=None) -> list[tuple[str, int | str]]:
    """Each service with its signposts over the period, most first: as released when `published` is given."""
    if published is not None:
        ranked = [(s.name, total) for s, _, _, total in published.services]
    else:
        ranked = [(s.name, figures.service_over(ref, figures.first, figures.last))
                  for ref, s in figures.services.items()]
    return sorted(ranked, key=lambda item: (-drawn(item[1]), item[0]))


def society_count(value: int, *, threshold: int, controlled: bool) -> str:
    """The society's own figures, not the centre's: under control, rounded as before (no cell key)."""
    if not controlled:
        return str(value)
    return f"<{threshold}" if 0 < value < threshold else str(round_count(value, threshold))


def society_hours(minutes: int, *, threshold: int, controlled: bool) -> str:
    """Volunteers' hours, to the nearest hour; under control rounded as the counts are: exact hours for any
    whole weeks and months could be differenced (a month less its weeks) into one day's, one volunteer's."""
    hours = (minutes + 30) // 60
    return society_count(hours, threshold=threshold, controlled=controlled) if controlled else f"{hours:,}"


def society_money(pence: int, *, threshold: int, controlled: bool) -> str:
    """One member's shares could be told from an exact figure: outside the café, whole pounds under the
    same rule as the counts (to the nearest £5, £1 to £4 as "under £5")."""
    if not controlled:
        return format_pence(pence)
    pounds = (pence + 50) // 100
    return f"under £{threshold}" if 0 < pounds < threshold else f"£{round_count(pounds, threshold):,}"


def reach_text(figures: Figures, society: SocietyFigures, *, published=None, threshold: int = 5) -> str:
    """The figures for a period. `published` (centre.export.Published, as released for the screen):
    for centre staff, every count as released to them, as in what the café exports; nothing is
    shown that the release does not hold (no figures by hour, which would be new sums)."""
    controlled = published is not None

    show = str

    def bars_(items, **kwargs):
        return bars(items, show=show, drawn=drawn, **kwargs)

    def count(value: int) -> str:
        return society_count(value, threshold=threshold, controlled=controlled)

    def money(pence: int) -> str:
        return society_money(pence, threshold=threshold, controlled=controlled)

    def hours(minutes: int) -> str:
        return society_hours(minutes, threshold=threshold, controlled=controlled)

    total = published.total if controlled else figures.total()
    rounding = ([f"Counts as released to the centre: 1 to {threshold - 1} show as <{threshold}, others are",
                 "nudged a little and rounded to the nearest 5; pounds and hours likewise:",
                 "disclosure control, as in exports."]
                if controlled else ["Counts and money are exact; hours are to the nearest hour."])
    if controlled and published.total_is != "the period's own figure":
        rounding.append(f"Totals add up the weeks or months shown (<{threshold} and [c] count as 0).")
    out = [
        f"{figures.first:%a %d %b %Y} to {figures.last:%a %d %b %Y}",
        *rounding,
        "",
        f"Visits (every sale)        {show(total['visits']):>7}",
        f"  by members {show(total['member_visits'])}, by non-members {show(total['non_member_visits'])}",
        f"In without buying          {show(total['people_without_purchase']):>7}",
        f"  adults {show(total['adults'])}, children {show(total['children'])}, under-5s {show(total['under5s'])}",
        f"Families with under-5s     {show(total['families_under5']):>7}",
        f"First visits               {show(total['first_visits']):>7}",
        f"Signposted to a service    {show(total['signposts']):>7}",
        f"  of which families with under-5s {show(total['signposts_under5'])}",
        "",
        f"Members now                {count(society.active_members):>7}",
        f"New members                {count(society.new_members):>7}",
        f"Volunteer hours            {hours(society.volunteer_minutes):>7}",
        f"Shares bought at the till  {money(society.share_capital_in_pence):>7}"
        + (f"   paid back {format_pence(society.share_capital_out_pence)}"
           if society.share_capital_out_pence and not controlled else ""),
    ]
    daily = published.daily if controlled else figures.daily
    by_weekday = [0] * 7
    for day, counts in daily.items():
        by_weekday[day.weekday()] += drawn(counts["visits"]) + drawn(counts["people_without_purchase"])
    out += ["", "PEOPLE IN BY DAY OF THE WEEK (visits and people in without buying)"]
    if controlled:
        out += [f"(adding up the days shown: <{threshold} and [c] count as 0)"]
    out += bars_([(d, n) for d, n in zip(DAYS, by_weekday)])
    hours = sorted(figures.by_hour)
    if hours and not controlled:
        out += ["", "BY HOUR OF THE DAY"]
        out += bars_([(f"{h:02d}:00-{h + 1:02d}:00", figures.by_hour[h]) for h in range(hours[0], hours[-1] + 1)])
    weeks = published.weeks if controlled else figures.weeks()
    if len(weeks) > 1:
        def weekly(start, end, m):
            return published.weekly[start][m] if controlled else figures.over(start, end)[m]

        out += ["", "VISITS BY WEEK"]
        out += bars_([(f"w/c {start:%d %b}", weekly(start, end, "visits")) for start, end in weeks])
        out += ["", "SIGNPOSTING BY WEEK"]
        out += bars_([(f"w/c {start:%d %b}", weekly(start, end, "signposts")) for start, end in weeks])
    if figures.services:
        out += ["", "SIGNPOSTING BY SERVICE"]
        out += bars_(ranked_services(figures, published), label_width=24, width=28)
    return "\n".join(out) + "\n"


def period(preset: str, today: date) -> tuple[date, date]:
    """The periods the Reports screen offers. Fixed calendar periods: whole weeks (Monday to Sunday)
    and whole months, never a window that slides a day at a time (each would be a new sum)."""
    monday = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    return {
        "this_week": (monday, today),
        "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "four_weeks": (monday - timedelta(days=28), monday - timedelta(days=1)),
        "twelve_weeks": (monday - timedelta(days=84), monday - timedelta(days=1)),
        "this_month": (month, today),
        "last_month": (last_month_end.replace(day=1), last_month_end),
        "three_months": (months_back(month, 3), last_month_end),
    }[preset]


def months_back(first: date, n: int) -> date:
    """The first of the month n months before `first` (negative n: after)."""
    index = first.year * 12 + first.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def step(first: date, last: date, direction: int) -> tuple[date, date]:
    """The same whole weeks or whole months, earlier (-1) or later (1)."""
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        months = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
        start = months_back(first, -direction * months)
        return start, months_back(start, -months) - timedelta(days=1)
    length = (last - first).days + 1
    return first + timedelta(days=direction * length), last + timedelta(days=direction * length)


#: What the screen offers; centre staff get only RELEASED, whole periods that have ended.
PERIODS = [("This week so far", "this_week"), ("Last week", "last_week"), ("Last 4 whole weeks", "four_weeks"),
           ("Last 12 whole weeks", "twelve_weeks"), ("This month so far", "this_month"),
           ("Last month", "last_month"), ("Last 3 whole months", "three_months")]
RELEASED = [(label, key) for label, key in PERIODS if not key.startswith("this_")]
