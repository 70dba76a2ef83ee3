"""Refunds: how much of a sale can still go back, the money back the way it came, and the stock."""

from __future__ import annotations

from core.allocation import allocate
from core.database import transaction
from core.errors import TillError
from core.money import format_pence
from inventory.stock import MovementKind
from pos.tenders import AppliedTender, PaymentError, Tender, TenderKind
from pos.till.models import Sale, SaleLine, SaleRecord, StockMove, Wasted
from volunteers.permissions import Action, authorise


class Refunds:
    """Part of Till (see pos.till): uses its db, volunteers, time_credits, get_sale and _record."""

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
            stock: list[StockMove] = []
            wasted: list[Wasted] = []
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
                total, discount = self._line_refund(line, refunded.get(line.id, (0, 0, 0)), quantity)
                lines.append(line.model_copy(update={
                    "line_no": len(lines) + 1, "quantity": -quantity, "discount_pence": -discount,
                    "line_total_pence": -total, "refund_of_line": line.id, "id": None,
                }))
                if line.product_id in tracked:
                    stock.append(StockMove(line.product_id, MovementKind.refund, quantity))
                    if waste:
                        wasted.append(Wasted(line.product_id, quantity))
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
            return self._record(SaleRecord(
                kind="refund", total_pence=-owed, lines=lines, tenders=paid_back, operator_id=operator_id,
                member_number=original.member_number, eat_in=original.eat_in, stock=stock, wasted=wasted,
                refund_of=original.id, reason=reason, approver_id=approver,
                credits_back=credits_back, credits_back_pence=credit_pence,
            ))

    @staticmethod
    def _line_refund(line: SaleLine, done: tuple[int, int, int], quantity: int) -> tuple[int, int]:
        """What `quantity` more of a sale's line refunds: (total, discount), after `done` (quantity,
        total, discount) refunded before. By cumulative share, so that refunding every unit returns
        the line total exactly."""
        done_q, done_total, done_discount = done
        total = line.line_total_pence * (done_q + quantity) // line.quantity - done_total
        discount = line.discount_pence * (done_q + quantity) // line.quantity - done_discount
        return total, discount

    def refund_total(self, sale: Sale, quantities: dict[int, int]) -> int:
        """What refunding these quantities (line number → how many) would pay back, before it is
        done: the refund dialog shows it as lines are chosen."""
        refunded = self._refunded(sale.id)
        return sum(self._line_refund(line, refunded.get(line.id, (0, 0, 0)), quantities[line.line_no])[0]
                   for line in sale.lines if quantities.get(line.line_no))

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
