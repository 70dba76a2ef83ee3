"""What every page uses: who is signed in, the role check, the CSRF check, the personal-page rule
(no-store and an audit entry), the address a request came from, and rendering a template.

A new page is an async function taking (request, principal), wrapped in `page(...)`:

    @page(Kind.member, personal="statement")
    async def statement(request, who): ...

    @page(action=Action.view_takings)
    async def takings(request, who): ...

`page` sends the signed-out to the sign-in page, refuses (403) anyone outside `allowed` through
access.guard.require, checks the CSRF token of every POST, and for a personal page sets
`Cache-Control: no-store` and writes the view to the audit log (the subject is the principal's own
record unless the page sets `request.state.subject`). On a hub every signed-in page says how fresh the
office's copy is ("as of 14:05", and the records that arrived late), whatever it shows.

Figures from sales and shifts (purchases, dividend, credit, hours, time credits) are read through
`web_of(request).books` (`.membership`, `.volunteer(…)`, `.figures`), never `.shop`: on a hub only the office's consolidated
copy has every till's (pos/web_books.py)."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from access.accounts import WebAccess
from access.guard import Forbidden, Kind, Principal, require, require_action
from pos.config import WebSettings
from pos.web_books import WebBooks
from volunteers.permissions import Action

SESSION_COOKIE = "till_session"
#: Before signing in there is no session: the sign-in and code forms' CSRF token hangs on this instead.
FORM_COOKIE = "till_form"

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@dataclass
class Web:
    """What the pages share, kept on `app.state.web`."""

    #: The shop whose database the web writes to (and reads all but the tills' figures from): the till's
    #: own file, or on a hub the office's (pos/web_books.py).
    shop: object
    access: WebAccess
    settings: WebSettings
    #: Where figures from sales and shifts are read: the office's consolidated copy on a hub.
    books: WebBooks


def web_of(request: Request) -> Web:
    return request.app.state.web


def address(request: Request) -> str:
    """Where the request came from, for the per-address limits and the audit. The proxy's
    X-Forwarded-For is believed only from the trusted proxy the settings name (its last entry: the
    one the proxy itself added; earlier ones are whatever the browser claimed)."""
    host = request.client.host if request.client else "unknown"
    proxy = web_of(request).settings.trusted_proxy
    if proxy and host == proxy:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return host


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def signed_in(request: Request) -> Principal | None:
    return web_of(request).access.who(session_token(request))


def form_token(request: Request) -> str:
    """The token this request's forms must send back: the session's, or the signed-out visitor's."""
    token = session_token(request) if getattr(request.state, "principal", None) else None
    token = token or request.cookies.get(FORM_COOKIE) or getattr(request.state, "form_cookie", None)
    if token is None:
        token = request.state.form_cookie = secrets.token_urlsafe(32)
    return web_of(request).access.csrf_token(token)


async def csrf_checked(request: Request) -> dict:
    """The form, if its CSRF token is right; Forbidden otherwise (nothing is changed)."""
    form = await request.form()
    token = session_token(request) if getattr(request.state, "principal", None) else request.cookies.get(FORM_COOKIE)
    if not web_of(request).access.csrf_ok(token, form.get("csrf")):
        raise Forbidden("This form has expired. Go back, reload the page and try again.")
    return {key: value for key, value in form.items() if isinstance(value, str)}


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=True, httponly=True, samesite="strict")


def whole_number(typed: str, *, most: int = 999_999) -> int | None:
    """A count typed in a form (shares), or None for the core to refuse in a sentence: only plain digits, and
    not so many that Python cannot read them ("²" passes str.isdigit; 5,000 nines pass it too). `most`: a
    price in pence or a record's number may be larger than a count."""
    typed = typed.strip()
    if not (typed.isascii() and typed.isdigit() and len(typed) <= len(str(most))):
        return None
    return int(typed) if int(typed) <= most else None


def render(request: Request, name: str, context: dict | None = None, *, status_code: int = 200) -> Response:
    context = {"who": getattr(request.state, "principal", None), "csrf": form_token(request),
               "email_resets": web_of(request).settings.email_resets, **(context or {})}
    if getattr(request.state, "principal", None):
        # Every signed-in page on a hub says how fresh the office's copy is (templates/_as_of.html).
        context.setdefault("as_of", web_of(request).books.as_of())
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    made = getattr(request.state, "form_cookie", None)
    if made and not request.cookies.get(FORM_COOKIE):
        set_cookie(response, FORM_COOKIE, made)
    return response


def to_sign_in(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)


#: The largest number SQLite keeps (a path's record number above it is no record, not an error).
SQLITE_MAX = 2**63 - 1


def page(*allowed: Kind | object, action: Action | None = None, personal: str | None = None):
    """An endpoint for signed-in people of `allowed` kinds, or for staff whose roles may do `action` by
    the actions × roles table (volunteers/permissions.py), which the role tests read from `run.action`."""
    if bool(allowed) == bool(action):
        raise TypeError("a page is open to kinds of people or to those who may do an action: one of them")

    def wrap(endpoint):
        @functools.wraps(endpoint)
        async def run(request: Request) -> Response:
            who = signed_in(request)
            if who is None:
                return to_sign_in(request)
            request.state.principal = require_action(who, action) if action else require(who, *allowed)
            request.state.personal = personal
            if any(isinstance(value, int) and not 0 <= value <= SQLITE_MAX for value in request.path_params.values()):
                raise HTTPException(404)  # no record has such a number; SQLite could not even be asked
            if request.method == "POST":
                request.state.form = await csrf_checked(request)
            elif request.method == "HEAD":
                # Starlette answers HEAD with the GET route: the endpoint must see a GET, not take its POST
                # branch; the server leaves the body out, as it does for every HEAD.
                request = Request({**request.scope, "method": "GET"}, request.receive)
            response = await endpoint(request, who)
            # Every signed-in page, not only the personal ones: the centre's computers are shared.
            response.headers["Cache-Control"] = "no-store"
            if personal:
                subject = getattr(request.state, "subject", None) or who.member_number or who.name
                web_of(request).access.viewed(who, personal, subject=subject, address=address(request))
            return response

        run.allowed, run.action = allowed, action
        return run

    return wrap
