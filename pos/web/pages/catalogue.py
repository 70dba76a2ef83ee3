"""The catalogue (Action.view_catalogue): products by category with their current price, VAT class and stock
on hand where tracked, and a search by name or code; a product's page with its price history. Those who may
change a price (Action.change_price) type the new one, see the old and the new side by side, and confirm:
pos.pricing writes a new price record (never an edited one), checks the action itself and audits who did it.

The catalogue is the shop's own books (on a hub, the office's: a price set here goes to the tills with the
office's next push); stock on hand is read through `books`, as it goes down with every till's sales."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.bounds import MAX_PRICE_PENCE
from core.clock import from_stamp
from core.errors import TillError
from core.money import format_pence
from core.text import sentence
from inventory.listing import listing
from inventory.products import CatalogueError
from inventory.stock import Stock
from pos.pricing import change_price, proposed
from pos.web.web import page, render, web_of, whole_number
from volunteers.permissions import Action, may

#: What the VAT classes are called on the page.
VAT_WORDS = {"zero": "zero rate", "reduced": "reduced rate", "standard": "standard rate", "exempt": "exempt"}


@page(action=Action.view_catalogue)
async def catalogue(request: Request, who) -> Response:
    search = request.query_params.get("q", "")[:80]
    shelves = listing(web_of(request).shop.catalogue, _stock(request), search)
    return render(request, "catalogue.html", {"shelves": shelves, "search": search.strip(), "vat": VAT_WORDS,
                                              "money": format_pence})


def _stock(request: Request) -> Stock:
    # Stock goes down with every till's sales: on a hub only the office's copy has them all.
    return Stock(web_of(request).books.figures.db)


def _product(request: Request, who, *, error: str | None = None, notice: str | None = None,
             typed: str = "", status_code: int = 200) -> Response:
    shop = web_of(request).shop
    product_id = request.path_params["product_id"]
    try:
        product = shop.catalogue.get(product_id)
    except CatalogueError:
        raise TillError("There is no such product in the catalogue.") from None
    zone = shop.settings.zone
    history = [(f"{from_stamp(at).astimezone(zone):%d/%m/%Y %H:%M}", format_pence(pence))
               for at, pence in reversed(shop.catalogue.price_history(product.id))]
    return render(request, "catalogue_product.html", {
        "product": product, "price": format_pence(product.price_pence), "history": history,
        "vat": VAT_WORDS[product.vat_class.value], "on_hand": _stock(request).on_hand(product.id),
        "may_change": may(who.roles, Action.change_price) and product.active, "error": error,
        "notice": notice, "typed": typed}, status_code=status_code)


@page(action=Action.view_catalogue)
async def product(request: Request, who) -> Response:
    changed = request.query_params.get("changed") == "1"
    return _product(request, who, notice="The new price is current from now on; sales already made keep "
                                         "theirs." if changed else None)


@page(action=Action.change_price)
async def price(request: Request, who) -> Response:
    """The new price typed: shown beside the old one to confirm, or refused in a sentence. Nothing changes."""
    typed = request.state.form.get("price", "")[:40]
    try:
        change = proposed(web_of(request).shop.catalogue, request.path_params["product_id"], typed)
    except TillError as refused:
        return _product(request, who, error=sentence(str(refused)), typed=typed, status_code=400)
    return render(request, "catalogue_confirm.html", {"change": change, "typed": typed})


@page(action=Action.change_price)
async def confirm(request: Request, who) -> Response:
    form = request.state.form
    typed, was = form.get("price", "")[:40], whole_number(form.get("was", ""), most=MAX_PRICE_PENCE)
    try:
        if was is None:
            raise TillError("the price you saw is missing: type the new price again")
        change_price(web_of(request).shop.till, request.path_params["product_id"], typed, was_pence=was,
                     operator_id=who.volunteer_id)
    except TillError as refused:
        return _product(request, who, error=sentence(str(refused)), status_code=400)
    return RedirectResponse(f"/catalogue/{request.path_params['product_id']}?changed=1", status_code=303)


ROUTES = [
    Route("/catalogue", catalogue),
    Route("/catalogue/{product_id:int}", product),
    Route("/catalogue/{product_id:int}/price", price, methods=["POST"]),
    Route("/catalogue/{product_id:int}/price/confirm", confirm, methods=["POST"]),
]
LINKS = [("The catalogue: prices and stock", "/catalogue", Action.view_catalogue)]
