"""The treasurer's and the board's takings pages, under /books/: takings by day, till and tender; the Z reports
of a period with their cash differences, each drilled into to its session's sales; VAT by rate where the
society is registered; share capital bought, given as dividend and withdrawn; and the receipts a printer
refused. Open to whoever may view the takings (volunteers/permissions.py).

Every figure comes from pos/takings.py or coop/capital.py over `books.figures` (on a hub, the office's
consolidated copy), and every page says "as of" that copy's last pull. Nothing here changes anything, and no
page names a member: that is the register's business, with its own audited pages."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coop.capital import capital_pence, movements
from core.clock import local
from core.errors import TillError
from core.money import format_pence
from core.text import sentence
from pos.takings import (
    daily_takings,
    period,
    refused_receipts,
    session_detail,
    tender_label,
    vat_by_rate,
    z_reports,
)
from pos.web.web import page, render, templates, web_of
from volunteers.permissions import Action

# The takings tables hold many amounts: the templates format each with core/money.py.
templates.env.filters.setdefault("pence", format_pence)
templates.env.filters.setdefault("tender", tender_label)
templates.env.filters.setdefault("when", lambda at, zone: f"{local(at, zone):%a %d/%m %H:%M}")


def _books(request: Request):
    """What every takings page reads: the figures' database, the shop's settings, and the period asked for
    (the last week when none, with a sentence when the one asked for cannot be)."""
    books = web_of(request).books
    settings = books.shop.settings
    today = books.shop.till.today()
    query = request.query_params
    try:
        chosen, error = period(query.get("first"), query.get("last"), today=today), None
    except TillError as refused:
        chosen, error = period(None, None, today=today), sentence(str(refused))
    context = {"as_of": books.as_of(), "period": chosen, "error": error,
               "query": urlencode({"first": chosen.first.isoformat(), "last": chosen.last.isoformat()})}
    return books.figures.db, settings, chosen, context


def _page(request: Request, name: str, context: dict) -> Response:
    return render(request, name, context, status_code=400 if context.get("error") else 200)


@page(action=Action.view_takings)
async def takings(request: Request, who) -> Response:
    db, settings, chosen, context = _books(request)
    return _page(request, "books_takings.html", {**context, "takings": daily_takings(db, chosen)})


@page(action=Action.view_takings)
async def zs(request: Request, who) -> Response:
    db, settings, chosen, context = _books(request)
    lines = z_reports(db, chosen, zone=settings.zone, vat_registered=settings.society.vat_registered)
    return _page(request, "books_zs.html", {**context, "lines": lines})


@page(action=Action.view_takings)
async def session(request: Request, who) -> Response:
    db, settings, _, context = _books(request)
    try:
        detail = session_detail(db, request.path_params["session"], zone=settings.zone,
                                vat_registered=settings.society.vat_registered)
    except TillError as refused:
        return render(request, "error.html", {**context, "status": 404, "message": sentence(str(refused))},
                      status_code=404)
    return render(request, "books_z.html", {**context, "detail": detail, "z": detail.report,
                                            "rows": z_rows(detail.report), "picker": False})


def z_rows(z) -> list[tuple[str, str]]:
    """A Z's figures as the paper one lists them, a row each, for the drill-down."""
    rows = [("Sales", str(z.sales_count)), ("Gross sales", format_pence(z.gross_sales_pence)),
            ("Discounts", format_pence(-z.discounts_pence)),
            ("Refunds", f"{z.refunds_count}, {format_pence(-z.refunds_pence)}"),
            ("Net sales", format_pence(z.net_sales_pence)),
            ("Collected for others (not takings)", format_pence(z.pass_through_pence)),
            ("Takings", format_pence(z.takings_pence)),
            ("Community fund (not takings)", format_pence(z.donations_pence)),
            ("Voided baskets", f"{z.voids_count}, {format_pence(z.voids_pence)}"),
            ("No-sale drawer openings", str(z.no_sales))]
    rows += [(tender_label(kind), format_pence(amount)) for kind, amount in z.tenders.items()]
    rows += [("Float", format_pence(z.float_pence)), ("Paid in", format_pence(z.paid_in_pence)),
             ("Paid out", format_pence(z.paid_out_pence)),
             ("Share capital in, out", f"{format_pence(z.share_capital_in_pence)}, "
                                       f"{format_pence(z.share_capital_out_pence)}"),
             ("Dividends and credit paid in cash", format_pence(z.dividend_paid_pence + z.credit_paid_out_pence)),
             ("Cash expected", format_pence(z.cash_expected_pence))]
    if z.cash_counted_pence is not None:
        rows += [("Cash counted", format_pence(z.cash_counted_pence)),
                 ("Difference", difference(z.cash_difference_pence))]
    return rows


def difference(pence: int) -> str:
    if pence == 0:
        return "none"
    return f"{format_pence(abs(pence))} {'over' if pence > 0 else 'short'}"


templates.env.filters.setdefault("difference", difference)


@page(action=Action.view_takings)
async def vat(request: Request, who) -> Response:
    db, settings, chosen, context = _books(request)
    registered = settings.society.vat_registered
    lines = vat_by_rate(db, chosen, zone=settings.zone) if registered else []
    return _page(request, "books_vat.html", {**context, "registered": registered, "lines": lines})


@page(action=Action.view_takings)
async def shares(request: Request, who) -> Response:
    db, settings, chosen, context = _books(request)
    by = "day" if request.query_params.get("by") == "day" else "month"
    value = settings.coop.rules().share_value_pence
    lines = movements(db, chosen.first, chosen.last, by=by, share_value_pence=value)
    return _page(request, "books_shares.html", {**context, "lines": lines, "by": by,
                                                "capital": capital_pence(db, chosen.last, share_value_pence=value)})


@page(action=Action.view_takings)
async def receipts(request: Request, who) -> Response:
    books = web_of(request).books
    # The receipt queue is each till's working state and never travels to the hub: only this computer's own.
    found = refused_receipts(books.shop.db)
    zone = books.shop.settings.zone
    return render(request, "books_receipts.html", {"as_of": books.as_of(), "tills": found, "zone": zone,
                                                   "on_hub": books.on_hub})


ROUTES = [
    Route("/books/takings", takings),
    Route("/books/z", zs),
    Route("/books/z/{session:int}", session),
    Route("/books/vat", vat),
    Route("/books/shares", shares),
    Route("/books/receipts", receipts),
]
LINKS = [
    ("The takings: by day, till and tender; Z reports; VAT; share capital; refused receipts", "/books/takings",
     Action.view_takings),
]
