"""A volunteer's own pages: their shifts and hours, time credits and certificates (volunteers.summary),
the rota for the coming weeks with its gaps and their offers to cover one (volunteers.offers), and, for
shift leads and managers, the offers waiting to be answered. Whose record is always the signed-in
volunteer's: no page takes a volunteer's id from the address or the form; the offer being answered is
the only number a form sends, and the core checks the person answering may run the rota.

Offers are written to the shop's own books (on a hub, the office's, journaled to travel to the tills);
hours and time credits are read through `books`, which on a hub is the office's consolidated copy."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from access.guard import Forbidden, Kind
from core.clock import from_stamp
from core.errors import TillError
from core.text import sentence
from pos.web.web import page, render, web_of
from volunteers.offers import Offers
from volunteers.permissions import Action
from volunteers.shifts import as_hours

#: How far ahead the rota page looks, in weeks.
WEEKS_AHEAD = 4

def _volunteer_id(who) -> int:
    if who.volunteer_id is None:  # a staff account always has one; this keeps a member out for certain
        raise Forbidden("This page is not open to you.")
    return who.volunteer_id


@page(Kind.staff, personal="volunteering")
async def volunteering(request: Request, who) -> Response:
    till = web_of(request).shop.till
    today = till.today()
    # Through the books: on a hub the hours and time credits come from every till's shifts and sales.
    mine = web_of(request).books.volunteer(_volunteer_id(who), viewer_id=_volunteer_id(who),
                                           first=date(today.year, 1, 1), last=today)
    shifts = [{"on": f"{start:%a %d/%m/%Y}", "times": f"{start:%H:%M}-{end:%H:%M}", "hours": as_hours(s.minutes),
               "check": s.needs_check}
              for s in mine.shifts
              for start, end in [(_local(s.started_at, till.zone), _local(s.ended_at, till.zone))]]
    return render(request, "volunteering.html", {"mine": mine, "shifts": shifts})


def _local(at: str, zone):
    return from_stamp(at).astimezone(zone)


def _rota(request: Request, who, *, error: str | None = None, notice: str | None = None, status_code: int = 200):
    offers = Offers(web_of(request).shop.till)
    lines = offers.ahead(_volunteer_id(who), WEEKS_AHEAD)
    mine = [offer for offer in offers.of(_volunteer_id(who)) if offer.waiting]
    return render(request, "rota.html", {"lines": lines, "mine": mine, "error": error, "notice": notice,
                                         "weeks": WEEKS_AHEAD}, status_code=status_code)


@page(Kind.staff)
async def rota(request: Request, who) -> Response:
    return _rota(request, who, notice=request.query_params.get("done") and "Thank you: a shift lead will answer.")


@page(Kind.staff)
async def offer(request: Request, who) -> Response:
    """'I can cover that': refused in a sentence on the rota page when the core says no."""
    form = request.state.form
    offers = Offers(web_of(request).shop.till)
    try:
        slot_id, on = int(form.get("slot", "")), date.fromisoformat(form.get("on", ""))
    except ValueError:
        return _rota(request, who, error="That shift is not on the rota.", status_code=400)
    try:
        offers.offer(slot_id, on, volunteer_id=_volunteer_id(who))
    except TillError as refused:
        return _rota(request, who, error=sentence(str(refused)), status_code=400)
    return RedirectResponse("/rota?done=1", status_code=303)


@page(Kind.staff)
async def take_back(request: Request, who) -> Response:
    offers = Offers(web_of(request).shop.till)
    try:
        offers.withdraw(_number(request.state.form.get("offer")), volunteer_id=_volunteer_id(who))
    except TillError as refused:
        return _rota(request, who, error=sentence(str(refused)), status_code=400)
    return RedirectResponse("/rota", status_code=303)


def _answers(request: Request, *, error: str | None = None, notice: str | None = None, status_code: int = 200):
    waiting = Offers(web_of(request).shop.till).waiting()
    return render(request, "rota_offers.html", {"waiting": waiting, "error": error, "notice": notice},
                  status_code=status_code)


@page(action=Action.manage_rota)
async def answers(request: Request, who) -> Response:
    return _answers(request)


@page(action=Action.manage_rota)
async def answer(request: Request, who) -> Response:
    form = request.state.form
    offers = Offers(web_of(request).shop.till)
    choose = {"accept": offers.accept, "decline": offers.decline}.get(form.get("answer", ""))
    try:
        if choose is None:
            raise TillError("choose accept or decline")
        done = choose(_number(form.get("offer")), operator_id=_volunteer_id(who))
    except TillError as refused:
        return _answers(request, error=sentence(str(refused)), status_code=400)
    return _answers(request, notice=f"{done.name}'s offer for {done.on:%A %d %B} is {done.decision}.")


def _number(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise TillError("there is no such offer") from None


ROUTES = [
    Route("/volunteering", volunteering),
    Route("/rota", rota),
    Route("/rota/offer", offer, methods=["POST"]),
    Route("/rota/take-back", take_back, methods=["POST"]),
    Route("/rota/offers", answers),
    Route("/rota/answer", answer, methods=["POST"]),
]
LINKS = [
    ("My volunteering: hours, time credits, training", "/volunteering", {Kind.staff}),
    ("The rota: gaps to cover in the coming weeks", "/rota", {Kind.staff}),
    ("Offers to cover, waiting for an answer", "/rota/offers", Action.manage_rota),
]
