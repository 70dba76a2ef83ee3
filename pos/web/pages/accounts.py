"""The accounts export on the web (`/books/accounts`) for a manager or the treasurer: choose a period, see how
many journals it makes and what it leaves out (a session with no Z yet, lines sent to suspense), then download
it as `till accounts export` writes it: beancount, Xero (several files in a zip) or the plain CSV.

The journals are accounts/journals.py's over `books.figures` (on a hub, the office's consolidated copy, as
`--all-tills` reads it; each page says "as of" its last pull), and the file is accounts/download.py's, made
by the command's own writers. A download is audited as the command's export is: who, which period, which
format; showing the period is a look at figures naming nobody, as the takings pages are."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accounts.chart import Chart
from accounts.download import FORMATS, download
from accounts.journals import export
from core.database import transaction
from core.errors import TillError
from core.text import sentence
from pos.takings import period
from pos.web.web import page, render, templates, web_of
from volunteers.permissions import Action, may

# The books' menu offers the export only to those the table lets export (a board member reads the books but
# exports nothing).
templates.env.globals.setdefault("may", lambda who, action: who is not None and may(who.roles, Action(action)))

#: A year and a day: a whole financial year, even a leap one, in one export.
LONGEST_DAYS = 366


def _export(request: Request, asked):
    """The period asked for (`asked`: the query or the form) and its journals, and the page's context."""
    books = web_of(request).books
    settings = books.shop.settings
    error = None
    today = books.shop.till.today()
    try:
        chosen = period(asked.get("first"), asked.get("last"), today=today, longest=LONGEST_DAYS)
    except TillError as refused:
        chosen, error = period(None, None, today=today), sentence(str(refused))
    chart = Chart(settings.accounts)
    found = export(books.figures.db, chosen.first, chosen.last, chart=chart, zone=settings.zone,
                   vat_registered=settings.society.vat_registered, share_value_pence=settings.coop.share_value_pence)
    kind = asked.get("format") if asked.get("format") in FORMATS else "csv"
    context = {"period": chosen, "error": error,
               "query": urlencode({"first": chosen.first.isoformat(), "last": chosen.last.isoformat()}), "found": found, "chart": chart, "formats": FORMATS, "kind": kind,
               "unfinished": [f"Note: {said}." for said in found.unfinished],  # as the command says it
               "suspense_pence": sum(posting.amount for _, posting in found.suspense)}
    return found, chart, chosen, context


@page(action=Action.accounts_export)
async def accounts(request: Request, who) -> Response:
    _, _, _, context = _export(request, request.query_params)
    return render(request, "books_accounts.html", context, status_code=400 if context["error"] else 200)


@page(action=Action.accounts_export)
async def accounts_download(request: Request, who) -> Response:
    form = request.state.form
    found, chart, chosen, context = _export(request, form)
    if context["error"]:
        return render(request, "books_accounts.html", context, status_code=400)
    try:
        made = download(found, context["kind"], chart=chart, first=chosen.first, last=chosen.last)
    except TillError as refused:  # a journal too long for one Xero file: the sentence says which
        return render(request, "books_accounts.html", {**context, "error": sentence(str(refused))}, status_code=400)
    books = web_of(request).books
    whose = " for every till" if books.copy is not None else ""
    with transaction(books.shop.db):
        books.shop.till.audit(Action.accounts_export, who.volunteer_id, None,
                              f"web back office: accounts export {chosen.first} to {chosen.last} as "
                              f"{context['kind']}{whose}")
    return Response(made.content, media_type=made.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{made.name}"'})


ROUTES = [
    Route("/books/accounts", accounts),
    Route("/books/accounts", accounts_download, methods=["POST"]),
]
LINKS = [
    ("The accounts export: journals for beancount, Xero or a spreadsheet", "/books/accounts",
     Action.accounts_export),
]
