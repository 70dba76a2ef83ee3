"""Signing in and out, using a code from the till to set a password, and the home page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from access.accounts import SignInError
from access.guard import Kind
from access.passwords import PasswordError
from access.throttle import TooManyTries
from pos.web.web import (
    FORM_COOKIE,
    SESSION_COOKIE,
    address,
    csrf_checked,
    page,
    render,
    session_token,
    set_cookie,
    signed_in,
    web_of,
)
from volunteers.permissions import Action, may


def _safe_next(target: str | None) -> str:
    # Only a path on this site: "next=https://elsewhere" must not send anyone away after signing in.
    return target if target and target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


async def sign_in(request: Request) -> Response:
    if request.method == "GET":
        if signed_in(request):
            return RedirectResponse("/", status_code=303)
        return render(request, "sign_in.html", {"next": _safe_next(request.query_params.get("next"))})
    request.state.principal = signed_in(request)  # signing in again: the form came with the session's token
    form = await csrf_checked(request)
    target = _safe_next(form.get("next"))
    try:
        token = web_of(request).access.sign_in(form.get("login", ""), form.get("password", ""),
                                               address=address(request), old_token=session_token(request))
    except (SignInError, TooManyTries) as error:
        return render(request, "sign_in.html", {"next": target, "error": str(error), "login": form.get("login", "")},
                      status_code=400)
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, SESSION_COOKIE, token)
    response.delete_cookie(FORM_COOKIE, path="/")
    return response


@page(Kind.member, Kind.staff)
async def sign_out(request: Request, who) -> Response:
    web_of(request).access.sign_out(session_token(request))
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


async def use_code(request: Request) -> Response:
    """The slip's code (members) or the manager's code (staff), once, to set a web password."""
    if request.method == "GET":
        return render(request, "use_code.html")
    form = await csrf_checked(request)
    try:
        web_of(request).access.set_password_with_code(
            form.get("login", ""), form.get("code", ""), form.get("password", ""), form.get("repeated", ""),
            address=address(request))
    except (SignInError, TooManyTries, PasswordError) as error:
        return render(request, "use_code.html", {"error": str(error), "login": form.get("login", "")},
                      status_code=400)
    return render(request, "sign_in.html", {"next": "/", "login": form.get("login", ""),
                                            "notice": "Your password is set. Sign in with it now."})


def links_for(who) -> list[tuple[str, str]]:
    from pos.web.app import LINKS

    return [(label, path) for label, path, allowed in LINKS
            if (may(who.roles, allowed) if isinstance(allowed, Action)
                else who.kind in allowed or bool(who.roles & set(allowed)))]


@page(Kind.member, Kind.staff)
async def home(request: Request, who) -> Response:
    return render(request, "home.html", {"links": links_for(who)})


ROUTES = [
    Route("/", home),
    Route("/sign-in", sign_in, methods=["GET", "POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
    Route("/use-code", use_code, methods=["GET", "POST"]),
]
LINKS: list = []
