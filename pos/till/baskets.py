"""Building a basket at the till: scanning, discounts and price changes, and what time credits would pay."""

from __future__ import annotations

from core.database import transaction
from core.errors import TillError
from core.money import format_pence
from hub.balances import capped, has_count
from inventory.barcodes import CodeError
from inventory.products import Product, UnknownCode
from inventory.variable_measure import Measure, decode, weighed_price
from pos import vat
from pos.basket import Basket, BasketError
from pos.tenders import PaymentError, Tender, TenderKind
from pos.till.models import SaleLine
from volunteers.permissions import Action, authorise
from volunteers.time_credits import eligible_units


class Baskets:
    """Part of Till (see pos.till): uses its db, catalogue, volunteers, time_credits, clock and audit."""

    def scan(self, basket: Basket, text: str, quantity: int = 1) -> Product:
        """Add the product with this barcode or short code; an unknown code leaves the basket alone.
        A code the catalogue does not have may be a weighed or price-marked label (a variable-measure
        barcode): tried only then, so a shop's own code that happens to start 02 or 2x stays itself."""
        return self.scan_line(basket, text, quantity)[0]

    def scan_line(self, basket: Basket, text: str, quantity: int = 1) -> tuple[Product, int]:
        """As `scan`, with the basket line the product went on."""
        product = self.catalogue.find(text)
        if product is None:
            return self._scan_measured(basket, text, quantity)
        measure = self.units.get(product.id)
        if measure is not None and measure.by_weight:
            raise BasketError(f"{product.name} is sold by weight: weigh it and scan the scale's label")
        return product, basket.add(product, quantity)

    def _scan_measured(self, basket: Basket, text: str, quantity: int) -> tuple[Product, int]:
        try:
            scanned = decode(text, self.barcode_layouts)
        except CodeError as error:
            raise BasketError(str(error)) from None
        product = self.catalogue.find(scanned.stub) if scanned else None
        if product is None:
            raise UnknownCode(text.strip())
        if quantity != 1:
            raise BasketError("a weighed or price-marked item is scanned one label at a time")
        if scanned.measure == Measure.price:
            return product, basket.add_measured(product, scanned.value)
        measure = self.units.get(product.id)
        if measure is None or not measure.by_weight:
            raise BasketError(f"{product.name} is not sold by weight, so the till has no price per kg for it")
        return product, basket.add_measured(product, weighed_price(scanned.value, product.price_pence),
                                            weight_grams=scanned.value, per_kg_pence=product.price_pence)

    def add_product(self, basket: Basket, product_id: int, quantity: int = 1) -> Product:
        product = self.catalogue.get(product_id)
        basket.add(product, quantity)
        return product

    def _sale_lines(self, basket: Basket) -> list[SaleLine]:
        member = basket.member_number
        lines = []
        for number, (line, (discount, total)) in enumerate(zip(basket.lines, basket.line_totals()), 1):
            effective = vat.effective_class(
                line.vat_class, served_hot=line.served_hot, catering=line.catering,
                eat_in=basket.eat_in, pass_through=line.pass_through,
            )
            lines.append(SaleLine(
                line_no=number, product_id=line.product_id, product_name=line.name,
                category=line.category, quantity=line.quantity,
                unit_price_pence=line.unit_price_pence, discount_pence=discount,
                discount_reason=line.discount_reason or (basket.discount_reason if discount else None),
                line_total_pence=total, vat_class=effective, vat_rate_bp=vat.rate_bp(effective),
                pass_through=line.pass_through, healthy_start=line.healthy_start,
                member_number=None if line.claimed else member,
                pay_forward=line.pay_forward, claimed=line.claimed, weight_grams=line.weight_grams,
                per_kg_pence=line.per_kg_pence,
            ))
        return lines

    def time_credit_value(self, basket: Basket, credits: int) -> int:
        """What `credits` time credits would pay for in this basket (the dearest items they may cover)."""
        return self.time_credits.value(self._sale_lines(basket), credits)

    def time_credit_tender(self, basket: Basket, volunteer_id: int, pin: str, credits: int | None = None) -> Tender:
        """A volunteer spends their own credits (their PIN says so): `credits` of them, or as
        many as the basket's set items and their balance allow."""
        self.check_pin(volunteer_id, pin)
        balance = self.time_credits.balance(volunteer_id, self.today())
        if credits is None:
            items = eligible_units(self._sale_lines(basket), self.time_credits.categories)
            credits = min(balance, items)
            if not items:
                raise PaymentError("nothing in this basket can be paid for with time credits")
        if 1 <= credits and credits > balance and has_count(self.db):
            raise PaymentError(capped(max(balance, 0), credits, what="time credits",
                                      whose=self.volunteers.get(volunteer_id).name))
        if credits < 1 or credits > balance:
            raise PaymentError(f"you have {balance} time credit{'s' if balance != 1 else ''}"
                               + (f", not {credits}" if credits else ""))
        value = self.time_credit_value(basket, credits)
        if value <= 0:
            raise PaymentError("those items cost nothing, so there is nothing for credits to pay")
        return Tender(kind=TenderKind.time_credits, amount_pence=value, credits=credits, volunteer_id=volunteer_id)

    def discount(
        self, basket: Basket, *, reason: str, operator_id: int, line: int | None = None,
        pence: int | None = None, percent: int | None = None, approver_id: int | None = None,
    ) -> None:
        """Discount one line (`line`) or the whole basket, by pence or percent. Above the
        volunteer limit (a setting) it needs a shift lead or manager, like a price change, and
        whoever allowed it goes with the discount: `complete_sale` refuses a big one without them.
        The discount then follows the basket (pos.basket): it keeps the share it was given at."""
        if (pence is None) == (percent is None):
            raise BasketError("give the discount as an amount or as a percentage")
        if percent is not None and not 0 <= percent <= 100:
            raise BasketError("a percentage discount is between 0 and 100")
        if line is not None:
            if not 0 <= line < len(basket.lines):
                raise BasketError("there is no such line in the basket")
            whole = basket.lines[line].gross_pence
        else:
            whole = basket.subtotal_pence
        amount = pence if pence is not None else whole * percent // 100
        approver = approved_by = None
        if amount * 100 > whole * self.discount_limit_percent:
            approver = authorise(self.volunteers, Action.discount, operator_id, approver_id)
            approved_by = approver or operator_id  # a lead discounting alone is their own approver
        if line is not None and percent is not None:
            basket.discount_percent(line, percent, reason, approved_by=approved_by)
        elif line is not None:
            basket.discount_line(line, amount, reason, approved_by=approved_by)
        elif percent is not None:
            basket.discount_all_percent(percent, reason, approved_by=approved_by)
        else:
            basket.discount_all(amount, reason, approved_by=approved_by)
        if approver is not None:
            with transaction(self.db):
                self.audit(Action.discount, operator_id, approver,
                            f"{format_pence(amount)} off {format_pence(whole)}: {reason.strip()}")

    def override_price(
        self, basket: Basket, index: int, price_pence: int, *, reason: str, operator_id: int,
        approver_id: int | None = None,
    ) -> None:
        """Sell one line at another price than the catalogue's, with a shift lead's say-so."""
        reason = (reason or "").strip()
        if not reason:
            raise TillError("say why the price is changed")
        if price_pence < 0:
            raise TillError("a price cannot be negative")
        approver = authorise(self.volunteers, Action.price_override, operator_id, approver_id)
        line = basket.lines[index] if 0 <= index < len(basket.lines) else None
        if line is None:
            raise BasketError("there is no such line in the basket")
        basket.set_price(index, price_pence, overridden_by=approver or operator_id,
                         reason=f"{format_pence(line.unit_price_pence)} to {format_pence(price_pence)}, {reason}")
