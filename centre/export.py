"""What the café gives the children's centre: daily and weekly counts, under disclosure control.

Three layouts of the same figures (documented in the README, "Data contracts"):
CSV (one figure a row), JSON (with a schema version) and one self-contained HTML page with
its charts drawn inline, that prints on A4. Nothing here can hold a name, an address, a
membership number, a card token or a note: the figures are counts and the only text is the
society's name, the services' names and the measures' labels.
"""

from __future__ import annotations

import calendar
import html
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from centre.cellkey import NOISE, ROUND_TO
from centre.figures import MEASURES, Figures, gather
from centre.release import SECONDARY, months_in, release, service_id, weeks_in
from core.csv_files import Writer, atomic_text
from core.errors import TillError

SCHEMA = "community-till/centre-figures"
#: 2: every figure perturbed (cell key) before rounding, only whole weeks and months, months listed,
#: and a total over more than one week or month is the sum of the published parts.
SCHEMA_VERSION = 2
CSV_COLUMNS = ["period", "start", "end", "measure", "service_id", "directory", "service_name", "value"]
TOTAL_OWN = "the period's own figure"
TOTAL_SUMMED = "sum of published parts"


@dataclass
class Published:
    """Figures ready to leave the till: every value a perturbed, rounded count, 0, "<N" or "[c]"."""

    society: str
    first: date
    last: date
    threshold: int
    generated_at: str
    days: list[date]
    weeks: list[tuple[date, date]]
    months: list[tuple[date, date]]
    daily: dict[date, dict[str, int | str]]
    weekly: dict[date, dict[str, int | str]]
    monthly: dict[date, dict[str, int | str]]
    total: dict[str, int | str]
    #: TOTAL_OWN when the period is one week or month, else TOTAL_SUMMED ("<N" and "[c]" count 0)
    total_is: str
    #: one per service: (service, {week start: value}, {month start: value}, total value)
    services: list[tuple[object, dict[date, int | str], dict[date, int | str], int | str]]


def _total(parts: list) -> int:
    return sum(v for v in parts if isinstance(v, int))


def prepare(db: Database, figures: Figures, *, threshold: int, society: str, generated_at: datetime,
            kind: str = "export") -> Published:
    """The period's figures as released (centre.release): recorded, so the same ever after."""
    if threshold < 1:
        raise ValueError("the threshold is at least 1")
    shown = release(db, figures, threshold=threshold, kind=kind, at=generated_at)
    weeks, months = weeks_in(figures.first, figures.last), months_in(figures.first, figures.last)
    own = [("week", s) for s, e in weeks if (s, e) == (figures.first, figures.last)] + \
          [("month", s) for s, e in months if (s, e) == (figures.first, figures.last)]
    parts = ([("month", s) for s, _ in months] if months and months[0][0] == figures.first
             and months[-1][1] == figures.last else [("week", s) for s, _ in weeks]
             if weeks and weeks[0][0] == figures.first and weeks[-1][1] == figures.last
             else [("day", d) for d in figures.days])
    refs = sorted(figures.services, key=lambda r: figures.services[r].name.casefold())

    def service_total(service) -> int | str:
        sid = service_id(service)
        if own:
            return shown[(f"service-{own[0][0]}", sid, own[0][1])]
        if parts[0][0] == "day":  # no whole week or month to add up (never so for a release that may go out)
            return SECONDARY
        return _total([shown[(f"service-{k}", sid, s)] for k, s in parts])

    if own:
        total = {m: shown[(*own[0], m)] for m in MEASURES}
    else:
        total = {m: _total([shown[(k, s, m)] for k, s in parts]) for m in MEASURES}
    return Published(
        society=society, first=figures.first, last=figures.last, threshold=threshold,
        generated_at=generated_at.isoformat(timespec="seconds"), days=figures.days, weeks=weeks, months=months,
        daily={d: {m: shown[("day", d, m)] for m in MEASURES} for d in figures.days},
        weekly={w: {m: shown[("week", w, m)] for m in MEASURES} for w, _ in weeks},
        monthly={s: {m: shown[("month", s, m)] for m in MEASURES} for s, _ in months},
        total=total, total_is=TOTAL_OWN if own else TOTAL_SUMMED,
        services=[(figures.services[ref],
                   {w: shown[("service-week", service_id(figures.services[ref]), w)] for w, _ in weeks},
                   {s: shown[("service-month", service_id(figures.services[ref]), s)] for s, _ in months},
                   service_total(figures.services[ref])) for ref in refs],
    )


def to_csv(p: Published) -> str:
    out = io.StringIO()
    writer = Writer(out)  # a service's name comes from outside: never let a spreadsheet read it as a formula
    writer.writerow(CSV_COLUMNS)
    for day in p.days:
        for m in MEASURES:
            writer.writerow(["day", day, day, m, "", "", "", p.daily[day][m]])
    for start, end in p.weeks:
        for m in MEASURES:
            writer.writerow(["week", start, end, m, "", "", "", p.weekly[start][m]])
    for start, end in p.months:
        for m in MEASURES:
            writer.writerow(["month", start, end, m, "", "", "", p.monthly[start][m]])
    for m in MEASURES:
        writer.writerow(["total", p.first, p.last, m, "", "", "", p.total[m]])
    for service, by_week, by_month, total in p.services:
        for period, spans, values in (("week", p.weeks, by_week), ("month", p.months, by_month)):
            for start, end in spans:
                writer.writerow([period, start, end, "signposts_by_service", service.service_id,
                                 service.directory, service.name, values[start]])
        writer.writerow(["total", p.first, p.last, "signposts_by_service", service.service_id,
                         service.directory, service.name, total])
    return out.getvalue()


def to_json(p: Published) -> str:
    document = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "society": p.society,
        "from": p.first.isoformat(),
        "to": p.last.isoformat(),
        "generated_at": p.generated_at,
        "disclosure": {"threshold": p.threshold, "rounded_to": ROUND_TO, "noise": NOISE, "method": "cell key",
                       "small": f"<{p.threshold}", "secondary": SECONDARY, "total": p.total_is},
        "measures": {m: label.strip() for m, label in MEASURES.items()},
        "daily": [{"date": d.isoformat(), **p.daily[d]} for d in p.days],
        "weekly": [{"start": s.isoformat(), "end": e.isoformat(), **p.weekly[s]} for s, e in p.weeks],
        "monthly": [{"start": s.isoformat(), "end": e.isoformat(), **p.monthly[s]} for s, e in p.months],
        "total": p.total,
        "signposting": [
            {"service_id": s.service_id, "directory": s.directory, "service_name": s.name,
             "organization": s.organization_name,
             "weeks": {w.isoformat(): v for w, v in by_week.items()},
             "months": {m.isoformat(): v for m, v in by_month.items()}, "total": total}
            for s, by_week, by_month, total in p.services
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# The HTML report -----------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 180mm;
       font-size: 10pt; }
h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm; }
p.note { color: #444; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 4mm; }
table.days { font-size: 7.5pt; }
th, td { border-bottom: 1px solid #ccc; padding: 1mm 2mm; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #333; }
.chart { width: 100%; height: auto; }
.chart rect.bar { fill: #2f6f9f; } .chart text { font-size: 9px; fill: #1a1a1a; }
section { break-inside: avoid; page-break-inside: avoid; }
@media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
"""

# After the page has been laid out, count the bars actually drawn (a real, non-empty box):
# a headless browser test reads this back to know the charts rendered.
_CHECK = """
window.addEventListener("load", function () {
  var drawn = 0;
  document.querySelectorAll("svg.chart rect.bar").forEach(function (bar) {
    var box = bar.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) { drawn += 1; }
  });
  document.body.setAttribute("data-bars-drawn", String(drawn));
});
"""


def _number(value: int | str) -> float:
    return float(value) if isinstance(value, int) else 0.0


def _bars(title: str, items: list[tuple[str, int | str]], *, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG, with each figure written beside its bar."""
    row, label_w, value_w = 18, 190, 50
    height = row * max(1, len(items)) + 6
    most = max([_number(v) for _, v in items] + [1.0])
    parts = [f'<svg class="chart" role="img" aria-label="{html.escape(title)}" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for n, (label, value) in enumerate(items):
        y = 3 + n * row
        bar = (width - label_w - value_w - 10) * _number(value) / most
        parts.append(f'<text x="0" y="{y + 12}">{html.escape(label[:34])}</text>')
        if bar > 0:
            parts.append(f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{bar:.1f}" height="{row - 5}"/>')
        parts.append(f'<text x="{label_w + bar + 4:.1f}" y="{y + 12}">{html.escape(str(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headings: list[str], rows: list[list[str]], css: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def to_html(p: Published) -> str:
    week_label = [f"{s:%d %b}" + ("" if s == e else f"-{e:%d %b}") for s, e in p.weeks]
    weekly_rows = [[label.strip(), *[p.weekly[s][m] for s, _ in p.weeks], p.total[m]]
                   for m, label in MEASURES.items()]
    sections = [
        f"<h1>{html.escape(p.society)}: café figures for the children's centre</h1>",
        f'<p class="note">{p.first:%d %B %Y} to {p.last:%d %B %Y}. Counts only; no one is named. '
        f"Figures from 1 to {p.threshold - 1} show as &lt;{p.threshold}; to every other figure a small "
        f"amount (at most {NOISE} either way) is added before it is rounded to the nearest {ROUND_TO}, the same "
        f"for the same figure every time, and {SECONDARY} hides a figure that could otherwise be worked out. "
        + ("The total is the period's own figure. " if p.total_is == TOTAL_OWN else
           f"The total is the sum of the figures shown (&lt;{p.threshold} and {SECONDARY} count as 0). ")
        + f"Made {html.escape(p.generated_at)}.</p>",
        "<section><h2>Visits each week</h2>"
        + _bars("Visits each week", [(w, p.weekly[s]["visits"]) for w, (s, _) in zip(week_label, p.weeks)])
        + "</section>",
        "<section><h2>People in without buying, each week</h2>"
        + _bars("People in without buying each week",
                [(w, p.weekly[s]["people_without_purchase"]) for w, (s, _) in zip(week_label, p.weeks)])
        + "</section>",
        "<section><h2>Week by week</h2>" + _table(["", *week_label, "Total"], weekly_rows) + "</section>",
    ]
    if p.months:
        sections.append("<section><h2>Month by month</h2>" + _table(
            ["", *[f"{s:%B %Y}" for s, _ in p.months]],
            [[label.strip(), *[p.monthly[s][m] for s, _ in p.months]] for m, label in MEASURES.items()])
            + "</section>")
    if p.services:
        sections.append(
            "<section><h2>Signposting by service</h2>"
            + _bars("Signposting by service", [(s.name, total) for s, _, _, total in p.services])
            + _table(["Service", *week_label, "Total"],
                     [[s.name, *[by_week[w] for w, _ in p.weeks], total] for s, by_week, _, total in p.services])
            + "</section>")
    daily_rows = [[f"{d:%a %d %b}", *[p.daily[d][m] for m in MEASURES]] for d in p.days]
    sections.append("<section><h2>Day by day</h2>"
                    + _table(["Day", *[label.strip() for label in MEASURES.values()]], daily_rows, "days")
                    + "</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(p.society)} centre figures {p.first} to {p.last}</title>"
            f"<style>{_CSS}</style><script>{_CHECK}</script></head><body>"
            + "".join(sections) + "</body></html>\n")


# Exporting to a folder (a USB stick is a folder too) -------------------------------------------

FORMATS = {"csv": to_csv, "json": to_json, "html": to_html}


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def whole_period(first: date, last: date, *, today: date) -> str:
    """"weeks" or "months": what leaves for the centre is whole weeks (Monday to Sunday) or whole
    calendar months that have ended; anything else is a TillError in a plain sentence."""
    said = f"{first:%a %d %b %Y} to {last:%a %d %b %Y}"
    if last < first:
        raise TillError(f"{said} ends before it starts")
    if first.weekday() == 0 and last.weekday() == 6:
        kind = "weeks"
    elif first.day == 1 and last == _month_end(last):
        kind = "months"
    else:
        raise TillError(f"the centre's figures go out for whole weeks (Monday to Sunday) or whole calendar "
                        f"months only, and {said} is neither")
    if last >= today:
        raise TillError(f"{said} has not ended yet: its figures can go out from {last + timedelta(days=1):%a %d %b}")
    return kind


@dataclass
class Exported:
    first: date
    last: date
    folder: Path
    files: list[Path]


def export_to_folder(db: Database, first: date, last: date, folder: Path | str, *, zone: ZoneInfo, threshold: int,
                     society: str, generated_at: datetime) -> Exported:
    """The centre's figures for whole weeks or a whole month as CSV, JSON and HTML files in `folder`
    (made if need be), each under disclosure control. Refused with a plain sentence otherwise."""
    whole_period(first, last, today=generated_at.astimezone(zone).date())
    published = prepare(db, gather(db, first, last, zone=zone), threshold=threshold, society=society,
                        generated_at=generated_at)
    folder = Path(folder).expanduser()
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, layout in FORMATS.items():
            path = folder / f"centre-figures-{first.isoformat()}-to-{last.isoformat()}.{suffix}"
            with atomic_text(path) as out:  # never half a file where the centre will look
                out.write(layout(published))
            written.append(path)
    except OSError as error:
        raise TillError(f"the figures could not be written to {folder}: {error.strerror or error}") from None
    return Exported(first=first, last=last, folder=folder, files=written)


def export_choices(today: date, *, weeks: int = 4, months: int = 3) -> list[tuple[str, date, date]]:
    """The ended whole weeks and months a screen offers, most recent first: (label, first, last)."""
    monday = today - timedelta(days=today.weekday())
    choices = []
    for n in range(1, weeks + 1):
        start = monday - timedelta(days=7 * n)
        end = start + timedelta(days=6)
        choices.append((f"Week {start:%a %d %b} to {end:%a %d %b %Y}", start, end))
    end = today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        start = end.replace(day=1)
        choices.append((f"Month {start:%B %Y}", start, end))
        end = start - timedelta(days=1)
    return choices
