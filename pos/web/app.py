"""The web back office's application: `create_app(...)` gives the ASGI app `till web` serves and
the tests drive. The pages are gathered from pos.web.pages.PAGES."""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from access.accounts import WebAccess
from access.guard import Forbidden
from access.sessions import Expiry
from core.errors import TillError
from pos.config import WebSettings
from pos.web.pages import PAGES
from pos.web.shield import Shield
from pos.web.web import Web, render, templates
from pos.web_books import WebBooks

_MODULES = [importlib.import_module(name) for name in PAGES]
#: (label, path, allowed) of every page, for the home page.
LINKS = [link for module in _MODULES for link in module.LINKS]

#: What the error pages say: nothing about what was asked for or why it failed.
SAID = {403: "This page is not open to you.", 404: "There is no such page.",
        405: "That cannot be done here.", 500: "Something went wrong. It has been noted; please try again later."}


def create_app(shop, settings: WebSettings, secret: bytes) -> Shield:
    """The web over `shop` (its database and clock), with `secret` from the web's secret file. At a till of a
    hub that is not the office: TillError (pos/web_books.py)."""
    books = WebBooks(shop)
    access = WebAccess(shop.db, shop.clock, secret, Expiry(idle=timedelta(minutes=settings.idle_minutes),
                                                            absolute=timedelta(hours=settings.absolute_hours)),
                       till_id=f"{shop.settings.till_id}-web")
    routes = [route for module in _MODULES for route in module.ROUTES]
    routes.append(Mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"))
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error, Forbidden: _forbidden,
                                                       TillError: _refused, Exception: _fault})
    app.state.web = Web(shop=shop, access=access, settings=settings, books=books)
    # Unpaid applications to join past their time go at start-up, as well as after each Z and with each new one.
    shop.membership.applications().purge_unpaid(settings.application_days)
    access.forget_old_views(settings.views_days)
    return Shield(app, _fault_page)


def _error(request: Request, status: int, message: str | None = None):
    response = render(request, "error.html", {"status": status, "message": message or SAID.get(status, SAID[500])},
                      status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _http_error(request: Request, error: HTTPException):
    return _error(request, error.status_code if error.status_code in SAID else 404)


async def _forbidden(request: Request, error: Forbidden):
    # The CSRF refusal says how to carry on; a role refusal says only no.
    return _error(request, 403, str(error) if "form has expired" in str(error) else None)


async def _refused(request: Request, error: TillError):
    """A rule said no (one plain sentence): shown as it is, like at the till."""
    return _error(request, 400, str(error))


async def _fault(request: Request, error: Exception):
    # Starlette answers with this, then raises the fault on to pos.web.shield, which logs it.
    return HTMLResponse(_fault_page(), status_code=500, headers={"Cache-Control": "no-store"})


def _fault_page() -> bytes:
    return templates.get_template("error.html").render(status=500, message=SAID[500], who=None,
                                                       csrf="").encode("utf-8")
