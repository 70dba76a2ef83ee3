"""The reach dashboard: the figures and periods of the till's Reports screen, for those the actions × roles
table lets see the reports (centre staff, shift leads, managers), and downloads of the centre's export for
whole weeks or months. Centre staff see every figure as released to the centre (centre.dashboard; the release
is recorded as the screen's is); the society's own staff see the true counts. The export is always released
figures. Nothing on these pages names anyone: the core gives counts, services' names and labels only.

On a hub the figures are counted from the office's consolidated copy of every till's records and the page
says "as of" its last pull; releases are recorded in the office's own books (as `till centre footfall
--all-tills` does)."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from centre.dashboard import Viewer, chosen, download, periods, reach
from centre.export import export_choices
from core.bounds import within_years
from core.errors import TillError
from core.text import sentence
from pos.consolidated import release_kind
from pos.web.web import page, render, web_of
from volunteers.permissions import Action, under_control

LAYOUTS = [("csv", "CSV (a spreadsheet)"), ("json", "JSON (for a program)"), ("html", "HTML (to read or print)")]


def _viewer(request: Request, who, kind: str) -> Viewer:
    web = web_of(request)
    settings = web.shop.settings
    return Viewer(controlled=under_control(who.roles, Action.view_reports), zone=settings.zone,
                  threshold=settings.centre.disclosure_threshold, society=settings.society.name,
                  kind=release_kind(kind, all_tills=web.books.copy is not None))


def _source(request: Request):
    """Where the figures are counted: the office's copy of every till on a hub, else the till's own file."""
    books = web_of(request).books
    return books.copy if books.copy is not None else books.shop.db


def _day(text: str | None) -> date | None:
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        raise TillError("those dates are not ones the dashboard knows") from None
    return day and within_years(day)  # a week's arithmetic near year 1 fails


def _step(text: str | None) -> int:
    return {"-1": -1, "1": 1}.get(text or "", 0)


@page(action=Action.view_reports)
async def dashboard(request: Request, who) -> Response:
    shop = web_of(request).shop
    viewer = _viewer(request, who, "screen")
    today = shop.today()
    query = request.query_params
    context = {"periods": periods(viewer.controlled), "preset": query.get("period"), "controlled": viewer.controlled,
               "layouts": LAYOUTS, "choices": export_choices(today), "as_of": web_of(request).books.as_of()}
    try:
        first, last = chosen(viewer, today, preset=query.get("period"), first=_day(query.get("from")),
                             last=_day(query.get("to")), direction=_step(query.get("step")))
        shown = reach(_source(request), shop.db, first, last, viewer, generated_at=shop.clock().astimezone(viewer.zone))
    except TillError as refused:
        return render(request, "reach_dashboard.html", {**context, "reach": None, "error": sentence(str(refused))},
                      status_code=400)
    return render(request, "reach_dashboard.html", {**context, "reach": shown, "error": None})


@page(action=Action.view_reports)
async def export(request: Request, who) -> Response:
    """One layout of the centre's export, as a file to keep."""
    shop = web_of(request).shop
    viewer = _viewer(request, who, "export")
    query = request.query_params
    try:
        first, last = _day(query.get("from")), _day(query.get("to"))
        if first is None or last is None:
            raise TillError("choose a whole week or month to download")
        name, media, text = download(_source(request), shop.db, first, last, query.get("format", ""), viewer,
                                     generated_at=shop.clock().astimezone(viewer.zone))
    except TillError as refused:
        return render(request, "reach_dashboard.html", {
            "reach": None, "error": sentence(str(refused)), "periods": periods(viewer.controlled), "preset": None,
            "controlled": viewer.controlled, "layouts": LAYOUTS, "choices": export_choices(shop.today()),
            "as_of": web_of(request).books.as_of()}, status_code=400)
    return Response(text, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


ROUTES = [
    Route("/reach", dashboard),
    Route("/reach/export", export),
]
LINKS = [
    ("Reach: footfall, families and signposting, and the centre's downloads", "/reach", Action.view_reports),
]
