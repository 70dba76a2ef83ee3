"""A member's own pages. Whose record is always the signed-in member's (access.guard.own_member_id):
no page takes a member number from the address or the form."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from access.guard import Kind, own_member_id
from core.money import format_pence
from pos.membership import statement_rows
from pos.web.web import page, render, web_of

#: How each share ledger entry is said on the statement.
LEDGER_WORDS = {"purchase": "Bought", "withdrawal_request": "Asked to withdraw", "decision": "The board decided",
                "payout": "Paid out", "dividend_shares": "Dividend taken as shares"}


@page(Kind.member, personal="statement")
async def statement(request: Request, who) -> Response:
    membership = web_of(request).books.membership
    member = membership.register.get(own_member_id(who))
    figures = membership.statement(member)
    ledger = [{"on": entry["on_date"], "what": LEDGER_WORDS.get(entry["kind"], entry["kind"]),
               "decision": (entry["decision"] or "").replace("_", " "), "shares": entry["shares"],
               "amount": format_pence(entry["amount_pence"]) if entry["amount_pence"] else ""}
              for entry in membership.shares.ledger(member.id)]
    dividends = [{"period": f"{part['period_from']} to {part['period_to']}", "amount": format_pence(part["part_pence"]),
                  "payout": part["payout"]} for part in membership.dividends.received(member.id)]
    return render(request, "statement.html", {"statement": figures, "rows": statement_rows(figures),
                                              "ledger": ledger, "dividends": dividends})


ROUTES = [Route("/statement", statement)]
LINKS = [("My statement: shares, credit, dividend", "/statement", {Kind.member})]
