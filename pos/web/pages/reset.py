"""A forgotten password reset by email (access.resets), only where the settings give an SMTP server,
the sender's address and the web's public address; elsewhere these pages do not exist (404) and a
forgotten password is a new slip from the till."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from access import resets
from access.passwords import PasswordError
from access.throttle import TooManyTries
from core.crash_log import log_unexpected
from pos.web.web import address, csrf_checked, render, signed_in, web_of


def _open(request: Request) -> None:
    if not web_of(request).settings.email_resets:
        raise HTTPException(404)


async def forgot(request: Request) -> Response:
    _open(request)
    # Signed in or not, the form's token is the one this request's POST will be checked against.
    request.state.principal = signed_in(request)
    if request.method == "GET":
        return render(request, "forgot.html")
    form = await csrf_checked(request)
    web = web_of(request)
    try:
        mails = resets.request_reset(web.access, form.get("email", ""), address=address(request),
                                     public_url=web.settings.public_url)
    except TooManyTries as error:
        return render(request, "forgot.html", {"error": str(error)}, status_code=400)
    # The page is answered first, the same for every address; any mail goes after it.
    response = render(request, "forgot.html", {"notice": resets.SENT})
    response.background = BackgroundTask(_send, mails, web)
    return response


def _send(mails, web) -> None:
    settings = web.settings
    try:
        resets.send(mails, society=web.shop.settings.society.name, host=settings.smtp_host, port=settings.smtp_port,
                    sender=settings.mail_from, starttls=settings.smtp_starttls, username=settings.smtp_username,
                    password=settings.smtp_password)
    except Exception as error:  # noqa: BLE001 - the page was answered; the fault goes to the log
        log_unexpected(error)


async def reset(request: Request) -> Response:
    _open(request)
    # Signed in or not, the form's token is the one this request's POST will be checked against.
    request.state.principal = signed_in(request)
    if request.method == "GET":
        response = render(request, "reset.html", {"token": request.query_params.get("token", "")})
        response.headers["Cache-Control"] = "no-store"  # the address holds the token
        return response
    form = await csrf_checked(request)
    try:
        resets.reset_password(web_of(request).access, form.get("token", ""), form.get("password", ""),
                              form.get("repeated", ""), address=address(request))
    except (resets.ResetRefused, PasswordError, TooManyTries) as error:
        return render(request, "reset.html", {"token": form.get("token", ""), "error": str(error)}, status_code=400)
    return render(request, "sign_in.html", {"next": "/", "notice": "Your new password is set. Sign in with it now."})


ROUTES = [Route("/forgot", forgot, methods=["GET", "POST"]), Route("/reset", reset, methods=["GET", "POST"])]
LINKS: list = []
