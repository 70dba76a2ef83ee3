"""The register of members for the board and the treasurer: a page at a time and searchable, the CSV export
(the full register, or the duplicate register members may see) and the AGM list of members entitled to vote
on a date. Every look and every download goes into the audit log with who looked and at what; the export
asks for the password again first.

Read through `books.membership`: on a hub, the office's consolidated copy, which holds the shares bought at
every till (each page says "as of" its last pull)."""

from __future__ import annotations

import io
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from access.accounts import SignInError
from access.throttle import TooManyTries
from coop.board import register_page
from coop.register_export import DUPLICATE_COLUMNS, REGISTER_COLUMNS, duplicate_rows, register_rows
from core.csv_files import DictWriter
from pos.web.web import address, page, render, web_of, whole_number
from volunteers.permissions import Action

#: The two registers the export offers: (what the form says, the audit's words, the file's name).
EXPORTS = {"full": ("The register (s.30): numbers, names, addresses, shares, money paid", "the full register",
                    "register"),
           "duplicate": ("The duplicate register (s.103) members may see: names and addresses only",
                         "the duplicate register", "duplicate-register")}


def password_ok(request: Request, who) -> str | None:
    """None if the password typed again is right; otherwise what to say (a wrong one counts as a wrong sign-in)."""
    try:
        web_of(request).access.confirm(who, request.state.form.get("password", ""), address=address(request))
    except (SignInError, TooManyTries) as error:
        return str(error)
    return None


@page(action=Action.view_register, personal="register")
async def register(request: Request, who) -> Response:
    text = request.query_params.get("q", "").strip()[:100]
    number = whole_number(request.query_params.get("page", "1")) or 1
    membership = web_of(request).books.membership
    shown = register_page(membership.register, membership.shares, text=text, page=number)
    # The audit says what was looked at: which page of the register, and the search typed.
    whom = f"the members found for \"{text}\"" if text else "every member"
    request.state.subject = f"{whom}, page {shown.page} of {shown.pages}"
    return render(request, "board_register.html", {"shown": shown, "text": text})


@page(action=Action.view_register)
async def export(request: Request, who) -> Response:
    if request.method == "GET":
        return render(request, "board_export.html", {"exports": EXPORTS, "chosen": "full"})
    chosen = request.state.form.get("which", "full")
    if chosen not in EXPORTS:
        chosen, error = "full", "Choose which register to download."
    else:
        error = password_ok(request, who)
    if error:
        return render(request, "board_export.html", {"exports": EXPORTS, "chosen": chosen, "error": error},
                      status_code=400)
    membership = web_of(request).books.membership
    if chosen == "duplicate":
        rows, columns = duplicate_rows(membership.register), DUPLICATE_COLUMNS
    else:
        rows, columns = register_rows(membership.register, membership.shares, membership.dividends), REGISTER_COLUMNS
    out = io.StringIO()
    writer = DictWriter(out, columns)
    writer.writeheader()
    writer.writerows(rows)
    _, words, name = EXPORTS[chosen]
    # Audited here, not by page(personal=...): a wrong password downloaded nothing.
    web_of(request).access.viewed(who, "register export", subject=f"{words}, {len(rows)} members, as CSV",
                                  address=address(request))
    today = web_of(request).shop.membership.today()
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{today.isoformat()}.csv"'})


@page(action=Action.view_register, personal="AGM voters")
async def voters(request: Request, who) -> Response:
    today = web_of(request).shop.membership.today()
    typed = request.query_params.get("on", "")
    try:
        on = date.fromisoformat(typed) if typed else today
        error = None
    except ValueError:
        on, error = today, "That is not a date: choose the day of the vote."
    # The CLI's `till members voters`: one member, one vote, for everyone who was a member that day.
    found = web_of(request).books.membership.register.all(on=on)
    request.state.subject = f"the members entitled to vote on {on.isoformat()}"
    return render(request, "board_voters.html", {"on": on, "voters": found, "error": error},
                  status_code=400 if error else 200)


ROUTES = [
    Route("/register", register),
    Route("/register/export", export, methods=["GET", "POST"]),
    Route("/register/voters", voters),
]
LINKS = [
    ("The register of members", "/register", Action.view_register),
    ("Download the register", "/register/export", Action.view_register),
    ("Members entitled to vote at a meeting", "/register/voters", Action.view_register),
]
