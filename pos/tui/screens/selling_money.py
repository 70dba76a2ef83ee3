"""The selling screen's money keys: pay, discounts and prices, the drawer, and baskets set aside
(parked, voided, refunded, reprinted)."""

from __future__ import annotations

from textual.widgets import Input

from core.clock import local
from core.money import format_pence
from pos.basket import Basket
from pos.receipts import parse_sale_reference
from pos.tenders import TenderKind
from pos.till import NotOpen, Sale
from pos.tui.modals.amount import AmountAnswer, AmountModal
from pos.tui.modals.approval import ApprovalModal
from pos.tui.modals.confirm import ConfirmModal
from pos.tui.modals.owed_receipts import OwedReceiptsModal
from pos.tui.modals.pay import PayModal
from pos.tui.modals.pick import PickModal
from pos.tui.modals.refund import RefundModal
from pos.tui.widgets.total_panel import TotalPanel
from volunteers.permissions import Action, NeedsApproval


class MoneyKeys:
    """Mixed into SellingScreen, whose basket, message line and entry box these keys use."""

    # The session under the screen ------------------------------------------------

    def watch_session(self) -> None:
        """Remember the session this screen sells into, and look every few seconds whether it was
        closed under it (a Z on the command line, or at another screen on the same file)."""
        session = self.shop.till.current_session()
        self._session_id = session.id if session else None
        self.set_interval(3, self.check_session)

    def check_session(self) -> None:
        if not self.is_attached or self.app.volunteer is None or self.app.screen is not self:
            return  # a dialog on top (paying, say) meets the closed till itself
        session = self.shop.till.current_session()
        if session is not None:
            self._session_id = session.id
            return
        if self._session_id is None:  # already said
            return
        self._session_id = None
        from pos.tui.modals.reopen import offer_to_reopen

        self.say("The till was closed (a Z report): F2 or F8 offers a new float.", error=True)
        offer_to_reopen(self.app, self._reopened)

    def _reopened(self) -> None:
        self.focus_entry()
        session = self.shop.till.current_session()
        self._session_id = session.id if session else None
        self.say("The till is open again with a new float: carry on.")

    def ask_before_quitting(self) -> bool:
        """Ctrl+Q with a basket open: ask first (True when asking). The basket, with whatever was
        taken for it, comes back when the till starts again."""
        if self.basket.is_empty:
            return False
        taken = f"{self._taken_text().capitalize()} already taken for it. " if self.basket.taken else ""
        self.app.push_screen(ConfirmModal(f"Quit with a basket open ({format_pence(self.basket.total_pence)})?",
                                          f"{taken}The basket comes back when the till starts again.",
                                          keep="No, keep selling", go="Yes, quit"),
                             lambda yes: yes and self.app.exit())
        return True

    # Money ---------------------------------------------------------------------

    def _taken_text(self) -> str:
        return " and ".join(f"{format_pence(t.amount_pence)} {t.kind.label.lower()}" for t in self.basket.taken)

    @staticmethod
    def _give_back_steps(tenders) -> list[str]:
        """What to hand back for these payments (a refund's are negative), one sentence each."""
        ways = {TenderKind.cash: "Give back {} cash", TenderKind.card: "Refund {} on the card terminal",
                TenderKind.healthy_start: "Refund {} to the Healthy Start card on the terminal",
                TenderKind.voucher: "Give back the {} voucher", TenderKind.member_credit: "{} back as till credit",
                TenderKind.time_credits: "{} back as time credits"}
        return [ways[TenderKind(t.kind)].format(format_pence(abs(t.amount_pence))) for t in tenders]

    def _give_back(self) -> list[str]:
        """What to hand back for the payments taken, when the basket will not be sold. Member and
        time credits are only taken from the balance when the sale is saved: nothing to give back."""
        return self._give_back_steps([t for t in self.basket.taken
                                      if t.kind not in (TenderKind.member_credit, TenderKind.time_credits)])

    def _show_give_back(self, tenders, *, why: str) -> None:
        """What to hand back, in the large figures where the change is shown, until the next sale."""
        steps = self._give_back_steps(tenders)
        if not steps:
            return
        self.change_showing = True
        self.query_one(TotalPanel).show_give_back(sum(abs(t.amount_pence) for t in tenders), steps, why=why)

    def _holding_payments(self) -> bool:
        """Say so, if payments are held for this basket (so it cannot be parked or emptied)."""
        if not self.basket.taken:
            return False
        self.say(f"{self._taken_text().capitalize()} already taken for this basket: F2 to finish paying, "
                 "or F8 to void it and give the money back.", error=True)
        return True

    def action_pay(self) -> None:
        if self.basket.is_empty:
            self.say("The basket is empty: scan something first.", error=True)
            return
        modal = PayModal(self.basket, self.volunteer.id, taken=self.basket.taken)

        def paid(sale: Sale | None) -> None:
            self.focus_entry()
            if sale is None:
                # Back to the basket (one more item, say): what was taken comes back with F2.
                self.basket.taken = list(modal.tenders)
                self.refresh_basket()
                if self.basket.taken:
                    self.say(f"{self._taken_text().capitalize()} already taken is kept with this basket: "
                             "F2 to finish paying.")
                return
            self.basket.taken = []
            self.receipt = None  # F9 now means this sale's receipt
            self.basket = Basket()
            self.change_showing = True
            self.refresh_basket()
            self.query_one(TotalPanel).show_change(sale.change_pence, sale.total_pence)
            self.show_pool()
            change = f" Change {format_pence(sale.change_pence)}." if sale.change_pence else ""
            self.say(f"Sale {sale.sale_number} done.{change}")
            self._receipt_for(sale)

        self.app.push_screen(modal, paid)

    def _receipt_for(self, sale: Sale) -> None:
        if self.shop.settings.printer.auto_print:
            self.app.print_sale(sale)  # the receipt opens the drawer for cash
        elif any(t.kind == "cash" for t in sale.tenders):
            self.app.open_drawer()

    def _discount(self, answer: AmountAnswer, line: int | None, approver: int | None = None) -> None:
        """Small discounts are the volunteer's call; above the limit a shift lead approves."""
        with self.trying() as attempt:
            try:
                self.shop.till.discount(self.basket, line=line, pence=answer.pence, percent=answer.percent,
                                        reason=answer.reason, operator_id=self.volunteer.id, approver_id=approver)
            except NeedsApproval:
                if approver is None:
                    self.app.push_screen(ApprovalModal(Action.discount),
                                         lambda who: who is not None and self._discount(answer, line, who))
                else:
                    self.say("That discount needs a shift lead or manager.", error=True)
                return
        if attempt.failed:
            return
        self.refresh_basket(select=line)

    def action_discount(self) -> None:
        index = self._selected()
        if index is None:
            self.say("Choose a basket line to discount.", error=True)
            return
        line = self.basket.lines[index]

        def given(answer: AmountAnswer | None) -> None:
            self.focus_entry()
            if answer is not None:
                self._discount(answer, index)

        self.app.push_screen(AmountModal(f"Discount on {line.name} ({format_pence(line.gross_pence)})",
                                         reason="why? (staff, damaged, goodwill)", percent=True), given)

    def action_discount_basket(self) -> None:
        if self.basket.is_empty:
            self.say("The basket is empty.", error=True)
            return

        def given(answer: AmountAnswer | None) -> None:
            self.focus_entry()
            if answer is not None:
                self._discount(answer, None)

        self.app.push_screen(AmountModal(f"Discount on the whole basket ({format_pence(self.basket.subtotal_pence)})",
                                         reason="why?", percent=True), given)

    def action_override_price(self) -> None:
        index = self._selected()
        if index is None:
            self.say("Choose a basket line first.", error=True)
            return
        line = self.basket.lines[index]

        def given(answer: AmountAnswer | None) -> None:
            self.focus_entry()
            if answer is None:
                return

            def override(approver: int | None) -> None:
                with self.trying() as attempt:
                    self.shop.till.override_price(self.basket, index, answer.pence, reason=answer.reason,
                                                  operator_id=self.volunteer.id, approver_id=approver)
                if attempt.failed:
                    return
                self.refresh_basket(select=index)

            self.app.with_approval(Action.price_override, override)

        self.app.push_screen(AmountModal(f"New price for {line.name} (now {format_pence(line.unit_price_pence)})",
                                         reason="why?"), given)

    def action_paid_out(self) -> None:
        def given(answer: AmountAnswer | None) -> None:
            self.focus_entry()
            if answer is None:
                return

            def pay_out(approver: int | None) -> None:
                with self.trying() as attempt:
                    self.shop.till.paid_out(answer.pence, reason=answer.reason, operator_id=self.volunteer.id,
                                            approver_id=approver)
                if attempt.failed:
                    return
                self.app.open_drawer()
                self.say(f"Paid out {format_pence(answer.pence)}: {answer.reason}")

            self.app.with_approval(Action.paid_out, pay_out)

        self.app.push_screen(AmountModal("Paid out of the drawer", reason="what for? (milk from the shop)"), given)

    def action_no_sale(self) -> None:
        def open_it(approver: int | None) -> None:
            with self.trying() as attempt:
                self.shop.till.no_sale(operator_id=self.volunteer.id, approver_id=approver)
            if attempt.failed:
                return
            self.app.open_drawer()
            self.say("Drawer opened (no sale recorded).")

        self.app.with_approval(Action.no_sale, open_it)

    # Baskets aside ------------------------------------------------------------------

    def action_park(self) -> None:
        if self._holding_payments():  # a parked basket would leave the money it was paid with behind
            return
        if self.basket.is_empty:
            self.say("There is nothing to park.", error=True)
            return
        from pos.tui.modals.park import ParkModal

        def named(label: str | None) -> None:
            self.focus_entry()
            if label is None:
                return
            with self.trying() as attempt:
                self.shop.till.park(self.basket, operator_id=self.volunteer.id, label=label)
            if attempt.failed:
                return
            self.refresh_basket()
            self.say(f"Basket parked{f' as {label}' if label else ''}. F6 brings it back.")

        self.app.push_screen(ParkModal(), named)

    def action_resume(self) -> None:
        if not self.basket.is_empty:
            self.say("Finish, park or void this basket before resuming another.", error=True)
            return
        if not self.shop.till.parked():
            self.say("No baskets are parked.", error=True)
            return

        def chosen(parked_id: int | None) -> None:
            self.focus_entry()
            if parked_id is None:
                return
            with self.trying() as attempt:
                self.basket = self.shop.till.resume(parked_id)
            if attempt.failed:
                return
            self._start_new_sale_display()
            self.refresh_basket(select=0)
            self.say("Basket resumed.")

        parked = []
        for basket in self.shop.till.parked():  # the name first: it is what the volunteer looks for
            when = local(basket.parked_at, self.shop.settings.zone).strftime("%H:%M")
            lines = len(basket.basket.lines)
            parked.append((basket.id, f"{(basket.label or '(no name)'):<20} {when}  {lines} line{'s' if lines != 1 else ''}"
                                      f"  {format_pence(basket.basket.total_pence)}"))
        self.app.push_screen(PickModal("Parked baskets: pick one and press Enter", parked), chosen)

    def action_void(self) -> None:
        """Ask first: a basket voided by a slip of the finger cannot come back."""
        if self.basket.is_empty:
            self.say("The basket is already empty.", error=True)
            return
        lines = len(self.basket.lines)
        what = f"{lines} line{'s' if lines != 1 else ''}, {format_pence(self.basket.total_pence)}"
        give_back = self._give_back()
        taken = f"{self._taken_text().capitalize()} already taken. " if self.basket.taken else ""
        then = f"Then: {'; '.join(step[:1].lower() + step[1:] for step in give_back)}." if give_back else ""

        def answered(yes: bool | None) -> None:
            self.focus_entry()
            if yes:
                self._void()

        self.app.push_screen(ConfirmModal(f"Void this basket ({what})?", f"{taken}{then}".strip(),
                                          keep="No, keep the basket", go="Yes, void it"), answered)

    def _void(self) -> None:
        held = [t for t in self.basket.taken if t.kind not in (TenderKind.member_credit, TenderKind.time_credits)]
        reason = "voided at the till" + (f" after {self._taken_text()} was taken" if self.basket.taken else "")
        with self.trying() as attempt:
            try:
                self.shop.till.void(self.basket, operator_id=self.volunteer.id, reason=reason)
            except NotOpen:  # closed under the screen: the void belongs to a session too
                from pos.tui.modals.reopen import offer_to_reopen

                offer_to_reopen(self.app, self._void)
                return
        if attempt.failed:
            return
        self.basket.taken = []
        self.refresh_basket()
        self._show_give_back(held, why="voided")
        self.say("Basket voided (recorded for the cash-up)." + (" Hand back what the panel shows." if held else ""),
                 error=bool(held))

    def action_refund(self) -> None:
        def refunded(refund: Sale | None) -> None:
            self.focus_entry()
            if refund is None:
                return
            self._start_new_sale_display()
            self._show_give_back(refund.tenders, why="refund")
            self.say(f"Refunded {format_pence(-refund.total_pence)} as sale {refund.sale_number}: "
                     "hand back what the panel shows.")
            self._receipt_for(refund)

        receipt, self.receipt = self.receipt, None
        reference = f"{receipt[0]}/{receipt[1]}" if receipt else None
        self.app.push_screen(RefundModal(self.volunteer.id, reference=reference), refunded)

    def action_reprint(self) -> None:
        """The last receipt, or the receipt just scanned, or the sale whose number is typed."""
        entry = self.query_one("#entry", Input)
        typed = entry.value.strip()
        receipt, self.receipt = self.receipt, None
        if typed:
            entry.value = ""
        with self.trying() as attempt:
            if typed:
                till_id, number = parse_sale_reference(typed, self.shop.till.till_id)
                sale = self.shop.till.get_sale(number, till_id=till_id)
            elif receipt:
                sale = self.shop.till.get_sale(receipt[1], till_id=receipt[0])
            else:
                sale = self.shop.till.last_sale()
        if attempt.failed:
            return
        if sale is None:
            self.say("No sale to reprint yet.", error=True)
            return
        self.app.print_sale(sale, copy=True)
        self.say(f"Reprinting sale {sale.sale_number}.")

    def action_receipts_waiting(self) -> None:
        """The receipts a printer refused: Enter prints the chosen one, F2 all of them."""
        owed = self.shop.receipt_queue.owed()
        if not owed:
            self.say("No receipts are waiting to print.")
            return

        def chosen(sale_numbers: list[int] | None) -> None:
            self.focus_entry()
            if sale_numbers:
                self.app.print_owed(sale_numbers)
                count = len(sale_numbers)
                what = f"sale {sale_numbers[0]}'s receipt" if count == 1 else f"{count} receipts"
                self.say(f"Printing {what}.")

        self.app.push_screen(OwedReceiptsModal(owed, self.shop.settings.zone), chosen)

