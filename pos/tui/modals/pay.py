"""Taking payment: cash with quick amounts, card, Healthy Start card, voucher, or a mix."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from core.money import MoneyError, format_pence, parse_pence
from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.tenders import Tender, TenderKind
from pos.till import NotOpen, Sale
from pos.tui.plain_errors import sentence


class PayModal(ModalScreen[Sale | None]):
    """Completes the sale through the core once the tenders cover the total; returns the Sale."""

    BINDINGS = [
        Binding("f2", "cash_exact", "Exact cash"),
        Binding("f3", "cash(500)", "£5"),
        Binding("f4", "cash(1000)", "£10"),
        Binding("f5", "cash(2000)", "£20"),
        Binding("f6", "card", "Card"),
        Binding("f7", "healthy_start", "Healthy Start"),
        Binding("f8", "voucher", "Voucher"),
        Binding("f9", "member_credit", "Member credit"),
        Binding("f10", "time_credits", "Time credits", show=False),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, basket: Basket, operator_id: int, *, taken: list[Tender] | None = None) -> None:
        super().__init__()
        self.basket = basket
        self.operator_id = operator_id
        #: What has been paid so far, starting with what was taken before the volunteer went
        #: back to the basket; the selling screen keeps it when this dialog is left with Esc.
        self.tenders: list[Tender] = list(taken or [])

    @property
    def total(self) -> int:
        return self.basket.total_pence

    @property
    def paid(self) -> int:
        return sum(t.amount_pence for t in self.tenders)

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.paid)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Payment", classes="dialog-title")
            yield Static(id="pay-summary")
            yield Input(placeholder="amount handed over, then Enter for cash (empty = exact)", id="tendered")
            yield Label("Nothing to pay: press Enter to record the sale." if not self.total else "",
                        classes="hint")
            with Grid(id="pay-buttons"):
                yield Button("Exact cash F2", id="exact", variant="success")
                yield Button("£5 F3", id="cash-500")
                yield Button("£10 F4", id="cash-1000")
                yield Button("£20 F5", id="cash-2000")
                yield Button("Card F6", id="card", variant="primary")
                yield Button("Healthy Start F7", id="healthy-start")
                yield Button("Voucher F8", id="voucher")
                yield Button("Credit F9", id="member-credit")
                if self.app.shop.till.time_credits.accepted:
                    yield Button("Time credits F10", id="time-credits")
                yield Button("Back Esc", id="back", variant="error")
            yield Label("", id="pay-error", classes="error")

    def on_mount(self) -> None:
        self.refresh_summary()
        self.query_one("#tendered", Input).focus()

    def refresh_summary(self) -> None:
        lines = [f"Total to pay   {format_pence(self.total):>10}"]
        for tender in self.tenders:
            lines.append(f"  {tender.kind.label:<12} {format_pence(tender.amount_pence):>10}"
                         + (f" ({tender.credits} credit{'s' if tender.credits != 1 else ''})"
                            if tender.credits else ""))
        lines.append(f"Still to pay   {format_pence(self.remaining):>10}")
        eligible = self.basket.healthy_start_pence
        if eligible:
            lines.append(f"Healthy Start can pay for {format_pence(eligible)} of this (no change on it)")
        self.query_one("#pay-summary", Static).update("\n".join(lines))

    def _typed(self) -> int | None:
        field = self.query_one("#tendered", Input)
        text = field.value.strip()
        if not text:
            return None
        return parse_pence(text)

    def _fail(self, message: str) -> None:
        self.app.bell()
        self.query_one("#pay-error", Label).update(message)

    def _keep_taken(self) -> None:
        """Money taken goes on disk with the open basket at once: if the till stops now, the card
        payment already on the terminal comes back with the basket."""
        self.basket.taken = list(self.tenders)
        try:
            self.app.shop.till.keep_open_basket(self.basket, operator_id=self.operator_id)
        except USER_ERRORS as error:  # the payment is still here on screen
            self._fail(f"The payment could not be saved just now ({error}); it is still counted here.")

    def _add(self, kind: TenderKind, amount: int) -> None:
        if amount <= 0:
            self._fail("That would pay nothing.")
            return
        if kind != TenderKind.cash and amount > self.remaining:
            self._fail(f"{kind.label} can pay at most {format_pence(self.remaining)}; only cash gives change.")
            return
        self.tenders.append(Tender(kind=kind, amount_pence=amount))
        self._keep_taken()
        self.query_one("#tendered", Input).value = ""
        self.query_one("#pay-error", Label).update("")
        if self.paid >= self.total:
            self._complete()
        else:
            self.refresh_summary()

    def _complete(self) -> None:
        try:
            sale = self.app.shop.till.complete_sale(self.basket, self.tenders, operator_id=self.operator_id)
        except NotOpen:
            # Closed under this screen (a Z on the command line): the money in hand is not stranded.
            from pos.tui.modals.reopen import offer_to_reopen

            self.refresh_summary()
            self._fail("The till was closed (a Z report). The payments are kept: Enter opens it again.")
            offer_to_reopen(self.app, self._complete, kept="The payments taken are kept.")
            return
        except USER_ERRORS as error:
            # Keep what was taken: a card the terminal approved must not be charged twice.
            self.refresh_summary()
            self._fail(f"The sale was not saved: {error}. The payments above are kept; "
                       "press Enter to try again, or Esc to go back.")
            return
        self.dismiss(sale)

    def _with_typed(self, kind: TenderKind, default: int) -> None:
        try:
            typed = self._typed()
        except MoneyError as error:
            self._fail(sentence(error))
            return
        self._add(kind, default if typed is None else typed)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.paid >= self.total:  # nothing (left) to pay: record the sale
            self._complete()
            return
        self._with_typed(TenderKind.cash, self.remaining)

    def action_cash_exact(self) -> None:
        if self.paid >= self.total:
            self._complete()
            return
        self._add(TenderKind.cash, self.remaining)

    def action_cash(self, pence: int) -> None:
        self._add(TenderKind.cash, pence)

    def action_card(self) -> None:
        self._with_typed(TenderKind.card, self.remaining)

    def action_healthy_start(self) -> None:
        already = sum(t.amount_pence for t in self.tenders if t.kind == TenderKind.healthy_start)
        self._with_typed(TenderKind.healthy_start, min(self.remaining, self.basket.healthy_start_pence - already))

    def action_voucher(self) -> None:
        self._with_typed(TenderKind.voucher, self.remaining)

    def action_member_credit(self) -> None:
        """The member's till credit (their dividend): only with their card scanned."""
        if self.basket.member_number is None or not self.basket.member_card:
            self._fail("Scan the member's card first to use their credit: a typed number is not enough.")
            return
        membership = self.app.shop.membership
        member = membership.register.by_number(self.basket.member_number)
        used = sum(t.amount_pence for t in self.tenders if t.kind == TenderKind.member_credit)
        balance = self.app.shop.till.member_credit(member.id) - used
        if balance <= 0:
            self._fail("This member has no till credit.")
            return
        self._with_typed(TenderKind.member_credit, min(self.remaining, balance))

    def action_time_credits(self) -> None:
        """A volunteer's own time credits, for the set items, with their PIN."""
        from pos.tui.modals.time_credits import TimeCreditsModal

        if not self.app.shop.till.time_credits.accepted:
            self._fail("This shop does not take time credits.")
            return
        if any(t.kind == TenderKind.time_credits for t in self.tenders):
            self._fail("Time credits are already paying for this sale.")
            return

        def paid(tender: Tender | None) -> None:
            if tender is not None:
                if tender.amount_pence > self.remaining:
                    self._fail(f"Those credits cover {format_pence(tender.amount_pence)}, more than is left "
                               "to pay; use credits first.")
                    return
                self.tenders.append(tender)
                self._keep_taken()
                self.query_one("#pay-error", Label).update("")
                if self.paid >= self.total:
                    self._complete()
                else:
                    self.refresh_summary()

        self.app.push_screen(TimeCreditsModal(self.basket), paid)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "exact": self.action_cash_exact, "card": self.action_card, "healthy-start": self.action_healthy_start,
            "voucher": self.action_voucher, "back": self.action_cancel,
            "member-credit": self.action_member_credit, "time-credits": self.action_time_credits,
        }
        if event.button.id.startswith("cash-"):
            self.action_cash(int(event.button.id.removeprefix("cash-")))
        else:
            actions[event.button.id]()
