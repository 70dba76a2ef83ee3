"""The selling screen's member keys: a member's card or number on the sale, finding and joining
members, their shares, and their money apart from the sale (Ctrl+U)."""

from __future__ import annotations

from core.clock import local
from core.money import format_pence
from pos.tui.modals.find_member import FindMemberModal
from pos.tui.modals.join import JoinAnswer, JoinModal
from pos.tui.modals.member_money import MemberMoneyModal, MoneyAction, MoneyChoice
from pos.tui.modals.my_shares import MySharesModal
from volunteers.permissions import Action


class MemberKeys:
    """Mixed into SellingScreen, whose basket and message line these keys use."""

    # Members ------------------------------------------------------------------------------

    def attach_member(self, member, *, by_card: bool = True) -> None:
        """A typed number gives member prices but shows no name and opens no statement: numbers
        run in order, so anyone could type one. The card is what proves the member is here."""
        with self.trying() as attempt:
            self.shop.membership.attach(self.basket, member, card=by_card)
        if attempt.failed:
            return
        self._start_new_sale_display()
        self.refresh_basket()
        saving = self.basket.member_savings_pence
        who = f"{member.number} {member.name}" if by_card else member.number
        self.say(f"Member {who}: member prices on" + (f" (saving {format_pence(saving)} so far)." if saving else "."))

    def action_take_member_off(self) -> None:
        if self.basket.member_number is None:
            return
        self.shop.membership.attach(self.basket, None)
        self.refresh_basket()
        self.say("Member taken off this sale.")

    def action_find_member(self) -> None:
        def search(approver: int | None) -> None:
            def found(member_id: int | None) -> None:
                self.focus_entry()
                if member_id is not None:
                    self.attach_member(self.shop.membership.found(member_id, operator_id=self.volunteer.id,
                                                                  approver_id=approver))

            self.app.push_screen(FindMemberModal(self.volunteer.id, approver), found)

        self.app.with_approval(Action.find_member, search)

    def action_join(self) -> None:
        def answered(answer: JoinAnswer | None) -> None:
            self.focus_entry()
            if answer is None:
                return

            def join(approver: int | None) -> None:
                membership = self.shop.membership
                with self.trying("Nobody was registered.") as attempt:
                    member = membership.join(answer.details, answer.shares, operator_id=self.volunteer.id,
                                             approver_id=approver)
                if attempt.failed:
                    return
                amount = answer.shares * membership.rules.share_value_pence
                if self.basket.is_empty or self.basket.member_number is None:
                    self.attach_member(member)
                # Said last, so that nothing on the message line hides it: the money is in their hand.
                self.say(f"Take {format_pence(amount)} for {answer.shares} shares into the drawer. "
                         f"Welcome, {member.number} {member.name}!")
                from pos.receipts import welcome_receipt

                self._slip_on_screen(welcome_receipt(member, answer.shares, amount, self.shop.settings),
                                     f"member-{member.number}")

            self.app.with_approval(Action.join_member, join)

        self.app.push_screen(JoinModal(), answered)

    def _slip_on_screen(self, receipt, name: str) -> None:
        """Print a member's slip; with the preview printer it shows in place of the empty basket, as
        a sale's receipt does."""
        self.app.print_other(receipt, name, peek=True)

    def action_member_money(self) -> None:
        """Money between the society and the member whose card was scanned, apart from the sale in
        the basket: shares bought, a withdrawal asked for or paid, a cash dividend, till credit."""
        if self.basket.member_number is None or not self.basket.member_card:
            self.say("Scan the member's card first (or a shift lead finds them with Ctrl+F).", error=True)
            return
        money = self.shop.membership.money(self._member_now())

        def chosen(choice: MoneyChoice | None) -> None:
            self.focus_entry()
            if choice is None:
                return
            match choice.action:
                case MoneyAction.buy_shares:
                    self._buy_shares()
                case MoneyAction.ask_to_withdraw:
                    self._ask_to_withdraw()
                case _:
                    self._pay_out(choice)

        self.app.push_screen(MemberMoneyModal(money), chosen)

    def _member_now(self):
        return self.shop.membership.register.by_number(self.basket.member_number)

    def _slip(self, title: str, what: str, pence: int, *, paid_out: bool) -> None:
        from pos.receipts import member_money_slip

        member = self._member_now()
        when = local(self.shop.till.now(), self.shop.settings.zone).strftime("%d/%m/%Y %H:%M")
        self.app.print_other(member_money_slip(title, member.number, member.name, what, pence, self.shop.settings,
                                               paid_out=paid_out, when=when), f"member-money-{member.number}")

    def _buy_shares(self) -> None:
        from pos.tui.modals.form import FormField, FormModal

        membership = self.shop.membership

        def save(answers: dict[str, str]) -> None:
            shares = int(answers["shares"] or 0)
            pence = membership.buy_shares(self._member_now(), shares, operator_id=self.volunteer.id)
            self.say(f"Take {format_pence(pence)} for {shares} shares into the drawer. Share money is not a sale.")
            self._slip("COMMUNITY SHARES", f"{shares} shares", pence, paid_out=False)

        self.app.push_screen(FormModal(
            f"More shares for {self.basket.member_number} ({format_pence(membership.rules.share_value_pence)} each)",
            [FormField("shares", "How many shares", restrict=r"[0-9]*")], save), lambda _: self.focus_entry())

    def _ask_to_withdraw(self) -> None:
        from pos.tui.modals.form import FormField, FormModal

        membership = self.shop.membership

        def save(answers: dict[str, str]) -> None:
            request = membership.request_withdrawal(self._member_now(), int(answers["shares"] or 0),
                                                    operator_id=self.volunteer.id)
            self.say(f"Asked to withdraw {request.shares} shares (request {request.id}). The notice ends "
                     f"{request.notice_ends:%d/%m/%Y}; then the board decides. Nothing is paid today.")

        self.app.push_screen(FormModal(f"Withdraw shares for {self.basket.member_number}",
                                       [FormField("shares", "How many shares", restrict=r"[0-9]*")], save),
                             lambda _: self.focus_entry())

    def _pay_out(self, choice: MoneyChoice) -> None:
        """Money (or credit) from the society to the member: a shift lead approves it."""
        membership = self.shop.membership

        def pay(approver: int | None) -> None:
            member = self._member_now()
            who = {"operator_id": self.volunteer.id, "approver_id": approver}
            with self.trying("Nothing was paid.") as attempt:
                match choice.action:
                    case MoneyAction.pay_withdrawal:
                        pence = membership.pay_withdrawal(choice.ref, **who)
                        title, label = "SHARES PAID BACK", "Withdrawal paid"
                    case MoneyAction.pay_out_credit:
                        pence = membership.pay_out_credit(member, **who)
                        title, label = "TILL CREDIT PAID OUT", "Credit paid in cash"
                    case MoneyAction.pay_dividend:
                        pence = membership.pay_dividend(choice.ref, **who, as_credit=False)
                        title, label = "DIVIDEND PAID", "Dividend paid in cash"
                    case MoneyAction.dividend_as_credit:
                        pence = membership.pay_dividend(choice.ref, **who, as_credit=True)
                        self.say(f"{format_pence(pence)} of dividend is now till credit for {member.number}.")
                        return
                    case _:
                        raise ValueError(f"{choice.action} pays nothing out")
            if attempt.failed:
                return
            self.say(f"Pay {format_pence(pence)} from the drawer to {member.number}; ask them to sign the slip.")
            self._slip(title, label, pence, paid_out=True)

        self.app.with_approval(Action.share_payout, pay)

    def action_my_shares(self) -> None:
        if self.basket.member_number is None or not self.basket.member_card:
            self.say("Scan the member's card first: it shows their own shares to them.", error=True)
            return
        membership = self.shop.membership
        statement = membership.statement(membership.register.by_number(self.basket.member_number))
        self.app.push_screen(MySharesModal(statement))

