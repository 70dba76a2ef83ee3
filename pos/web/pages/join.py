"""Applying to join on the web (open to everyone, no sign-in): the rules and the limits are
access.applications'; the application is completed at the till when the shares are paid for."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from access.applications import ApplicationRefused, Applications
from core.money import format_pence
from pos.web.web import address, csrf_checked, render, signed_in, web_of, whole_number


async def join(request: Request) -> Response:
    web = web_of(request)
    membership = web.shop.membership
    rules = membership.rules
    context = {"share_price": format_pence(rules.share_value_pence), "min_shares": max(1, rules.min_shares),
               "days": web.settings.application_days, "society": web.shop.settings.society.name}
    # Signed in or not, the form's token is the one this request's POST will be checked against.
    request.state.principal = signed_in(request)
    if request.method == "GET":
        return render(request, "join.html", context)
    form = await csrf_checked(request)
    typed = form.get("shares", "").strip()
    shares = whole_number(typed)
    try:
        number = Applications(membership.db, membership.till.clock).apply(
            form, shares, adult=form.get("adult") == "yes", rules=rules, address=address(request),
            keep_days=web.settings.application_days)
    except ApplicationRefused as why:
        return render(request, "join.html", {**context, "error": str(why), "typed": form}, status_code=400)
    return render(request, "join.html", {**context, "number": number,
                                         "to_pay": format_pence(shares * rules.share_value_pence)})


ROUTES = [Route("/join", join, methods=["GET", "POST"])]
LINKS: list = []
