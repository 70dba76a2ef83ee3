"""The Reports area's figures as plain text with bar charts drawn in characters, the number
beside every bar: the same on the till screen (Textual) and on the command line."""

from __future__ import annotations

from datetime import date

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


def reach_text(figures: Figures, society: SocietyFigures, *, controlled: bool = False,
               threshold: int = 5) -> str:
    """The figures for a period. `controlled`: for centre staff, each figure under disclosure
    control (1..threshold-1 as "<N", others rounded to 5), as in what the café exports."""

    def show(value: int) -> str:
        if not controlled:
            return str(value)
        return f"<{threshold}" if 0 < value < threshold else str(round_count(value, threshold))

    def drawn(value: int) -> int:
        if not controlled:
            return value
        return 0 if 0 < value < threshold else round_count(value, threshold)

    def bars_(items, **kwargs):
        return bars(items, show=show, drawn=drawn, **kwargs)

    def money(pence: int) -> str:
        # One member's shares could be told from an exact figure: outside the café, whole pounds
        # under the same rule as the counts (to the nearest £5, £1 to £4 as "under £5").
        if not controlled:
            return format_pence(pence)
        pounds = (pence + 50) // 100
        return f"under £{threshold}" if 0 < pounds < threshold else f"£{round_count(pounds, threshold):,}"

    total = figures.total()
    hours = (society.volunteer_minutes + 30) // 60
    rounding = ([f"Figures are rounded to the nearest 5 (1 to {threshold - 1} show as <{threshold}), money to the",
                 "nearest £5 and hours to the nearest hour: disclosure control, as in exports."]
                if controlled else ["Counts and money are exact; hours are to the nearest hour."])
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
        f"Members now                {show(society.active_members):>7}",
        f"New members                {show(society.new_members):>7}",
        f"Volunteer hours            {hours:>7,}",
        f"Shares bought at the till  {money(society.share_capital_in_pence):>7}"
        + (f"   paid back {format_pence(society.share_capital_out_pence)}"
           if society.share_capital_out_pence and not controlled else ""),
    ]
    by_weekday = [0] * 7
    for day, counts in figures.daily.items():
        by_weekday[day.weekday()] += counts["visits"] + counts["people_without_purchase"]
    out += ["", "PEOPLE IN BY DAY OF THE WEEK (visits and people in without buying)"]
    out += bars_([(d, n) for d, n in zip(DAYS, by_weekday)])
    hours = sorted(figures.by_hour)
    if hours:
        out += ["", "BY HOUR OF THE DAY"]
        out += bars_([(f"{h:02d}:00-{h + 1:02d}:00", figures.by_hour[h]) for h in range(hours[0], hours[-1] + 1)])
    weeks = figures.weeks()
    if len(weeks) > 1:
        out += ["", "VISITS BY WEEK"]
        out += bars_([(f"w/c {start:%d %b}", figures.over(start, end)["visits"]) for start, end in weeks])
        out += ["", "SIGNPOSTING BY WEEK"]
        out += bars_([(f"w/c {start:%d %b}", figures.over(start, end)["signposts"]) for start, end in weeks])
    if figures.services:
        out += ["", "SIGNPOSTING BY SERVICE"]
        ranked = sorted(((s.name, figures.service_over(ref, figures.first, figures.last))
                         for ref, s in figures.services.items()), key=lambda item: (-item[1], item[0]))
        out += bars_(ranked, label_width=24, width=28)
    return "\n".join(out) + "\n"


def period(preset: str, today: date) -> tuple[date, date]:
    """The periods the Reports screen offers, ending today at the latest."""
    from datetime import timedelta

    monday = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    return {
        "this_week": (monday, today),
        "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "four_weeks": (today - timedelta(days=27), today),
        "this_month": (month, today),
        "last_month": (last_month_end.replace(day=1), last_month_end),
        "twelve_weeks": (today - timedelta(days=83), today),
    }[preset]


PERIODS = [("This week", "this_week"), ("Last week", "last_week"), ("Last 4 weeks", "four_weeks"),
           ("This month", "this_month"), ("Last month", "last_month"), ("Last 12 weeks", "twelve_weeks")]
