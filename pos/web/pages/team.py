"""The team, for those who may see everyone's hours (Action.see_hours: the board, the treasurer, shift leads
and managers): hours and time credits per volunteer per month (the core of `till volunteers hours`), the
training that has run out or runs out soon (of `till volunteers training-status`), and the rota of the coming
weeks with its gaps, to read (shift leads answer offers on /rota/offers).

Names, hours and dates only: no emergency contact or member number is on these pages. The hours and the
training pages are personal looks (no-store, audited). Hours are read through `books` (on a hub, the office's
consolidated copy of every till's shifts); the certificates and the rota from the books the web writes to."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.errors import TillError
from pos.web.pages.volunteer import WEEKS_AHEAD
from pos.web.web import page, render, web_of, whole_number
from volunteers.certificates import Certificates
from volunteers.offers import Offers
from volunteers.permissions import Action
from volunteers.shifts import as_hours
from volunteers.summary import everyones_hours

#: How far ahead the training page looks unless asked otherwise, and the choices it offers.
TRAINING_DAYS, TRAINING_CHOICES = 30, (30, 60, 90)


def _year(request: Request, today: date) -> int:
    typed = whole_number(request.query_params.get("year", str(today.year))) or 0
    if not 2000 <= typed <= today.year:
        raise TillError(f"Choose a year from 2000 to {today.year}.")
    return typed


@page(action=Action.see_hours, personal="team hours")
async def hours(request: Request, who) -> Response:
    web = web_of(request)
    today = web.shop.till.today()
    year = _year(request, today)
    request.state.subject = f"every volunteer in {year}"
    rows = everyones_hours(web.shop.volunteers, web.books.figures.shifts, viewer_id=who.volunteer_id,
                           first=date(year, 1, 1), last=min(date(year, 12, 31), today),
                           credits_per_hour=web.shop.settings.time_credits_per_hour)
    total = sum(row.minutes for row in rows)
    return render(request, "team_hours.html", {
        "rows": rows, "year": year, "years": list(range(today.year, today.year - 5, -1)),
        "total": as_hours(total), "shifts": sum(row.shifts for row in rows),
        "credits": sum(row.credits for row in rows), "to_check": sum(row.to_check for row in rows)})


@page(action=Action.see_hours, personal="team training")
async def training(request: Request, who) -> Response:
    days = whole_number(request.query_params.get("days", str(TRAINING_DAYS)))
    if days not in TRAINING_CHOICES:
        days = TRAINING_DAYS
    request.state.subject = "every volunteer"
    today = web_of(request).shop.till.today()
    due = Certificates(web_of(request).shop.db).due(today, days)
    return render(request, "team_training.html", {
        "expired": [d for d in due if d.expired], "soon": [d for d in due if not d.expired], "days": days,
        "choices": TRAINING_CHOICES})


@page(action=Action.see_hours)
async def rota(request: Request, who) -> Response:
    lines = Offers(web_of(request).shop.till).ahead(who.volunteer_id, WEEKS_AHEAD)
    return render(request, "team_rota.html", {"lines": lines, "weeks": WEEKS_AHEAD,
                                              "gaps": sum(line.shift.gap for line in lines)})


ROUTES = [
    Route("/team/hours", hours),
    Route("/team/training", training),
    Route("/team/rota", rota),
]
LINKS = [
    ("Volunteers' hours and time credits", "/team/hours", Action.see_hours),
    ("Training that has run out or soon will", "/team/training", Action.see_hours),
    ("The rota and its gaps, to read", "/team/rota", Action.see_hours),
]
