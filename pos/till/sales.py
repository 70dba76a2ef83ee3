"""Completing a sale: the basket and its tenders written as one sale, with everything that moves with
it (stock, member and time credit, the pay-it-forward pool, donations, the receipt owed); and looking
recorded sales up again."""

from __future__ import annotations

import json

from core.database import transaction
from core.errors import TillError
from core.money import format_pence
from inventory.stock import MovementKind
from pos.basket import Basket, BasketError
from pos.tenders import AppliedTender, PaymentError, Tender, TenderKind, settle
from pos.till.models import PriceOverride, Sale, SaleLine, SaleRecord, Session, StockMove
from volunteers.permissions import Action, may_approve

_INSERT_SALE = (
    "insert into sales (till_id, sale_number, kind, session_id, business_date, created_at,"
    " operator_id, member_number, eat_in, total_pence, refund_of, reason, family_under5, first_visit)"
    " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_LINE = (
    "insert into sale_lines (sale_id, line_no, product_id, product_name, category, quantity,"
    " unit_price_pence, discount_pence, discount_reason, line_total_pence, vat_class, vat_rate_bp,"
    " pass_through, healthy_start, member_number, refund_of_line, pay_forward, claimed, weight_grams,"
    " per_kg_pence) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TENDER = (
    "insert into tenders (sale_id, kind, amount_pence, given_pence, change_pence, reference)"
    " values (?, ?, ?, ?, ?, ?)"
)


class Sales:
    """Part of Till (see pos.till): uses its db, till_id, stock, time_credits, now, today, seller,
    _require_session, _sale_lines, settle_open_basket, _forget_open_basket and audit."""

    def complete_sale(self, basket: Basket, tenders: list[Tender], *, operator_id: int) -> Sale:
        """Record the basket as a sale: lines, tenders and stock in one transaction."""
        if basket.is_empty:
            raise BasketError("the basket is empty")
        self._check_discounts(basket)
        settlement = settle(basket.total_pence, tenders)
        lines = self._sale_lines(basket)
        return self._record(SaleRecord(
            kind="sale", total_pence=basket.total_pence, lines=lines, tenders=settlement.tenders,
            operator_id=operator_id, member_number=basket.member_number, eat_in=basket.eat_in,
            # An item paid forward leaves the shelf when it is claimed, not when it is paid for.
            stock=[StockMove(line.product_id, MovementKind.sale, -line.quantity)
                   for line in basket.lines if line.stock_tracked and not line.pay_forward],
            overrides=[PriceOverride(line.overridden_by, f"{line.name}: {line.override_reason}")
                       for line in basket.lines if line.overridden_by is not None],
            donation_pence=basket.donation_pence, family_under5=basket.family_under5,
            first_visit=basket.first_visit, member_card=basket.member_card,
        ))

    def _check_discounts(self, basket: Basket) -> None:
        """However the basket came to be (a saved basket edited, the Basket used without the till's
        `discount`), a discount above the volunteer limit is sold only with a shift lead's or
        manager's name on it."""
        limit = self.discount_limit_percent
        given = [(line.name, line.discount_pence, line.gross_pence, line.discount_approved_by)
                 for line in basket.lines if line.own_discount]
        given.append(("the basket", basket.discount_pence, basket.subtotal_pence, basket.discount_approved_by))
        for what, pence, whole, approver in given:
            if pence * 100 <= whole * limit:
                continue
            if approver is None or not may_approve(self.volunteers.get(approver).roles, Action.discount):
                raise BasketError(f"the discount on {what} ({format_pence(pence)}) is more than {limit}% "
                                  "and needs a shift lead or manager to approve it: give the discount again")

    def _record(self, record: SaleRecord) -> Sale:
        """Write a sale or refund and all that moves with it, in one transaction, in this order
        (the journal and the books read the rows in the order they were written)."""
        self.seller(record.operator_id)
        if record.kind == "sale":
            self.settle_open_basket()  # no save of the basket still on its way may land after this
        created = self.now()
        with transaction(self.db):
            session = self._require_session()
            number = self._next_sale_number()
            sale_id = self._insert_sale(record, session, number, created)
            reference = f"{self.till_id}/{number}"
            self._member_credit(record.member_number, record.tenders, created, reference, card=record.member_card)
            self._record_time_credits(record, sale_id, created)
            self._check_pool(record.lines)
            if record.donation_pence:
                self.db.execute("insert into donations (sale_id, amount_pence, created_at) values (?, ?, ?)",
                                [sale_id, record.donation_pence, created])
            self._move_stock(record, sale_id, reference, created)
            self._audit_sale(record, reference)
            if record.kind == "sale":
                self._forget_open_basket()
            # The receipt is owed from the moment the sale exists; printing may come later.
            self.db.execute(
                "insert into receipt_queue (sale_id, created_at, status, attempts) values (?, ?, 'pending', 0)",
                [sale_id, created],
            )
        return Sale(
            id=sale_id, till_id=self.till_id, sale_number=number, kind=record.kind, session_id=session.id,
            business_date=session.business_date, created_at=created, operator_id=record.operator_id,
            member_number=record.member_number, eat_in=record.eat_in, total_pence=record.total_pence,
            refund_of=record.refund_of, reason=record.reason, lines=record.lines, tenders=record.tenders,
            donation_pence=record.donation_pence,
        )

    def _next_sale_number(self) -> int:
        # After a gap left by a rebuild from the hub (pos/schema.py m014), numbering resumes past it.
        return self.db.execute(
            "select max(coalesce((select max(sale_number) from sales where till_id = ?), 0) + 1,"
            " coalesce((select resumes_at from sale_number_gaps where till_id = ?), 1))",
            [self.till_id, self.till_id],
        ).fetchone()[0]

    def _insert_sale(self, record: SaleRecord, session: Session, number: int, created: str) -> int:
        """The sale row, its lines and its tenders; returns the new sale's id."""
        sale_id = self.db.execute(
            _INSERT_SALE,
            [self.till_id, number, record.kind, session.id, session.business_date, created, record.operator_id,
             record.member_number, int(record.eat_in), record.total_pence, record.refund_of, record.reason,
             int(record.family_under5), int(record.first_visit)],
        ).lastrowid
        self.db.conn.executemany(_INSERT_LINE, [
            (sale_id, l.line_no, l.product_id, l.product_name, l.category, l.quantity,
             l.unit_price_pence, l.discount_pence, l.discount_reason, l.line_total_pence,
             l.vat_class, l.vat_rate_bp, int(l.pass_through), int(l.healthy_start),
             l.member_number, l.refund_of_line, int(l.pay_forward), int(l.claimed), l.weight_grams,
             l.per_kg_pence)
            for l in record.lines
        ])
        self.db.conn.executemany(_INSERT_TENDER, [
            (sale_id, t.kind.value, t.amount_pence, t.given_pence, t.change_pence, t.reference)
            for t in record.tenders
        ])
        return sale_id

    def _record_time_credits(self, record: SaleRecord, sale_id: int, created: str) -> None:
        """A sale spends the credits its tender names; a refund gives back those it worked out."""
        if record.refund_of is None:
            self._spend_time_credits(sale_id, record.lines, record.tenders, created)
        elif record.credits_back or record.credits_back_pence:
            self.time_credits.record_refund(sale_id=sale_id, original_sale_id=record.refund_of,
                                            credits=record.credits_back, amount_pence=record.credits_back_pence,
                                            at=created)

    def _move_stock(self, record: SaleRecord, sale_id: int, reference: str, created: str) -> None:
        movements = [(p, k, q, None, reference) for p, k, q in record.stock]
        movements += [(p, MovementKind.wastage, -q, "refunded, not fit to sell", reference)
                      for p, q in record.wasted]
        if movements:
            self.stock.record_many(movements, at=created, sale_id=sale_id, by=record.operator_id)

    def _audit_sale(self, record: SaleRecord, reference: str) -> None:
        """Price changes a lead allowed, and the refund itself, go in the audit log with the sale."""
        for approver, detail in record.overrides:
            self.audit(Action.price_override, record.operator_id, approver, f"sale {reference}: {detail}")
        if record.kind == "refund":
            self.audit(Action.refund, record.operator_id, record.approver_id, f"{reference}: {record.reason}")

    def _pool(self) -> list[tuple[int, str, int]]:
        """(product id, name, paid forward less claimed) for every product ever paid forward: here, and
        at the other tills as the office last counted (hub/balances.py; none without a hub)."""
        from hub.balances import all_elsewhere

        elsewhere = all_elsewhere(self.db, "pool")
        pool = [[*row] for row in self.db.execute(
            "select l.product_id, p.name, sum(case when l.pay_forward then l.quantity else 0 end)"
            " - sum(case when l.claimed then l.quantity else 0 end)"
            " from sale_lines l indexed by idx_sale_lines_paid_forward join products p on p.id = l.product_id"
            " where l.pay_forward or l.claimed group by l.product_id order by p.name"
        )]
        if not elsewhere:
            return [tuple(row) for row in pool]
        for row in pool:
            row[2] += elsewhere.pop(row[0], 0)
        names = dict(self.db.execute("select id, name from products where id in (select value from json_each(?))",
                                     [json.dumps(list(elsewhere))]).fetchall())
        pool += [[product, names[product], waiting] for product, waiting in elsewhere.items() if product in names]
        return sorted((tuple(row) for row in pool), key=lambda row: row[1])

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
        from hub import balances

        member_id = holder.id
        balance = self.member_credit(member_id)
        if spent > balance and balances.has_count(self.db):
            raise PaymentError(balances.capped(balance, spent, what="credit", whose=member))
        if spent > balance:
            raise PaymentError(f"{member} has {format_pence(balance)} of credit, not {format_pence(spent)}")
        self.db.execute(
            "insert into member_credit (member_id, at, amount_pence, kind, reference) values (?, ?, ?, ?, ?)",
            [member_id, at, -spent, "spent" if spent > 0 else "refunded", reference],
        )

    def member_credit(self, member_id: int) -> int:
        """The member's till credit as this till knows it: its own ledger and, with a hub, what the other
        tills did as the office last counted. A till apart spends no more than that; two tills apart may
        between them spend more, which the office flags (hub/balances.py)."""
        from hub.balances import elsewhere

        return self.db.execute(
            "select coalesce(sum(amount_pence), 0) from member_credit where member_id = ?", [member_id]
        ).fetchone()[0] + elsewhere(self.db, "credit", member_id)

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

    def last_sale(self) -> Sale | None:
        row = self.db.execute(
            "select sale_number from sales where till_id = ? order by sale_number desc limit 1", [self.till_id]
        ).fetchone()
        return self.get_sale(row[0]) if row else None

    def community_fund_pence(self) -> int:
        """Everything given to the community fund at the tills, ever."""
        return self.db.execute("select coalesce(sum(amount_pence), 0) from donations").fetchone()[0]
