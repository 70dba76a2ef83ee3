"""Cash that moves without a sale: voided baskets, paid in and out, the drawer opened for no sale;
and the audit log that such things (and approvals) write to."""

from __future__ import annotations

from core.database import transaction
from core.errors import TillError
from core.money import format_pence
from pos.basket import Basket, BasketError
from pos.till.models import Session
from volunteers.permissions import Action, authorise

_INSERT_CASH = (
    "insert into cash_movements (till_id, session_id, created_at, operator_id, kind, amount_pence,"
    " reason) values (?, ?, ?, ?, ?, ?, ?)"
)


class Cash:
    """Part of Till (see pos.till): uses its db, till_id, volunteers, now, seller and _require_session."""

    def void(self, basket: Basket, *, operator_id: int, reason: str = "") -> None:
        """Abandon the open basket, leaving a record of it for the cash-up."""
        if basket.is_empty:
            raise BasketError("the basket is already empty")
        self.seller(operator_id)
        self.settle_open_basket()  # no save of the basket still on its way may land after this
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
