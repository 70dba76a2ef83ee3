"""A price changed from the back office: a new price record from now on (sales already made keep theirs),
by someone whose roles may change prices (Action.change_price, checked here and not only by the page),
with the old and the new price to confirm and an audit entry of who changed it.

On a hub the new price is written at the office and journaled like any price, so it reaches the tills with
the office's next push."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.database import transaction
from core.errors import TillError
from core.money import MoneyError, format_pence, parse_pence
from inventory.products import Catalogue, CatalogueError, check_price
from volunteers.permissions import Action, refusal

if TYPE_CHECKING:
    from pos.till import Till


@dataclass(frozen=True)
class PriceChange:
    product_id: int
    name: str
    old_pence: int
    new_pence: int

    @property
    def old(self) -> str:
        return format_pence(self.old_pence)

    @property
    def new(self) -> str:
        return format_pence(self.new_pence)


def proposed(catalogue: Catalogue, product_id: int, typed: str) -> PriceChange:
    """What a typed price would change, for the person to confirm; TillError in words if it cannot be a
    price. Nothing is changed."""
    try:
        new = parse_pence(typed)
        check_price(new)
        product = catalogue.get(product_id)
    except (MoneyError, CatalogueError) as refused:
        raise TillError(str(refused)) from None
    if not product.active:
        raise TillError(f"{product.name} is not on sale any more")
    if new == product.price_pence:
        raise TillError(f"{product.name} is {format_pence(new)} already")
    return PriceChange(product.id, product.name, product.price_pence, new)


def change_price(till: Till, product_id: int, typed: str, *, was_pence: int, operator_id: int) -> PriceChange:
    """Set the price the person confirmed, if the price they saw (`was_pence`) is still the current one."""
    refused = refusal(till.volunteers, Action.change_price, operator_id, Action.change_price.label)
    if refused:
        raise refused
    with transaction(till.db):
        change = proposed(till.catalogue, product_id, typed)
        if change.old_pence != was_pence:
            raise TillError(f"the price of {change.name} has changed to {change.old} since you looked; "
                            "look again before changing it")
        till.catalogue.set_price(product_id, change.new_pence, at=till.now())
        till.audit(Action.change_price, operator_id, None, f"{change.name}: {change.old} to {change.new}")
    return change
