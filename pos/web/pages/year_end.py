"""The co-op's year end for the treasurer and the board (`/books/year-end`): the figures `till year-end` gives
for the AGM and the annual return, section by section, and the command's own CSV and JSON to download.

Read from the same books as the command (pos/vat_turnover.py `society_books`): on a hub, the office's
consolidated copy, refused in a sentence until the office has pulled one. The downloads are
pos/year_end_text.py's output, byte for byte, so the page and the command cannot differ. Nothing here
changes anything or names a member, so, like the takings pages, a look is not audited."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.errors import TillError
from core.text import sentence
from pos.vat_turnover import society_books
from pos.web.web import page, render, web_of
from pos.year_end import YearEnd, year_end, year_ending
from pos.year_end_text import not_known, rows, shown
from pos.year_end_text import render as rendered
from volunteers.permissions import Action

#: The downloads: (media type, the file name's ending).
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _year_end(request: Request) -> tuple[YearEnd | None, dict]:
    """The year chosen (the last 31 March when none) and its figures, or None with the sentence that says why."""
    books = web_of(request).books
    settings = books.shop.settings
    today = books.shop.till.today()
    context = {"last": None, "error": None, "unavailable": None}
    try:
        last = year_ending(request.query_params.get("year_ending"), today=today)
    except TillError as refused:
        return None, {**context, "last": year_ending(None, today=today), "error": sentence(str(refused))}
    context["last"] = last
    try:
        with society_books(books.shop.db, settings, "the year end") as db:
            return year_end(db, settings, last), context
    except TillError as refused:
        return None, {**context, "unavailable": sentence(str(refused))}


def sections(found: YearEnd) -> list[tuple[str, list[tuple[str, str]]]]:
    """The figures in the text output's order and words, a section at a time, each shown as people read it."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for where, label, value, unit in rows(found):
        where, label = where[:1].upper() + where[1:], label[:1].upper() + label[1:]
        if not out or out[-1][0] != where:
            out.append((where, []))
        out[-1][1].append((label, shown(value, unit)))
    return out


def _page(request: Request, found: YearEnd | None, context: dict) -> Response:
    extra = {"sections": sections(found), "not_known": not_known(found)} if found else {}
    return render(request, "books_year_end.html", {**context, **extra, "found": found},
                  status_code=400 if context["error"] else 200)


@page(action=Action.year_end)
async def year_end_page(request: Request, who) -> Response:
    found, context = _year_end(request)
    return _page(request, found, context)


@page(action=Action.year_end)
async def download(request: Request, who) -> Response:
    kind = request.path_params["kind"]
    if kind not in FORMATS:
        return render(request, "error.html", {"status": 404, "message": "The year end downloads as CSV or JSON."},
                      status_code=404)
    found, context = _year_end(request)
    if found is None:
        return _page(request, found, context)
    name = f"year-end-{found.last.isoformat()}.{kind}"
    return Response(rendered(found, kind), media_type=FORMATS[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


ROUTES = [
    Route("/books/year-end", year_end_page),
    Route("/books/year-end.{kind:str}", download),
]
LINKS = [
    ("The year end: the figures for the AGM and the annual return", "/books/year-end", Action.year_end),
]
