"""The till: open and close a session, turn baskets into sales, refund, void, and move cash.

Every method that records something writes it in one transaction; when it
returns, the record is on disk (synchronous=FULL) and the till may say "done".
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlite_utils import Database

from core.allocation import allocate
from core.clock import Clock, local_date, stamp, system_clock
from core.database import transaction
from core.errors import TillError
from core.money import format_pence
from inventory.products import Catalogue, Product
from inventory.stock import MovementKind, Stock
from pos import vat
from pos.basket import Basket, BasketError
from pos.tenders import AppliedTender, PaymentError, Tender, TenderKind, settle
from volunteers.people import Volunteer, Volunteers
from volunteers.permissions import Action, authorise
from volunteers.shifts import Shifts
from volunteers.time_credits import TimeCredits, eligible_units


class NotOpen(TillError):
    def __init__(self) -> None:
        super().__init__("The till is not open: open it with a float before selling")


class Session(BaseModel):
    id: int
    till_id: str
    business_date: str
    opened_at: str
    opened_by: int
    float_pence: int
    closed_at: str | None = None
    closed_by: int | None = None
    counted_pence: int | None = None
    z_number: int | None = None


class SaleLine(BaseModel):
    line_no: int
    product_id: int
    product_name: str
    category: str
    quantity: int
    unit_price_pence: int
    discount_pence: int
    discount_reason: str | None = None
    line_total_pence: int
    vat_class: str
    vat_rate_bp: int
    pass_through: bool
    healthy_start: bool
    member_number: str | None = None
    refund_of_line: int | None = None
    pay_forward: bool = False
    claimed: bool = False
    id: int | None = None


class Sale(BaseModel):
    """A completed sale or refund, as recorded. Never edited."""

    id: int
    till_id: str
    sale_number: int
    kind: str
    session_id: int
    business_date: str
    created_at: str
    operator_id: int
    member_number: str | None
    eat_in: bool
    total_pence: int
    refund_of: int | None = None
    reason: str | None = None
    lines: list[SaleLine]
    tenders: list[AppliedTender]
    #: Given to the community fund with the sale; inside total_pence, outside the lines.
    donation_pence: int = 0

    @property
    def change_pence(self) -> int:
        return sum(t.change_pence for t in self.tenders)


class ParkedBasket(BaseModel):
    id: int
    parked_at: str
    operator_id: int
    label: str | None
    basket: Basket


class QueuedReceipt(BaseModel):
    id: int
    sale_id: int
    status: str
    attempts: int
    last_error: str | None


_SESSION_COLUMNS = ", ".join(Session.model_fields)
_INSERT_SALE = (
    "insert into sales (till_id, sale_number, kind, session_id, business_date, created_at,"
    " operator_id, member_number, eat_in, total_pence, refund_of, reason, family_under5, first_visit)"
    " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_LINE = (
    "insert into sale_lines (sale_id, line_no, product_id, product_name, category, quantity,"
    " unit_price_pence, discount_pence, discount_reason, line_total_pence, vat_class, vat_rate_bp,"
    " pass_through, healthy_start, member_number, refund_of_line, pay_forward, claimed)"
    " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TENDER = (
    "insert into tenders (sale_id, kind, amount_pence, given_pence, change_pence, reference)"
    " values (?, ?, ?, ?, ?, ?)"
)
_INSERT_CASH = (
    "insert into cash_movements (till_id, session_id, created_at, operator_id, kind, amount_pence,"
    " reason) values (?, ?, ?, ?, ?, ?, ?)"
)


class Till:
    """One till (one drawer) on a shared database."""

    def __init__(
        self,
        db: Database,
        *,
        till_id: str = "till-1",
        clock: Clock = system_clock,
        zone: ZoneInfo | None = None,
        discount_limit_percent: int = 10,
        time_credits_per_hour: int = 1,
        time_credit_categories: frozenset[str] = frozenset(),
    ):
        self.db = db
        #: The largest discount (percent of the line or basket) a volunteer may give alone.
        self.discount_limit_percent = discount_limit_percent
        self.till_id = till_id
        self.clock = clock
        self.zone = zone or ZoneInfo("Europe/London")
        self.catalogue = Catalogue(db)
        self.stock = Stock(db)
        self.volunteers = Volunteers(db)
        self.shifts = Shifts(db, self.zone)
        self.time_credits = TimeCredits(db, self.shifts, per_hour=time_credits_per_hour,
                                        categories=frozenset(time_credit_categories))

    def now(self) -> str:
        return stamp(self.clock())

    def today(self) -> date:
        """Today in the shop's own time zone."""
        return local_date(self.clock(), self.zone)

    # Sessions ------------------------------------------------------------------

    def current_session(self) -> Session | None:
        row = self.db.execute(
            f"select {_SESSION_COLUMNS} from till_sessions where till_id = ? and closed_at is null",
            [self.till_id],
        ).fetchone()
        return Session(**dict(zip(Session.model_fields, row))) if row else None

    def session(self, session_id: int) -> Session:
        row = self.db.execute(
            f"select {_SESSION_COLUMNS} from till_sessions where id = ?", [session_id]
        ).fetchone()
        if row is None:
            raise TillError(f"there is no till session {session_id}")
        return Session(**dict(zip(Session.model_fields, row)))

    def seller(self, volunteer_id: int) -> Volunteer:
        return self.volunteers.working(volunteer_id)

    def open_session(self, float_pence: int, *, operator_id: int) -> Session:
        """Start the day: the float is the cash put in the drawer before the first sale."""
        if float_pence < 0:
            raise TillError("the float cannot be negative")
        self.seller(operator_id)
        moment = self.clock()
        with transaction(self.db):
            if self.current_session() is not None:
                raise TillError("the till is already open; close it with a Z report first")
            self.db.execute(
                "insert into till_sessions (till_id, business_date, opened_at, opened_by, float_pence)"
                " values (?, ?, ?, ?, ?)",
                [self.till_id, local_date(moment, self.zone).isoformat(), stamp(moment),
                 operator_id, float_pence],
            )
        return self.current_session()

    def close_session(self, counted_pence: int, *, operator_id: int, approver_id: int | None = None) -> Session:
        """The Z: record the counted cash and close the session. Its report never changes again."""
        if counted_pence < 0:
            raise TillError("the counted cash cannot be negative")
        approver = authorise(self.volunteers, Action.z_report, operator_id, approver_id)
        with transaction(self.db):
            session = self._require_session()
            self.audit(Action.z_report, operator_id, approver, f"counted {format_pence(counted_pence)}")
            z_number = self.db.execute(
                "select coalesce(max(z_number), 0) + 1 from till_sessions where till_id = ?",
                [self.till_id],
            ).fetchone()[0]
            self.db.execute(
                "update till_sessions set closed_at = ?, closed_by = ?, counted_pence = ?, z_number = ?"
                " where id = ?",
                [self.now(), operator_id, counted_pence, z_number, session.id],
            )
            self.shifts.close_forgotten(self.till_id, at=self.now(), session_id=session.id,
                                        closing_volunteer=operator_id)
            # However long this session stayed open, its Z goes into the journal now.
            from core.journal import seal

            seal(self.db, self.now(), finished=True)
        return self.session(session.id)

    def _require_session(self) -> Session:
        session = self.current_session()
        if session is None:
            raise NotOpen()
        return session

    # Building a basket -------------------------------------------------------------

    def scan(self, basket: Basket, text: str, quantity: int = 1) -> Product:
        """Add the product with this barcode or short code; an unknown code leaves the basket alone."""
        product = self.catalogue.lookup(text)
        basket.add(product, quantity)
        return product

    def add_product(self, basket: Basket, product_id: int, quantity: int = 1) -> Product:
        product = self.catalogue.get(product_id)
        basket.add(product, quantity)
        return product

    # Completing a sale ---------------------------------------------------------

    def complete_sale(self, basket: Basket, tenders: list[Tender], *, operator_id: int) -> Sale:
        """Record the basket as a sale: lines, tenders and stock in one transaction."""
        if basket.is_empty:
            raise BasketError("the basket is empty")
        settlement = settle(basket.total_pence, tenders)
        member = basket.member_number
        lines = self._sale_lines(basket)
        # An item paid forward leaves the shelf when it is claimed, not when it is paid for.
        tracked = [
            (line.product_id, MovementKind.sale, -line.quantity)
            for line in basket.lines if line.stock_tracked and not line.pay_forward
        ]
        overrides = [
            (line.overridden_by, f"{line.name}: {line.override_reason}")
            for line in basket.lines if line.overridden_by is not None
        ]
        return self._record(
            kind="sale", total=basket.total_pence, lines=lines, tenders=settlement.tenders,
            stock=tracked, operator_id=operator_id, member=member, eat_in=basket.eat_in,
            overrides=overrides, donation=basket.donation_pence,
            marks=(basket.family_under5, basket.first_visit), member_card=basket.member_card,
        )

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
                pay_forward=line.pay_forward, claimed=line.claimed,
            ))
        return lines

    def time_credit_value(self, basket: Basket, credits: int) -> int:
        """What `credits` time credits would pay for in this basket (the dearest items they may cover)."""
        return self.time_credits.value(self._sale_lines(basket), credits)

    def time_credit_tender(self, basket: Basket, volunteer_id: int, pin: str, credits: int | None = None) -> Tender:
        """A volunteer spends their own credits (their PIN says so): `credits` of them, or as
        many as the basket's set items and their balance allow."""
        self.volunteers.check_pin(volunteer_id, pin, now=self.clock())
        balance = self.time_credits.balance(volunteer_id, self.today())
        if credits is None:
            items = eligible_units(self._sale_lines(basket), self.time_credits.categories)
            credits = min(balance, items)
            if not items:
                raise PaymentError("nothing in this basket can be paid for with time credits")
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
        volunteer limit (a setting) it needs a shift lead or manager, like a price change."""
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
        approver = None
        if amount * 100 > whole * self.discount_limit_percent:
            approver = authorise(self.volunteers, Action.discount, operator_id, approver_id)
        if line is not None:
            basket.discount_line(line, amount, reason)
        else:
            basket.discount_all(amount, reason)
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
        if price_pence * line.quantity < line.discount_pence:
            raise BasketError("the new price is less than the line's discount; remove the discount first")
        previous = line.unit_price_pence
        line.unit_price_pence = price_pence
        if basket.discount_pence > basket.subtotal_pence:
            line.unit_price_pence = previous
            raise BasketError("the basket discount would be more than the basket costs")
        line.overridden_by = approver or operator_id
        line.override_reason = f"{format_pence(previous)} to {format_pence(price_pence)}, {reason}"

    def _record(
        self, *, kind: str, total: int, lines: list[SaleLine], tenders: list[AppliedTender],
        stock: list[tuple[int, MovementKind, int]], operator_id: int, member: str | None,
        eat_in: bool, refund_of: int | None = None, reason: str | None = None,
        wasted: list[tuple[int, int]] = (), overrides: list[tuple[int, str]] = (),
        approver_id: int | None = None, donation: int = 0, marks: tuple[bool, bool] = (False, False),
        credits_back: tuple[int, int] = (0, 0), member_card: bool = False,
    ) -> Sale:
        self.seller(operator_id)
        created = self.now()
        with transaction(self.db):
            session = self._require_session()
            number = self.db.execute(
                "select coalesce(max(sale_number), 0) + 1 from sales where till_id = ?",
                [self.till_id],
            ).fetchone()[0]
            sale_id = self.db.execute(
                _INSERT_SALE,
                [self.till_id, number, kind, session.id, session.business_date, created, operator_id,
                 member, int(eat_in), total, refund_of, reason, int(marks[0]), int(marks[1])],
            ).lastrowid
            self.db.conn.executemany(_INSERT_LINE, [
                (sale_id, l.line_no, l.product_id, l.product_name, l.category, l.quantity,
                 l.unit_price_pence, l.discount_pence, l.discount_reason, l.line_total_pence,
                 l.vat_class, l.vat_rate_bp, int(l.pass_through), int(l.healthy_start),
                 l.member_number, l.refund_of_line, int(l.pay_forward), int(l.claimed))
                for l in lines
            ])
            self.db.conn.executemany(_INSERT_TENDER, [
                (sale_id, t.kind.value, t.amount_pence, t.given_pence, t.change_pence, t.reference)
                for t in tenders
            ])
            reference = f"{self.till_id}/{number}"
            self._member_credit(member, tenders, created, reference, card=member_card)
            if refund_of is None:
                self._spend_time_credits(sale_id, lines, tenders, created)
            elif any(credits_back):
                self.time_credits.record_refund(sale_id=sale_id, original_sale_id=refund_of, credits=credits_back[0],
                                                amount_pence=credits_back[1], at=created)
            self._check_pool(lines)
            if donation:
                self.db.execute("insert into donations (sale_id, amount_pence, created_at) values (?, ?, ?)",
                                [sale_id, donation, created])
            movements = [(p, k, q, None, reference) for p, k, q in stock]
            movements += [(p, MovementKind.wastage, -q, "refunded, not fit to sell", reference)
                          for p, q in wasted]
            if movements:
                self.stock.record_many(movements, at=created)
            for approver, detail in overrides:
                self.audit(Action.price_override, operator_id, approver, f"sale {reference}: {detail}")
            if kind == "refund":
                self.audit(Action.refund, operator_id, approver_id, f"{reference}: {reason}")
            if kind == "sale":
                self._forget_open_basket()
            # The receipt is owed from the moment the sale exists; printing may come later.
            self.db.execute(
                "insert into receipt_queue (sale_id, created_at, status, attempts) values (?, ?, 'pending', 0)",
                [sale_id, created],
            )
        return Sale(
            id=sale_id, till_id=self.till_id, sale_number=number, kind=kind, session_id=session.id,
            business_date=session.business_date, created_at=created, operator_id=operator_id,
            member_number=member, eat_in=eat_in, total_pence=total, refund_of=refund_of,
            reason=reason, lines=lines, tenders=tenders, donation_pence=donation,
        )

    def _pool(self) -> list[tuple[int, str, int]]:
        """(product id, name, paid forward less claimed) for every product ever paid forward."""
        return [tuple(row) for row in self.db.execute(
            "select l.product_id, p.name, sum(case when l.pay_forward then l.quantity else 0 end)"
            " - sum(case when l.claimed then l.quantity else 0 end)"
            " from sale_lines l indexed by idx_sale_lines_paid_forward join products p on p.id = l.product_id"
            " where l.pay_forward or l.claimed group by l.product_id order by p.name"
        )]

    def paid_forward(self) -> list[tuple[int, str, int]]:
        """What is waiting to be claimed: (product id, name, how many)."""
        return [row for row in self._pool() if row[2] > 0]

    def _check_pool(self, lines: list[SaleLine]) -> None:
        """Inside the sale's transaction: claims can only take what was paid forward, and a refund
        cannot take back what someone has already claimed."""
        if not any(line.claimed or line.pay_forward for line in lines):
            return
        if any(waiting < 0 for _, _, waiting in self._pool()):
            raise PaymentError("nothing of that kind is waiting to be claimed (or it was claimed already); "
                               "nothing was recorded")

    def _member_credit(self, member: str | None, tenders: list[AppliedTender], at: str, reference: str, *,
                       card: bool = False) -> None:
        """Till credit spent (or given back by a refund) moves the member's credit ledger, in the
        sale's own transaction; it can never go below zero. Spending it needs the card: anyone
        could type a membership number."""
        spent = sum(t.amount_pence for t in tenders if t.kind == TenderKind.member_credit)
        if not spent:
            return
        if member is None or (spent > 0 and not card):
            raise PaymentError("member credit needs the member's card scanned first")
        from coop.register import Register

        holder = Register(self.db).by_number(member)
        if spent > 0 and not holder.is_member:
            raise PaymentError(f"{member} is no longer a member: their credit is paid out in cash "
                               "(till members pay-credit), not spent")
        member_id = holder.id
        balance = self.db.execute(
            "select coalesce(sum(amount_pence), 0) from member_credit where member_id = ?", [member_id]
        ).fetchone()[0]
        if spent > balance:
            raise PaymentError(f"{member} has {format_pence(balance)} of credit, not {format_pence(spent)}")
        self.db.execute(
            "insert into member_credit (member_id, at, amount_pence, kind, reference) values (?, ?, ?, ?, ?)",
            [member_id, at, -spent, "spent" if spent > 0 else "refunded", reference],
        )

    def _spend_time_credits(self, sale_id: int, lines: list[SaleLine], tenders: list[AppliedTender],
                            at: str) -> None:
        paid = [t for t in tenders if t.kind == TenderKind.time_credits]
        if not paid:
            return
        if len(paid) > 1:
            raise PaymentError("one person's time credits pay for a sale, in one go")
        tender = paid[0]
        if tender.volunteer_id is None or tender.credits is None:
            raise PaymentError("say whose time credits, and how many")
        self.time_credits.record_spend(sale_id=sale_id, volunteer_id=tender.volunteer_id, credits=tender.credits,
                                       amount_pence=tender.amount_pence, lines=lines, today=self.today(), at=at)

    # Looking sales up -----------------------------------------------------------------

    def get_sale(self, sale_number: int, *, till_id: str | None = None) -> Sale:
        till_id = till_id or self.till_id
        row = self.db.execute(
            "select id from sales where till_id = ? and sale_number = ?", [till_id, sale_number]
        ).fetchone()
        if row is None:
            raise TillError(f"there is no sale number {sale_number} on {till_id}")
        return self._load_sale(row[0])

    def _load_sale(self, sale_id: int) -> Sale:
        sale = next(self.db.query("select * from sales where id = ?", [sale_id]))
        lines = [
            SaleLine(**{k: v for k, v in row.items() if k in SaleLine.model_fields})
            for row in self.db.query("select * from sale_lines where sale_id = ? order by line_no", [sale_id])
        ]
        tenders = [
            AppliedTender(**{k: v for k, v in row.items() if k in AppliedTender.model_fields})
            for row in self.db.query("select * from tenders where sale_id = ? order by id", [sale_id])
        ]
        donation = self.db.execute("select coalesce(sum(amount_pence), 0) from donations where sale_id = ?",
                                   [sale_id]).fetchone()[0]
        return Sale(**{**sale, "eat_in": bool(sale["eat_in"])}, lines=lines, tenders=tenders,
                    donation_pence=donation)

    def refundable(self, sale: Sale) -> dict[int, int]:
        """How many of each line (by line number) can still be refunded."""
        refunded = self._refunded(sale.id)
        return {
            line.line_no: line.quantity - refunded.get(line.id, (0, 0, 0))[0] for line in sale.lines
        }

    def _refunded(self, sale_id: int) -> dict[int, tuple[int, int, int]]:
        """Per original line id: (quantity, total, discount) refunded so far, as positive numbers."""
        rows = self.db.execute(
            "select l.refund_of_line, -sum(l.quantity), -sum(l.line_total_pence), -sum(l.discount_pence)"
            " from sale_lines l join sales s on s.id = l.sale_id"
            " where s.refund_of = ? group by l.refund_of_line",
            [sale_id],
        ).fetchall()
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    # Refunds -------------------------------------------------------------------------

    def refund(
        self,
        sale_number: int,
        *,
        operator_id: int,
        reason: str,
        quantities: dict[int, int] | None = None,
        tenders: list[Tender] | None = None,
        waste: bool = False,
        from_till: str | None = None,
        approver_id: int | None = None,
    ) -> Sale:
        """Refund a whole sale, or some of its lines (line number → quantity).

        Never more than was sold, counting earlier refunds. The money goes back as
        `tenders` (default: the way it was paid, see refund_tenders). Stock returns to the
        shelf unless `waste`.
        A volunteer needs a shift lead or manager to approve (`approver_id`).
        """
        reason = (reason or "").strip()
        if not reason:
            raise TillError("say why the sale is being refunded")
        approver = authorise(self.volunteers, Action.refund, operator_id, approver_id)
        with transaction(self.db):
            original = self.get_sale(sale_number, till_id=from_till)
            if original.kind != "sale":
                raise TillError(f"sale {sale_number} is itself a refund and cannot be refunded")
            remaining = self.refundable(original)
            wanted = dict(quantities) if quantities is not None else {
                n: q for n, q in remaining.items() if q > 0
            }
            if not wanted or not any(wanted.values()):
                raise TillError(f"everything on sale {sale_number} has already been refunded")
            refunded = self._refunded(original.id)
            by_number = {line.line_no: line for line in original.lines}
            lines: list[SaleLine] = []
            stock: list[tuple[int, MovementKind, int]] = []
            wasted: list[tuple[int, int]] = []
            tracked = self._tracked({line.product_id for line in original.lines})
            for line_no, quantity in sorted(wanted.items()):
                line = by_number.get(line_no)
                if line is None:
                    raise TillError(f"sale {sale_number} has no line {line_no}")
                if quantity < 1 or quantity > remaining[line_no]:
                    raise TillError(
                        f"line {line_no} ({line.product_name}): {remaining[line_no]} can be refunded,"
                        f" not {quantity}"
                    )
                done_q, done_total, done_discount = refunded.get(line.id, (0, 0, 0))
                # Refund by cumulative share so that refunding every unit returns the line total exactly.
                total = line.line_total_pence * (done_q + quantity) // line.quantity - done_total
                discount = line.discount_pence * (done_q + quantity) // line.quantity - done_discount
                lines.append(line.model_copy(update={
                    "line_no": len(lines) + 1, "quantity": -quantity, "discount_pence": -discount,
                    "line_total_pence": -total, "refund_of_line": line.id, "id": None,
                }))
                if line.product_id in tracked:
                    stock.append((line.product_id, MovementKind.refund, quantity))
                    if waste:
                        wasted.append((line.product_id, quantity))
            owed = -sum(line.line_total_pence for line in lines)
            # Units paid for with time credits give their credits back, not money.
            credits_back, credit_pence = self.time_credits.refund_share(
                original, {line.line_no: refunded.get(line.id, (0, 0, 0))[0] for line in original.lines}, wanted)
            if tenders is None:
                money = self.refund_tenders(original, owed - credit_pence)
            else:
                given = sum(t.amount_pence for t in tenders if t.kind == TenderKind.time_credits)
                if given != credit_pence:
                    raise PaymentError(f"{format_pence(credit_pence)} of this refund goes back as time credits, "
                                       "with the items they paid for")
                money = [t for t in tenders if t.kind != TenderKind.time_credits]
            paid_back = self._refund_tenders(owed - credit_pence, money)
            if credit_pence:
                paid_back.append(AppliedTender(kind=TenderKind.time_credits, amount_pence=-credit_pence,
                                               given_pence=-credit_pence, credits=-credits_back))
            return self._record(
                kind="refund", total=-owed, lines=lines, tenders=paid_back, stock=stock,
                operator_id=operator_id, member=original.member_number, eat_in=original.eat_in,
                refund_of=original.id, reason=reason, wasted=wasted, approver_id=approver,
                credits_back=(credits_back, credit_pence),
            )

    def refund_tenders(self, sale: Sale, owed: int) -> list[Tender]:
        """Money goes back the way it came, in the same shares: Healthy Start back to the card,
        never as cash (no cash back on it); never more to a tender than it paid, over all refunds."""
        paid: dict[TenderKind, int] = {}
        for tender in sale.tenders:
            paid[TenderKind(tender.kind)] = paid.get(TenderKind(tender.kind), 0) + tender.amount_pence
        for kind, amount in self.db.execute(
            "select t.kind, sum(t.amount_pence) from tenders t join sales s on s.id = t.sale_id"
            " where s.refund_of = ? group by t.kind",
            [sale.id],
        ):
            paid[TenderKind(kind)] = paid.get(TenderKind(kind), 0) + amount  # refunds are negative
        # Time credits go back with the units they paid for (see refund), never as a share of money.
        kinds = [k for k, left in paid.items() if left > 0 and k != TenderKind.time_credits]
        if not owed:
            return []
        if not kinds:  # a sale of £0.00 paid nothing; anything owed (none in practice) is cash
            return [Tender(kind=TenderKind.cash, amount_pence=owed)]
        parts = allocate(owed, [paid[k] for k in kinds])
        return [Tender(kind=k, amount_pence=part) for k, part in zip(kinds, parts) if part]

    def _tracked(self, product_ids: set[int]) -> set[int]:
        if not product_ids:
            return set()
        marks = ",".join("?" * len(product_ids))
        return {
            row[0] for row in self.db.execute(
                f"select id from products where stock_tracked = 1 and id in ({marks})", list(product_ids)
            )
        }

    @staticmethod
    def _refund_tenders(owed: int, tenders: list[Tender]) -> list[AppliedTender]:
        if sum(t.amount_pence for t in tenders) != owed:
            raise PaymentError(f"the refund is {format_pence(owed)}; the amounts paid back must add up to it")
        return [
            AppliedTender(kind=t.kind, amount_pence=-t.amount_pence, given_pence=-t.amount_pence,
                          reference=t.reference)
            for t in tenders
        ]

    # Voids, and cash that moves without a sale ---------------------------------

    def void(self, basket: Basket, *, operator_id: int, reason: str = "") -> None:
        """Abandon the open basket, leaving a record of it for the cash-up."""
        if basket.is_empty:
            raise BasketError("the basket is already empty")
        self.seller(operator_id)
        with transaction(self.db):
            session = self._require_session()
            self.db.execute(
                "insert into voids (till_id, session_id, created_at, operator_id, line_count,"
                " total_pence, reason) values (?, ?, ?, ?, ?, ?, ?)",
                [self.till_id, session.id, self.now(), operator_id, len(basket.lines),
                 basket.total_pence, reason.strip() or None],
            )
            self._forget_open_basket()
        basket.clear()

    def paid_in(self, amount_pence: int, *, reason: str, operator_id: int) -> None:
        self._cash_movement("paid_in", amount_pence, reason, operator_id, None)

    def paid_out(self, amount_pence: int, *, reason: str, operator_id: int, approver_id: int | None = None) -> None:
        """Cash taken from the drawer to pay for something (milk from the corner shop)."""
        approver = authorise(self.volunteers, Action.paid_out, operator_id, approver_id)
        self._cash_movement("paid_out", amount_pence, reason, operator_id, approver)

    def no_sale(self, *, operator_id: int, reason: str = "", approver_id: int | None = None) -> None:
        """The drawer was opened without a sale; counted in the X and Z reports."""
        self.seller(operator_id)
        approver = authorise(self.volunteers, Action.no_sale, operator_id, approver_id)
        with transaction(self.db):
            self.record_cash(self._require_session(), "no_sale", 0, reason.strip() or None, operator_id=operator_id)
            self.audit(Action.no_sale, operator_id, approver, reason.strip())

    def _cash_movement(self, kind: str, amount_pence: int, reason: str, operator_id: int,
                       approver_id: int | None) -> None:
        if amount_pence <= 0:
            raise TillError("the amount must be more than £0.00")
        self.seller(operator_id)
        if not (reason or "").strip():
            raise TillError("say what the money was for")
        with transaction(self.db):
            self.record_cash(self._require_session(), kind, amount_pence, reason.strip(), operator_id=operator_id)
            if kind == "paid_out":
                self.audit(Action.paid_out, operator_id, approver_id,
                            f"{format_pence(amount_pence)}: {reason.strip()}")

    def record_cash(self, session: Session, kind: str, amount_pence: int, reason: str | None, *,
                    operator_id: int) -> None:
        """Cash into or out of the drawer apart from a sale (paid in or out, share money, a dividend,
        credit paid out), inside the caller's transaction; the X and Z count it by kind."""
        self.db.execute(_INSERT_CASH, [self.till_id, session.id, self.now(), operator_id, kind, amount_pence, reason])

    def audit(self, action: Action, operator_id: int, approver_id: int | None, detail: str) -> None:
        self.db.execute(
            "insert into audit_log (created_at, till_id, action, operator_id, approver_id, detail)"
            " values (?, ?, ?, ?, ?, ?)",
            [self.now(), self.till_id, action.value, operator_id, approver_id, detail or None],
        )

    # Signing in and out ---------------------------------------------------------

    def sign_in(self, volunteer_id: int, pin: str) -> Volunteer:
        """Check the PIN and start a shift (unless one is already running on this till)."""
        volunteer = self.volunteers.check_pin(volunteer_id, pin, now=self.clock())
        if volunteer.role.sells:  # centre staff come to read the reports, not for a shift
            self.start_shift(volunteer_id)
        return volunteer

    def start_shift(self, volunteer_id: int) -> None:
        """The shift part of signing in, once the PIN is checked (the simulator calls it directly)."""
        with transaction(self.db):
            running = self.db.execute(
                "select 1 from shifts where volunteer_id = ? and till_id = ? and ended_at is null",
                [volunteer_id, self.till_id],
            ).fetchone()
            if not running:
                self.db.execute(
                    "insert into shifts (volunteer_id, till_id, started_at) values (?, ?, ?)",
                    [volunteer_id, self.till_id, self.now()],
                )

    def sign_out(self, volunteer_id: int) -> None:
        from core.journal import seal

        with transaction(self.db):
            self.db.execute(
                "update shifts set ended_at = ? where volunteer_id = ? and till_id = ? and ended_at is null",
                [self.now(), volunteer_id, self.till_id],
            )
            seal(self.db, self.now(), finished=True)  # however long ago the shift began

    def approve(self, volunteer_id: int, pin: str, action: Action) -> int:
        """A shift lead or manager's PIN typed on the spot; returns their id to pass as approver_id."""
        approver = self.volunteers.check_pin(volunteer_id, pin, now=self.clock())
        return authorise(self.volunteers, action, approver.id, None) or approver.id

    # Parking ---------------------------------------------------------------------

    def keep_open_basket(self, basket: Basket, *, operator_id: int) -> None:
        """Save the basket being rung up (or forget it when empty), so a crash or power cut
        loses at most the last keystroke."""
        with transaction(self.db):
            if basket.is_empty:
                self.db.execute("delete from open_baskets where till_id = ?", [self.till_id])
            else:
                self.db.execute(
                    "insert into open_baskets (till_id, operator_id, basket_json, updated_at) values (?, ?, ?, ?)"
                    " on conflict (till_id) do update set operator_id = excluded.operator_id,"
                    " basket_json = excluded.basket_json, updated_at = excluded.updated_at",
                    [self.till_id, operator_id, basket.model_dump_json(), self.now()],
                )

    def open_basket(self) -> Basket | None:
        """The basket that was being rung up when the till stopped, if any."""
        row = self.db.execute("select basket_json from open_baskets where till_id = ?", [self.till_id]).fetchone()
        if row is None:
            return None
        try:
            return Basket.model_validate_json(row[0])
        except ValueError:  # written by another version and unreadable: better lost than a crash
            return None

    def _forget_open_basket(self) -> None:
        # In the transaction that completes, voids or parks it: the two can never disagree.
        self.db.execute("delete from open_baskets where till_id = ?", [self.till_id])

    def park(self, basket: Basket, *, operator_id: int, label: str = "") -> int:
        """Put the basket aside (the customer went to fetch their purse) and start a new one."""
        if basket.is_empty:
            raise BasketError("there is nothing to park")
        self.seller(operator_id)
        with transaction(self.db):
            parked_id = self.db.execute(
                "insert into parked_baskets (till_id, parked_at, operator_id, label, basket_json)"
                " values (?, ?, ?, ?, ?)",
                [self.till_id, self.now(), operator_id, label.strip() or None, basket.model_dump_json()],
            ).lastrowid
            self._forget_open_basket()
        basket.clear()
        return parked_id

    def parked(self) -> list[ParkedBasket]:
        return [
            ParkedBasket(id=r[0], parked_at=r[1], operator_id=r[2], label=r[3],
                         basket=Basket.model_validate_json(r[4]))
            for r in self.db.execute(
                "select id, parked_at, operator_id, label, basket_json from parked_baskets"
                " where till_id = ? and resumed_at is null order by id",
                [self.till_id],
            )
        ]

    def resume(self, parked_id: int) -> Basket:
        with transaction(self.db):
            row = self.db.execute(
                "select basket_json from parked_baskets where id = ? and till_id = ? and resumed_at is null",
                [parked_id, self.till_id],
            ).fetchone()
            if row is None:
                raise TillError("that parked basket has already been resumed")
            self.db.execute("update parked_baskets set resumed_at = ? where id = ?", [self.now(), parked_id])
        return Basket.model_validate_json(row[0])

    # Receipts ----------------------------------------------------------------------

    def receipts_waiting(self) -> list[QueuedReceipt]:
        """Receipts not yet printed (pending or failed), oldest first."""
        return [
            QueuedReceipt(id=r[0], sale_id=r[1], status=r[2], attempts=r[3], last_error=r[4])
            for r in self.db.execute(
                "select q.id, q.sale_id, q.status, q.attempts, q.last_error from receipt_queue q"
                " join sales s on s.id = q.sale_id where s.till_id = ? and q.status != 'printed'"
                " order by q.id",
                [self.till_id],
            )
        ]

    def community_fund_pence(self) -> int:
        """Everything given to the community fund at the tills, ever."""
        return self.db.execute("select coalesce(sum(amount_pence), 0) from donations").fetchone()[0]

    def receipts_failed(self) -> int:
        """How many of this till's receipts a printer has refused and still wait for a reprint."""
        return self.db.execute(
            "select count(*) from receipt_queue q join sales s on s.id = q.sale_id"
            " where q.status = 'failed' and s.till_id = ?",
            [self.till_id],
        ).fetchone()[0]

    def receipt_printed(self, sale_id: int) -> None:
        with transaction(self.db):
            self.db.execute(
                "update receipt_queue set status = 'printed', attempts = attempts + 1, printed_at = ?,"
                " last_error = null where sale_id = ? and status != 'printed'",
                [self.now(), sale_id],
            )

    def receipt_failed(self, sale_id: int, error: str) -> None:
        with transaction(self.db):
            self.db.execute(
                "update receipt_queue set status = 'failed', attempts = attempts + 1, last_error = ?"
                " where sale_id = ? and status != 'printed'",
                [error, sale_id],
            )

    def last_sale(self) -> Sale | None:
        row = self.db.execute(
            "select sale_number from sales where till_id = ? order by sale_number desc limit 1", [self.till_id]
        ).fetchone()
        return self.get_sale(row[0]) if row else None
