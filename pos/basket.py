"""The open basket: what is being sold right now, before it becomes a sale.

Plain data with rules; nothing here touches the database, so a basket can be
saved, restored or parked as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field, model_validator

from core.allocation import allocate
from core.errors import TillError
from inventory.products import Product, VatClass
from pos.tenders import Tender, TenderKind

#: More of one thing than a café sells at once is almost certainly a mis-scan or a typo.
MAX_QUANTITY = 999

# A discount follows the basket as it changes afterwards (a `-`, a line removed, a member attached,
# a price changed): a percentage is worked out again on what is there now; an amount a volunteer gave
# alone shrinks with its line or basket, keeping its share, and never grows past what was given. So
# a discount within the volunteer limit when given stays within it for what is sold. An amount a shift
# lead approved (`approved_by`) stays as approved; a change that would leave it more than its line or
# basket costs is refused, as it always was.


class BasketError(TillError):
    """A change to the basket that cannot be made; the basket is left as it was."""


class BasketLine(BaseModel):
    product_id: int
    name: str
    category: str
    unit_price_pence: int
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY)
    discount_pence: int = Field(default=0, ge=0)
    discount_reason: str | None = None
    #: The line's own discount as it was given: a percentage, or (pence, what the line cost then).
    discount_as_percent: int | None = Field(default=None, ge=0, le=100)
    discount_as_given: tuple[int, int] | None = None
    #: The shift lead or manager who allowed a discount above the volunteer limit.
    discount_approved_by: int | None = None
    vat_class: VatClass
    served_hot: bool = False
    catering: bool = False
    healthy_start: bool = False
    stock_tracked: bool = True
    pass_through: bool = False
    #: Set when a shift lead or manager changed the catalogue price for this sale.
    overridden_by: int | None = None
    override_reason: str | None = None
    #: Paid for now for someone else to claim later ("suspended coffee").
    pay_forward: bool = False
    #: Claimed from what others paid forward: free, and nobody's name is kept.
    claimed: bool = False
    #: Sold as its label says (a scale's or price gun's): one item, its price from the label; a weighed
    #: one keeps its weight in grams, its catalogue price then being per kg.
    price_marked: bool = False
    weight_grams: int | None = Field(default=None, ge=1)
    per_kg_pence: int | None = Field(default=None, ge=0)

    @property
    def gross_pence(self) -> int:
        return self.unit_price_pence * self.quantity

    @property
    def total_pence(self) -> int:
        return self.gross_pence - self.discount_pence

    @property
    def own_discount(self) -> bool:
        """A volunteer's or lead's discount on this line (not the member price)."""
        return self.discount_as_percent is not None or self.discount_as_given is not None

    @model_validator(mode="after")
    def _given_from_older_saves(self) -> BasketLine:
        # A basket saved before discounts kept their share: its discount is as given on the line as it is.
        if self.discount_pence and self.discount_reason != MEMBER_PRICE and not self.own_discount:
            self.discount_as_given = (self.discount_pence, max(self.gross_pence, self.discount_pence))
        return self

    def _set_discount(self, reason: str | None, approved_by: int | None, *, percent: int | None = None,
                      pence: int = 0) -> None:
        if not percent and not pence:
            reason = approved_by = percent = None
        self.discount_reason, self.discount_approved_by, self.discount_as_percent = reason, approved_by, percent
        self.discount_as_given = (pence, self.gross_pence) if reason and percent is None else None


MEMBER_PRICE = "member price"


class Basket(BaseModel):
    lines: list[BasketLine] = []
    member_number: str | None = None
    #: The member's card was scanned (or a shift lead found them): only then is their till credit
    #: theirs to spend. A typed number gives member prices only; numbers run in order.
    #: Never saved with a parked or open basket: the card must be there when credit is spent.
    member_card: bool = Field(default=False, exclude=True)
    #: Payments already taken when the volunteer went back from paying (a card on the separate
    #: terminal, a note in hand): kept with the basket, and saved with it, until the sale is done
    #: or the basket is voided, so money taken is never forgotten, not even by a crash.
    taken: list[Tender] = []
    #: Member prices while a member is attached: category → percent off ("" for everything else).
    member_rates: dict[str, int] = {}
    eat_in: bool = False
    discount_pence: int = Field(default=0, ge=0)
    discount_reason: str | None = None
    #: The basket discount as it was given (see BasketLine) and who approved it, if it needed a lead.
    discount_as_percent: int | None = Field(default=None, ge=0, le=100)
    discount_as_given: tuple[int, int] | None = None
    discount_approved_by: int | None = None
    #: Given to the community fund with this sale (rounding up, or a chosen amount): not takings.
    donation_pence: int = Field(default=0, ge=0)
    #: Marks on this visit for the children's centre's figures (counted, never named).
    family_under5: bool = False
    first_visit: bool = False

    @model_validator(mode="after")
    def _given_from_older_saves(self) -> Basket:
        if self.discount_pence and self.discount_as_percent is None and self.discount_as_given is None:
            self.discount_as_given = (self.discount_pence, max(self.subtotal_pence, self.discount_pence))
        return self

    # Looking -------------------------------------------------------------

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def subtotal_pence(self) -> int:
        """After line discounts, before the basket discount."""
        return sum(line.total_pence for line in self.lines)

    @property
    def goods_pence(self) -> int:
        """What the goods cost after all discounts: the sale's lines add up to this."""
        return self.subtotal_pence - self.discount_pence

    @property
    def total_pence(self) -> int:
        """What the customer pays: the goods and any gift to the community fund."""
        return self.goods_pence + self.donation_pence

    def line_totals(self) -> list[tuple[int, int]]:
        """(discount, total) per line with the basket discount shared out by line value."""
        shares = allocate(self.discount_pence, [line.total_pence for line in self.lines]) if self.lines else []
        return [
            (line.discount_pence + share, line.total_pence - share)
            for line, share in zip(self.lines, shares)
        ]

    @property
    def member_savings_pence(self) -> int:
        return sum(line.discount_pence for line in self.lines if line.discount_reason == MEMBER_PRICE)

    @property
    def healthy_start_pence(self) -> int:
        """What a Healthy Start card may pay for: the eligible lines, after discounts."""
        return sum(total for line, (_, total) in zip(self.lines, self.line_totals()) if line.healthy_start)

    # Changing ------------------------------------------------------------

    def add(self, product: Product, quantity: int = 1) -> int:
        """Add a product; the same product at the same price joins its line. Returns the line index."""
        if not product.active:
            raise BasketError(f"{product.name} is no longer sold")
        _check_quantity(quantity)
        for index, line in enumerate(self.lines):
            if (line.product_id == product.id and line.unit_price_pence == product.price_pence
                    and not line.own_discount and line.overridden_by is None
                    and not line.pay_forward and not line.claimed and not line.price_marked):
                self.set_quantity(index, line.quantity + quantity)
                return index
        self._changing(lambda: self.lines.append(
            BasketLine(
                product_id=product.id,
                name=product.name,
                category=product.category,
                unit_price_pence=product.price_pence,
                quantity=quantity,
                vat_class=product.vat_class,
                served_hot=product.served_hot,
                catering=product.catering,
                healthy_start=product.healthy_start,
                stock_tracked=product.stock_tracked,
                pass_through=product.pass_through,
            )
        ))
        return len(self.lines) - 1

    def add_measured(self, product: Product, price_pence: int, *, weight_grams: int | None = None,
                     per_kg_pence: int | None = None) -> int:
        """Add one weighed or price-marked item at the price its label gives. Returns the line index."""
        if not product.active:
            raise BasketError(f"{product.name} is no longer sold")
        self._changing(lambda: self.lines.append(BasketLine(
            product_id=product.id, name=product.name, category=product.category, unit_price_pence=price_pence,
            vat_class=product.vat_class, served_hot=product.served_hot, catering=product.catering,
            healthy_start=product.healthy_start, stock_tracked=product.stock_tracked,
            pass_through=product.pass_through, price_marked=True, weight_grams=weight_grams,
            per_kg_pence=per_kg_pence,
        )))
        return len(self.lines) - 1

    def set_quantity(self, index: int, quantity: int) -> None:
        line = self._line(index)
        _check_quantity(quantity)
        if line.price_marked and quantity != line.quantity:
            raise BasketError(f"{line.name} is sold as its label says: scan each one's label")
        self._changing(lambda: setattr(line, "quantity", quantity))

    def set_price(self, index: int, price_pence: int, *, overridden_by: int, reason: str) -> None:
        """Sell one line at another price (pos.till's `override_price` checks who may)."""
        line = self._line(index)

        def change() -> None:
            line.unit_price_pence, line.overridden_by, line.override_reason = price_pence, overridden_by, reason
        self._changing(change)

    def remove(self, index: int) -> BasketLine:
        removed = self._line(index)
        self._changing(lambda: self.lines.pop(index))
        return removed

    def discount_line(self, index: int, pence: int, reason: str, *, approved_by: int | None = None) -> None:
        """Take `pence` off one line. Above the volunteer limit, `approved_by` names the lead who
        allowed it (pos.till's `discount` checks and records that); without it the sale is refused."""
        line = self._line(index)
        reason = _reason(reason)
        if pence < 0:
            raise BasketError("a discount cannot be negative")
        if pence > line.gross_pence:
            raise BasketError("a discount cannot be more than the line costs")
        # Taking a discount off brings the member price back.
        self._changing(lambda: line._set_discount(reason, approved_by, pence=pence))

    def discount_percent(self, index: int, percent: int, reason: str, *, approved_by: int | None = None) -> None:
        """Take `percent` off one line, now and as its quantity or price changes."""
        if not 0 <= percent <= 100:
            raise BasketError("a percentage discount is between 0 and 100")
        line, reason = self._line(index), _reason(reason)
        self._changing(lambda: line._set_discount(reason, approved_by, percent=percent))

    def discount_all(self, pence: int, reason: str, *, approved_by: int | None = None) -> None:
        """A discount on the whole basket, shared over its lines when the sale completes."""
        reason = _reason(reason)
        if pence < 0:
            raise BasketError("a discount cannot be negative")
        if pence > self.subtotal_pence:
            raise BasketError("a discount cannot be more than the basket costs")
        self._set_basket_discount(reason if pence else None, approved_by if pence else None,
                                  None, (pence, self.subtotal_pence) if pence else None)

    def discount_all_percent(self, percent: int, reason: str, *, approved_by: int | None = None) -> None:
        if not 0 <= percent <= 100:
            raise BasketError("a percentage discount is between 0 and 100")
        reason = _reason(reason)
        self._set_basket_discount(reason if percent else None, approved_by if percent else None,
                                  percent or None, None)

    def _set_basket_discount(self, reason: str | None, approved_by: int | None, percent: int | None,
                             given: tuple[int, int] | None) -> None:
        self.discount_reason, self.discount_approved_by = reason, approved_by
        self.discount_as_percent, self.discount_as_given = percent, given
        self.refit_discounts()

    def refit_discounts(self) -> None:
        """After any change to the lines: member prices, then each discount fitted to the line or
        basket as it is now (see the note at the top)."""
        self._member_prices()
        for line in self.lines:
            if line.own_discount:
                line.discount_pence = _fitted(line.gross_pence, line.discount_as_percent, line.discount_as_given,
                                              line.discount_approved_by)
        self.discount_pence = _fitted(self.subtotal_pence, self.discount_as_percent, self.discount_as_given,
                                      self.discount_approved_by)

    def _changing(self, change: Callable[[], object]) -> None:
        """Make a change to the lines and fit the discounts to it; if an approved amount would then
        be more than its line or basket costs, put everything back as it was and say so."""
        before = [line.model_copy() for line in self.lines], self.discount_pence
        change()
        self.refit_discounts()
        line = next((line for line in self.lines if _too_big(line.gross_pence, line.discount_as_percent,
                                                              line.discount_as_given, line.discount_approved_by)),
                    None)
        basket = _too_big(self.subtotal_pence, self.discount_as_percent, self.discount_as_given,
                          self.discount_approved_by)
        if line is None and not basket:
            return
        self.lines, self.discount_pence = before
        if line is not None:
            raise BasketError(f"that would make {line.name} cost less than its discount; remove the discount first")
        raise BasketError("that would make the basket cost less than its discount; remove the basket discount first")

    def pay_forward(self, index: int) -> bool:
        """Mark (or unmark) a line as paid forward for someone else. Returns the new state."""
        line = self._line(index)
        if line.claimed:
            raise BasketError("a claimed item cannot be paid forward")
        line.pay_forward = not line.pay_forward
        return line.pay_forward

    def claim(self, product: Product) -> int:
        """One item from what others paid forward, free. Returns the line index."""
        self.lines.append(BasketLine(
            product_id=product.id, name=f"{product.name} (paid forward)", category=product.category,
            unit_price_pence=0, quantity=1, vat_class=product.vat_class, served_hot=product.served_hot,
            catering=product.catering, stock_tracked=product.stock_tracked, claimed=True,
        ))
        return len(self.lines) - 1

    def round_up(self) -> int:
        """Give the pennies up to the next whole pound to the community fund (a whole pound if
        it is already round). Returns the gift."""
        if self.is_empty:
            raise BasketError("there is nothing to round up")
        self.donation_pence = (100 - self.goods_pence % 100) or 100
        return self.donation_pence

    def donate(self, pence: int) -> None:
        if pence < 0 or pence > 100_000:
            raise BasketError("a gift to the fund is between £0.00 and £1,000.00")
        self.donation_pence = pence

    def clear(self) -> None:
        """Empty the basket for the next customer: lines, discounts, member and eat-in all go."""
        self.lines.clear()
        self._set_basket_discount(None, None, None, None)
        self.member_number, self.member_rates, self.eat_in = None, {}, False
        self.member_card = False
        self.taken = []
        self.donation_pence = 0
        self.family_under5 = self.first_visit = False

    def attach_member(self, member_number: str | None, rates: dict[str, int] | None = None, *,
                      card: bool = False) -> None:
        """Attach (or, with None, take off) a member; their prices apply to every line, now and
        as lines are added, except where a line has its own discount."""
        self.member_number = member_number.strip() if member_number else None
        self.member_rates = dict(rates or {}) if self.member_number else {}
        self.member_card = card and self.member_number is not None
        # Credit taken was worked out against the member who was on the basket then.
        self.taken = [t for t in self.taken if t.kind != TenderKind.member_credit]
        self.refit_discounts()

    def _member_prices(self) -> None:
        for line in self.lines:
            if line.own_discount:
                continue  # a volunteer's own discount wins
            if line.pass_through:
                continue  # money collected for someone else is not the society's to discount
            rate = self.member_rates.get(line.category, self.member_rates.get("", 0))
            saving = line.gross_pence * rate // 100 if line.overridden_by is None else 0
            line.discount_pence, line.discount_reason = saving, (MEMBER_PRICE if saving else None)

    # Internals -----------------------------------------------------------

    def _line(self, index: int) -> BasketLine:
        if not 0 <= index < len(self.lines):
            raise BasketError("there is no such line in the basket")
        return self.lines[index]


def _fitted(whole: int, percent: int | None, given: tuple[int, int] | None, approved_by: int | None) -> int:
    """A discount's pence on `whole` (what its line or basket costs now): `percent` of it; an amount
    a lead approved, as approved (never more than `whole`); a volunteer's amount shrunk in step with
    what it was given on, never more than was given."""
    if percent is not None:
        return whole * percent // 100
    if given is None:
        return 0
    pence, was = given
    if approved_by is not None:
        return min(pence, whole)
    return min(pence, pence * whole // was) if was else 0


def _too_big(whole: int, percent: int | None, given: tuple[int, int] | None, approved_by: int | None) -> bool:
    return percent is None and given is not None and approved_by is not None and given[0] > whole


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise BasketError("a quantity is a whole number of at least 1")
    if quantity > MAX_QUANTITY:
        raise BasketError(f"{quantity} is more than the till allows on one line ({MAX_QUANTITY}); check the quantity")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BasketError("say why there is a discount (staff, damaged, goodwill …)")
    return reason
