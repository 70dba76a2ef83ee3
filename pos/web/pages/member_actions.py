"""What a member does on the web to their own record: ask to withdraw shares, choose how the dividend
is paid, change contact details, download everything held about them; and the privacy notice.

The rules are access.member_self's (the till's own, underneath); these pages read the form and say
the answer. None takes a member number from the address or the form: whose record it is comes from
the session. A withdrawal and the download ask for the password again first."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from access.accounts import SignInError
from access.guard import Kind
from access.member_self import CONTACT_FIELDS, MemberRefused, MemberSelf
from access.throttle import TooManyTries
from coop import personal_data
from pos.web.web import address, page, render, web_of, whole_number

#: How each dividend choice is said on the page, in the order offered.
DIVIDEND_WORDS = {"credit": "As till credit, to spend in the shop and café",
                  "cash": "In cash, collected at the till",
                  "shares": "As more shares in the society"}


def member_self(request: Request) -> MemberSelf:
    membership = web_of(request).shop.membership
    return MemberSelf(membership.db, membership.rules, now=membership.till.now, today=membership.today,
                      pays_dividend=membership.settings.society_type == "co-operative")


def _password_ok(request: Request, who) -> str | None:
    """None if the password typed again is right; otherwise what to say."""
    try:
        web_of(request).access.confirm(who, request.state.form.get("password", ""), address=address(request))
    except (SignInError, TooManyTries) as error:
        return str(error)
    return None


@page(Kind.member, personal="withdrawal")
async def withdraw(request: Request, who) -> Response:
    mine = member_self(request)
    context: dict = {}
    status = 200
    if request.method == "POST":
        shares_typed = request.state.form.get("shares", "").strip()
        error = _password_ok(request, who)
        if error is None:
            try:
                asked = mine.request_withdrawal(who, whole_number(shares_typed))
                context["sent"] = asked
            except MemberRefused as why:
                error = str(why)
        context.update(error=error, shares=shares_typed)
        status = 400 if error else 200
    context["terms"] = mine.withdrawal_terms(who)
    return render(request, "withdraw.html", context, status_code=status)


@page(Kind.member, personal="dividend choice")
async def dividend_choice(request: Request, who) -> Response:
    mine = member_self(request)
    context: dict = {}
    if request.method == "POST":
        try:
            mine.choose_dividend(who, request.state.form.get("payout", ""))
            context["notice"] = "Your choice is saved. It is used for every dividend from now on."
        except MemberRefused as why:
            context["error"] = str(why)
    member = mine.member(who)
    default = web_of(request).shop.membership.settings.dividend_payout
    return render(request, "dividend_choice.html",
                  {**context, "choices": DIVIDEND_WORDS, "chosen": member.dividend_payout or "default",
                   "default_words": DIVIDEND_WORDS[default], "pays": mine.pays_dividend},
                  status_code=400 if "error" in context else 200)


@page(Kind.member, personal="contact details")
async def my_details(request: Request, who) -> Response:
    mine = member_self(request)
    context: dict = {}
    if request.method == "POST":
        form = request.state.form
        changes = {key: form.get(key, "") for key in CONTACT_FIELDS if key != "consent_contact"}
        changes["consent_contact"] = form.get("consent_contact") == "yes"
        # Fields the form does not have are passed on, so that the core refuses them rather than
        # this page quietly dropping them (someone editing the form is trying something).
        changes.update({key: value for key, value in form.items()
                        if key not in (*CONTACT_FIELDS, "csrf", "password")})
        # The password again: the email and its purpose decide where a reset link goes, so a session left
        # open must not be enough to take the account over for good.
        error = _password_ok(request, who)
        if error:
            context.update(error=error, typed=form)
        else:
            try:
                mine.update_contacts(who, changes)
                context["notice"] = "Your details are saved."
            except MemberRefused as why:
                context.update(error=str(why), typed=form)
    member = mine.member(who)
    return render(request, "my_details.html", {**context, "member": context.get("typed") or member.model_dump()},
                  status_code=400 if "error" in context else 200)


async def my_data_form(request: Request) -> Response:
    return await _my_data(request)


@page(Kind.member)
async def _ask_for_data(request: Request, who) -> Response:
    return render(request, "my_data.html")


@page(Kind.member)
async def _send_data(request: Request, who) -> Response:
    error = _password_ok(request, who)
    if error:
        return render(request, "my_data.html", {"error": error}, status_code=400)
    # Audited here rather than by page(personal=...): a wrong password showed nothing.
    web_of(request).access.viewed(who, "data download", subject=who.member_number, address=address(request))
    document = member_self(request).subject_access(who, society=web_of(request).shop.settings.society.name)
    return Response(personal_data.to_json(document), media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{who.member_number}-everything-held.json"'})


async def _my_data(request: Request) -> Response:
    # Only the download itself is a view of the record; the form asking for the password is not.
    return await (_send_data if request.method == "POST" else _ask_for_data)(request)


async def privacy(request: Request) -> Response:
    """Open to everyone: someone deciding whether to join reads it first."""
    shop = web_of(request).shop
    notice = personal_data.privacy_notice(society=shop.settings.society.name,
                                          retention_years=shop.settings.coop.retention_years,
                                          application_days=web_of(request).settings.application_days,
                                          views_days=web_of(request).settings.views_days)
    return render(request, "privacy.html", {"notice": notice, "society": shop.settings.society.name})


ROUTES = [
    Route("/withdraw", withdraw, methods=["GET", "POST"]),
    Route("/dividend-choice", dividend_choice, methods=["GET", "POST"]),
    Route("/my-details", my_details, methods=["GET", "POST"]),
    Route("/my-data", my_data_form, methods=["GET", "POST"]),
    Route("/privacy", privacy),
]
LINKS = [
    ("Ask to withdraw shares", "/withdraw", {Kind.member}),
    ("How my dividend is paid", "/dividend-choice", {Kind.member}),
    ("My contact details", "/my-details", {Kind.member}),
    ("Download everything held about me", "/my-data", {Kind.member}),
    ("Privacy: what is kept, why and for how long", "/privacy", {Kind.member, Kind.staff}),
]
