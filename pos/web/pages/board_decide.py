"""The board's decisions: the withdrawal queue (each open request with its notice and what it waits for under
the society's rules, and the decisions made so far with who made them and when) and the dividend (a preview
for a period and a sum, then a confirmation with the total, the number of members and how each is paid, the
password asked again, and the declaration).

The decisions are pos.membership.Membership's, which check the person may make them (authorise) and write
to the audit log: this page's check is not the only one. They are written to the shop's own books (on a hub,
the office's: withdrawals are decided and dividends declared only there). A dividend is worked out over
`books.membership`, on a hub the consolidated copy of every till's purchases, as `till dividend declare
--all-tills` does."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from coop.board import decisions, declared_as, payout_sums, withdrawal_queue
from coop.board_elsewhere import decisions_elsewhere, queue_elsewhere
from coop.errors import DividendError, ShareError
from coop.shares import Decision
from core.errors import TillError
from core.money import MoneyError, format_pence, parse_pence
from core.text import sentence
from pos.web.pages.board import password_ok
from pos.web.web import SQLITE_MAX, address, page, render, web_of, whole_number
from volunteers.permissions import Action, may

REFUSALS = (TillError, ShareError, DividendError, MoneyError)
#: How each decision is offered on the form.
DECISION_WORDS = {Decision.approved: "Approve", Decision.part_approved: "Approve part",
                  Decision.refused: "Refuse", Decision.suspended: "Suspend"}
#: How each payout is said.
PAYOUT_WORDS = {"credit": "till credit", "cash": "cash at the till", "shares": "more shares"}


def _queue(request: Request, who, *, error: str | None = None, notice: str | None = None, status_code: int = 200):
    books = web_of(request).books
    membership = web_of(request).shop.membership
    queue = withdrawal_queue(membership.shares, membership.rules, membership.today())
    decided = decisions(membership.db, membership.till.zone)
    tills = books.other_tills()
    if tills:  # on a hub, the other tills' requests, from the consolidated copy (coop/board_elsewhere.py)
        copy = books.membership.shares
        queue += queue_elsewhere(copy, membership.db, tills, membership.rules, membership.today())
        decided = sorted(decided + decisions_elsewhere(copy, membership.db, tills, membership.till.zone),
                         key=lambda d: d.at, reverse=True)
    request.state.subject = "the withdrawal queue"
    return render(request, "board_withdrawals.html", {
        "queue": queue, "decided": decided, "rules": membership.rules,
        "may_decide": may(who.roles, Action.decide_withdrawal), "words": DECISION_WORDS,
        "error": error, "notice": notice}, status_code=status_code)


@page(action=Action.view_register, personal="withdrawal queue")
async def withdrawals(request: Request, who) -> Response:
    done = whole_number(request.query_params.get("done", ""), most=SQLITE_MAX)
    till = request.query_params.get("till", "")
    at = f" at {till}" if till and till in web_of(request).books.other_tills().values() else ""
    return _queue(request, who, notice=done and f"The board's decision on request {done}{at} is recorded"
                  + (f": it reaches {till} at that till's next round with the hub." if at else "."))


@page(action=Action.decide_withdrawal, personal="withdrawal queue")
async def decide(request: Request, who) -> Response:
    form = request.state.form
    request_id = whole_number(form.get("request", ""), most=SQLITE_MAX)
    try:
        decision = Decision(form.get("decision", ""))
        if request_id is None:
            raise TillError("there is no such withdrawal request")
        part = whole_number(form.get("shares", "")) if decision == Decision.part_approved else None
        books, till = web_of(request).books, form.get("till", "")
        if till:  # asked for at another till of the hub
            books.shop.membership.decide_elsewhere(till, request_id, decision, operator_id=who.volunteer_id,
                                                   over=books.membership, tills=books.other_tills(),
                                                   approved_shares=part)
        else:
            books.shop.membership.decide_withdrawal(request_id, decision, operator_id=who.volunteer_id,
                                                    approved_shares=part)
    except ValueError as refused:  # Decision(...) of something not on the form, and the core's ShareError
        reason = str(refused) if isinstance(refused, REFUSALS) else "choose approve, approve part, refuse or suspend"
        return _queue(request, who, error=sentence(reason), status_code=400)
    except TillError as refused:
        return _queue(request, who, error=sentence(str(refused)), status_code=400)
    at = f"&till={quote(till)}" if till else ""
    return RedirectResponse(f"/board/withdrawals?done={request_id}{at}", status_code=303)


def _asked(values) -> tuple[date, date, int] | None:
    """The period and sum asked for, None if none was; TillError when one is not a date or an amount."""
    if not any(values.get(key) for key in ("first", "last", "sum")):
        return None
    try:
        first, last = date.fromisoformat(values.get("first", "")), date.fromisoformat(values.get("last", ""))
    except ValueError:
        raise TillError("give the first and the last day of the period") from None
    if last < first:
        raise TillError("the period ends before it starts")
    return first, last, parse_pence(values.get("sum", ""))


def _plan(request: Request, who, values, name: str) -> dict:
    """The plan for the period and sum asked for, with its sums by payout; a look at members' purchases, so
    it goes into the audit log."""
    asked = _asked(values)
    if asked is None:
        return {}
    first, last, sum_pence = asked
    plan = web_of(request).books.membership.preview_dividend(first, last, sum_pence)
    web_of(request).access.viewed(who, name, subject=f"dividend of {format_pence(sum_pence)} for {first} to {last}",
                                  address=address(request))
    return {"plan": plan, "sums": payout_sums(plan), "first": first, "last": last, "sum_pence": sum_pence}


def _dividend_page(request: Request, who, template: str, name: str, *, values=None, error: str | None = None):
    values = request.query_params if values is None else values
    request.state.personal = name  # says "as of" the copy whose purchases the plan is worked out on
    context: dict = {"typed": {key: values.get(key, "") for key in ("first", "last", "sum")},
                     "payout_words": PAYOUT_WORDS, "format_pence": format_pence, "error": error}
    try:
        context.update(_plan(request, who, values, name))
    except REFUSALS as refused:
        context["error"] = sentence(str(refused))
    return render(request, template, context, status_code=400 if context["error"] else 200)


@page(action=Action.dividend)
async def dividend(request: Request, who) -> Response:
    declared = whole_number(request.query_params.get("declared", ""), most=SQLITE_MAX)
    if declared:
        return render(request, "board_dividend.html", {"typed": {}, "declared": declared})
    return _dividend_page(request, who, "board_dividend.html", "dividend preview")


@page(action=Action.dividend)
async def confirm(request: Request, who) -> Response:
    if request.method == "GET":
        if not any(request.query_params.get(key) for key in ("first", "last", "sum")):
            return render(request, "board_dividend.html", {"typed": {}, "error": "Choose a period and a sum first."},
                          status_code=400)
        return _dividend_page(request, who, "board_confirm.html", "dividend confirmation")
    form = request.state.form
    error = password_ok(request, who)
    if error:
        return _dividend_page(request, who, "board_confirm.html", "dividend confirmation", values=form, error=error)
    try:
        first, last, sum_pence = _asked(form) or (None, None, 0)
        if first is None:
            raise TillError("choose a period and a sum first")
        books, membership = web_of(request).books, web_of(request).shop.membership
        # The same confirmation sent twice (a double click, the browser's back and resend) declares once.
        run = declared_as(membership.dividends, first, last, sum_pence) or membership.declare_dividend(
            first, last, sum_pence, operator_id=who.volunteer_id,
            over=books.membership if books.copy is not None else None)
    except REFUSALS as refused:
        return _dividend_page(request, who, "board_confirm.html", "dividend confirmation", values=form,
                              error=sentence(str(refused)))
    return RedirectResponse(f"/board/dividend?declared={run}", status_code=303)


ROUTES = [
    Route("/board/withdrawals", withdrawals),
    Route("/board/withdrawals/decide", decide, methods=["POST"]),
    Route("/board/dividend", dividend),
    Route("/board/dividend/confirm", confirm, methods=["GET", "POST"]),
]
LINKS = [
    ("Withdrawals waiting for the board", "/board/withdrawals", Action.view_register),
    ("The dividend: preview and declare", "/board/dividend", Action.dividend),
]
