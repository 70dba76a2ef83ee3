"""What wraps every response, whatever made it: the security headers, and a plain page in place of
any fault (logged for a developer, never shown)."""

from __future__ import annotations

import logging

from core.crash_log import log_unexpected

#: Only this site's own files: no script, style, font or frame from anywhere else, no inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

log = logging.getLogger("pos.web")


class Shield:
    """ASGI middleware outside everything else, so a fault anywhere (even in another middleware)
    still gets the headers and the plain page."""

    def __init__(self, app, fault_page) -> None:
        self.app = app
        #: () -> bytes: the plain "something went wrong" page.
        self.fault_page = fault_page

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    header for header in HEADERS if header[0] not in present]
                # Every page, signed in or not, is kept out of caches: the centre's computers are shared, and
                # a refused form (an application to join, a reset link) shows back what was typed. Only the
                # CSS and other static files, which say nothing of anyone, may be kept.
                if b"cache-control" not in present and not scope.get("path", "").startswith("/static/"):
                    message["headers"].append((b"cache-control", b"no-store"))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
            where = log_unexpected(error)
            log.error("fault on %s %s (details in %s)", scope.get("method"), scope.get("path"), where)
            if started:
                return  # half a page has gone: nothing better can be sent now
            body = self.fault_page()
            await send_with_headers({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body", "body": body})
