"""The till screen: scan or type, see the basket and the total, take payment."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from core.clock import local
from core.money import MoneyError, format_pence, parse_pence
from inventory.products import Product, UnknownCode
from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.receipts import parse_sale_reference
from pos.tenders import TenderKind
from pos.till import Sale
from pos.tui.modals.amount import AmountAnswer, AmountModal
from pos.tui.modals.approval import ApprovalModal
from pos.tui.modals.find_member import FindMemberModal
from pos.tui.modals.join import JoinAnswer, JoinModal
from pos.tui.modals.my_shares import MySharesModal
from pos.tui.modals.owed_receipts import OwedReceiptsModal
from pos.tui.modals.pay import PayModal
from pos.tui.modals.pick import PickModal
from pos.tui.modals.refund import RefundModal
from pos.tui.modals.text_view import TextModal
from pos.tui.widgets.basket_view import BasketView
from pos.tui.widgets.keys_footer import KeysFooter
from pos.tui.widgets.message_line import MessageLine
from pos.tui.widgets.quick_keys import QuickKeys
from pos.tui.widgets.receipt_peek import ReceiptPeek
from pos.tui.widgets.total_panel import TotalPanel
from volunteers.permissions import Action, NeedsApproval

_QUANTITY = re.compile(r"^(\d{1,6})\s*[*xX]\s*(.+)$")
_MEMBER = re.compile(r"^(MEMBER:.+|M\d{4,})$", re.IGNORECASE)
#: A receipt's barcode, as the scanner types it: 'till-1/123' (see pos.receipts.sale_reference).
_RECEIPT = re.compile(r"^[^\s/*]+/\d+$")

KEYS_HELP = """\
Scan a barcode, or type a short code (T1) or part of a name, Enter.
Click a quick key or a search result to add it.

1-9, Enter   quick key on the menu row      PgUp / PgDn  other menus
3*T1, Enter  three of something             Up / Down    choose a line
+ / -        one more / one fewer of the chosen line
Delete       remove the chosen line

F1  These keys                F2  Pay
F3  Discount the line         F4  Eat in / take away
F5  Park the basket           F6  Resume a parked one
F7  Refund a sale             F8  Void the basket
F9  Reprint a receipt         F10 Reports and cash-up
F11 Open the drawer           F12 Sign out

Ctrl+O Paid out               Ctrl+P Change a line's price
Ctrl+B Discount the basket    Ctrl+D Round up for the fund
Ctrl+N New member joins       Ctrl+F Find a member by name
Ctrl+T Take the member off    Ctrl+E The member's shares
Ctrl+U Member money           Ctrl+W Receipts not printed
Ctrl+Y My volunteering        Ctrl+R Training mode on / off
Ctrl+G Pay a line forward     Ctrl+K Claim one paid forward
Ctrl+L Count people in        Ctrl+S Signpost to a service
Ctrl+Q Quit the program

F7 and F9: scan the receipt first to refund or reprint that sale
  (or type a sale number first for F9, or in the refund box for F7).
Ctrl+D: type an amount first to give that instead of rounding up.
Ctrl+L: also marks a family with under-5s, or a first visit.
Ctrl+R: practise on a copy; nothing done in training counts.
Ctrl+U: buy shares, ask to withdraw, pay out a withdrawal, a cash
  dividend or till credit (the member's card scanned first).
Ctrl+W: Enter prints the chosen receipt, F2 prints them all.
A member's card, or their number (M0001), gives member prices.
"""


class SellingScreen(Screen):
    # The footer has room for eight keys at 80 columns (one line, cut off past the edge): the
    # ones used in most sales, and sign-out. F1 lists every key, these included.
    BINDINGS = [
        Binding("f1", "help", "Keys"),
        Binding("f2", "pay", "Pay"),
        Binding("f3", "discount", "Discount"),
        Binding("f4", "eat_in", "Eat in"),
        Binding("f5", "park", "Park"),
        Binding("f6", "resume", "Resume"),
        Binding("f7", "refund", "Refund", show=False),
        Binding("f8", "void", "Void"),
        Binding("f9", "reprint", "Reprint", show=False),
        Binding("f10", "reports", "Reports", show=False),
        Binding("f11", "no_sale", "Drawer", show=False),
        Binding("f12", "sign_out", "Sign out"),
        Binding("ctrl+o", "paid_out", "Paid out", show=False),
        Binding("ctrl+p", "override_price", "Price", show=False),
        Binding("ctrl+b", "discount_basket", "Basket discount", show=False),
        Binding("ctrl+n", "join", "New member", show=False),
        Binding("ctrl+f", "find_member", "Find member", show=False),
        Binding("ctrl+t", "take_member_off", "Member off", show=False),
        # Priority: the entry box would otherwise take Ctrl+E as "go to the end of the line".
        Binding("ctrl+e", "my_shares", "Member's shares", show=False, priority=True),
        Binding("ctrl+y", "my_volunteering", "My volunteering", show=False),
        Binding("ctrl+u", "member_money", "Member money", show=False, priority=True),
        # Priority: the entry box would otherwise take Ctrl+D as "delete".
        Binding("ctrl+d", "donate", "Community fund", show=False, priority=True),
        Binding("ctrl+g", "pay_forward", "Pay it forward", show=False, priority=True),
        Binding("ctrl+k", "claim", "Claim one paid forward", show=False, priority=True),
        Binding("ctrl+r", "training", "Training mode", show=False, priority=True),
        Binding("ctrl+l", "tally", "Count in", show=False, priority=True),
        Binding("ctrl+s", "signpost", "Signpost", show=False, priority=True),
        # Priority: the entry box would otherwise take Ctrl+W as "delete a word".
        Binding("ctrl+w", "receipts_waiting", "Receipts waiting", show=False, priority=True),
        Binding("pageup", "menu(-1)", "Menu", show=False),
        Binding("pagedown", "menu(1)", "Menu", show=False),
        Binding("plus", "quantity(1)", "More", show=False, priority=True),
        Binding("minus", "quantity(-1)", "Fewer", show=False, priority=True),
        Binding("delete", "remove_line", "Remove", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.basket = Basket()
        #: The basket as last saved (JSON): saved again only when it changes.
        self._kept = Basket().model_dump_json()
        self._save_pending = False
        self.change_showing = False
        self._moved_in_results = False
        #: A receipt just scanned into the entry box, as (till id, sale number), for F9 or F7.
        self.receipt: tuple[str, int] | None = None

    @property
    def shop(self):
        return self.app.shop

    @property
    def volunteer(self):
        return self.app.volunteer

    def compose(self) -> ComposeResult:
        shop = self.shop
        if shop.practising:
            yield Label(f" TRAINING · practice only, nothing here counts · {self.volunteer.name}"
                        " · Ctrl+R to stop", id="title-bar", classes="training")
        else:
            yield Label(f" {shop.settings.society.name} · {shop.settings.till_id} · {self.volunteer.name}"
                        f" ({self.volunteer.role.label})", id="title-bar")
        yield Input(placeholder="Scan, or type a code or a name, then Enter", id="entry")
        with Horizontal(id="selling"):
            with Vertical(id="basket-area"):
                yield OptionList(id="results")
                yield BasketView(id="basket")
                yield ReceiptPeek(id="receipt-preview")
            yield TotalPanel(id="total-panel")
        yield QuickKeys(shop.catalogue.quick_keys(), id="quick-keys")
        yield MessageLine(id="message")
        yield KeysFooter()

    def on_mount(self) -> None:
        results = self.query_one("#results", OptionList)
        results.display = False
        # Clicking a result must not take the cursor from the entry box, or the next scan is lost.
        results.can_focus = False
        restored = self.shop.till.open_basket()
        if restored is not None and self.basket.is_empty:
            self.basket = restored
            self._kept = restored.model_dump_json()
        self.refresh_basket()
        self.show_pool()
        self.focus_entry()
        if restored is not None:
            self.say("The sale that was open when the till stopped is back: carry on, or void it (F8).")

    # Showing ---------------------------------------------------------------

    def focus_entry(self) -> None:
        self.query_one("#entry", Input).focus()

    def refresh_basket(self, select: int | None = None) -> None:
        if not self.basket.is_empty:
            self.hide_receipt()
        self.query_one(BasketView).show(self.basket, select=select)
        if not self.change_showing:
            self.query_one(TotalPanel).show(self.basket, paid_pence=sum(t.amount_pence for t in self.basket.taken))
        # Saved once the change is on screen: the disk's sync (slow on an SD card) must not hold
        # up the line appearing. It saves the basket as it is then, so a sale completed in
        # between can never be saved back as open.
        if not self._save_pending:
            self._save_pending = True
            self.call_after_refresh(self.keep_basket)

    def keep_basket(self) -> None:
        """Save the basket whenever it changes, so a crash loses at most the last keystroke."""
        self._save_pending = False
        if not self.is_attached or self.app.volunteer is None:
            return  # signed out meanwhile: sign-out and training saved the basket first
        now = self.basket.model_dump_json()
        if now == self._kept:
            return
        try:
            self.shop.till.keep_open_basket(self.basket, operator_id=self.volunteer.id)
        except USER_ERRORS as error:  # e.g. another till holding the file a moment: the basket is still here
            self.say(f"The basket could not be saved just now ({error}); it is still on screen.", error=True)
            return
        self._kept = now

    def say(self, text: str, *, error: bool = False) -> None:
        self.query_one(MessageLine).say(text, error=error)

    def _selected(self) -> int | None:
        table = self.query_one(BasketView)
        if not self.basket.lines:
            return None
        return min(table.cursor_row, len(self.basket.lines) - 1)

    def show_receipt(self, text: str) -> None:
        """The sale just made, as the preview printer saved it, in place of the empty basket."""
        if not self.basket.is_empty:  # it came after the next sale started: F9 still shows it
            return
        self.query_one(BasketView).display = False
        self.query_one(ReceiptPeek).show_receipt(text)

    def hide_receipt(self) -> None:
        peek = self.query_one(ReceiptPeek)
        if peek.display:
            peek.hide()
            self.query_one(BasketView).display = True

    def _start_new_sale_display(self) -> None:
        self.hide_receipt()
        if self.change_showing:
            self.change_showing = False
            self.query_one(TotalPanel).clear_change()

    # The entry box ------------------------------------------------------------

    def _results(self) -> OptionList:
        return self.query_one("#results", OptionList)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "entry":
            return
        text = event.value.strip()
        results = self._results()
        # Live results only for words: a scanner's digits must not pay for a search on every keystroke.
        if (len(text) < 2 or not any(ch.isalpha() for ch in text) or _QUANTITY.match(text)
                or _RECEIPT.match(text)):
            results.display = False
            return
        found = self.shop.catalogue.search(text, limit=8)
        results.clear_options()
        for product in found:
            results.add_option(Option(f"{product.name}  {format_pence(product.price_pence)}", id=str(product.id)))
        results.display = bool(found)
        self._moved_in_results = False
        if found:
            results.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "entry":
            return
        text = event.value.strip()
        event.input.value = ""
        results = self._results()
        picked = results.highlighted_option if results.display else None
        chose_result = self._moved_in_results
        results.display = False
        self._moved_in_results = False
        # Whatever comes next, a receipt scanned before it is no longer what F9 or F7 mean.
        self.receipt = None
        if not text:
            return
        if _RECEIPT.match(text):
            self.scanned_receipt(text)
            return
        quantity = 1
        match = _QUANTITY.match(text)
        if match:
            quantity, text = int(match[1]), match[2].strip()
        member = self.shop.membership.find(text) if _MEMBER.match(text) else None
        if member is not None:  # a scanned card or a typed number, whenever it comes in the sale
            self.attach_member(member, by_card=text.upper().startswith("MEMBER:"))
            return
        if text.upper().startswith("MEMBER:"):
            self.say("That card is not valid any more (it was replaced). Nothing changed.", error=True)
            return
        catalogue = self.shop.catalogue
        # A code that names a product wins over the name search, unless the volunteer moved
        # through the results to pick one.
        if picked is not None and (chose_result or catalogue.find(text) is None):
            self.add(lambda: catalogue.get(int(picked.id)), quantity)
            return
        if len(text) == 1 and text in "123456789":
            product = self.query_one(QuickKeys).pick(int(text))
            if product is None:
                self.say(f"There is no quick key {text} on this menu.", error=True)
            else:
                self.add(lambda: catalogue.get(product.id), quantity)
            return
        self.add(lambda: catalogue.lookup(text), quantity, code=text)

    def scanned_receipt(self, text: str) -> None:
        """A receipt's barcode: remember that sale for F9 (reprint) or F7 (refund)."""
        try:
            till_id, number = parse_sale_reference(text, self.shop.till.till_id)
            sale = self.shop.till.get_sale(number, till_id=till_id)
        except USER_ERRORS as error:
            self.say(f"{str(error).capitalize()}. Nothing was added.", error=True)
            return
        self.receipt = (sale.till_id, sale.sale_number)
        what = "refund" if sale.kind != "sale" else "sale"
        self.say(f"Receipt {text}: {what} of {format_pence(abs(sale.total_pence))}. "
                 "F9 reprints it, F7 refunds it.")

    def add(self, find, quantity: int = 1, *, code: str | None = None) -> None:
        """Find a product and add it; a refusal leaves the basket exactly as it was."""
        try:
            product: Product = find()
            index = self.basket.add(product, quantity)
        except UnknownCode:
            kind = "barcode" if code and code.isdigit() else "code"
            self.say(f"Unknown {kind} {code}: it is not in the catalogue. Nothing was added.", error=True)
            return
        except USER_ERRORS as error:
            self.say(f"{str(error).capitalize()}. Nothing was added.", error=True)
            return
        self._start_new_sale_display()
        self.refresh_basket(select=index)
        self.say(f"Added {product.name} {format_pence(product.price_pence)}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A live search result clicked: add it, as Enter on it would."""
        if event.option_list.id != "results":
            return
        event.stop()
        self.query_one("#entry", Input).value = ""
        self._results().display = False
        self._moved_in_results = False
        self.focus_entry()
        product_id = int(event.option.id)
        self.add(lambda: self.shop.catalogue.get(product_id))

    def on_quick_keys_chosen(self, event: QuickKeys.Chosen) -> None:
        self.add(lambda: self.shop.catalogue.get(event.product.id))
        self.focus_entry()

    # Basket keys -----------------------------------------------------------------

    def _entry_empty(self) -> bool:
        return not self.query_one("#entry", Input).value

    def _type(self, character: str) -> None:
        self.query_one("#entry", Input).insert_text_at_cursor(character)

    def action_quantity(self, step: int) -> None:
        if not self._entry_empty() or self.focused is not self.query_one("#entry", Input):
            self._type("+" if step > 0 else "-")
            return
        index = self._selected()
        if index is None:
            return
        line = self.basket.lines[index]
        if line.quantity + step < 1:
            self.say("Use Delete to remove the line.", error=True)
            return
        try:
            self.basket.set_quantity(index, line.quantity + step)
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
            return
        self.refresh_basket(select=index)

    def action_remove_line(self) -> None:
        if not self._entry_empty():
            self.query_one("#entry", Input).action_delete_right()
            return
        index = self._selected()
        if index is None:
            return
        if len(self.basket.lines) == 1 and self._holding_payments():  # an empty basket could be left with them
            return
        try:
            removed = self.basket.remove(index)
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
            return
        self.refresh_basket(select=index)
        self.say(f"Removed {removed.name}")

    def action_move(self, step: int) -> None:
        results = self._results()
        if results.display:
            (results.action_cursor_down if step > 0 else results.action_cursor_up)()
            self._moved_in_results = True
            return
        table = self.query_one(BasketView)
        (table.action_cursor_down if step > 0 else table.action_cursor_up)()

    def action_menu(self, step: int) -> None:
        self.query_one(QuickKeys).cycle(step)

    def action_eat_in(self) -> None:
        self.basket.eat_in = not self.basket.eat_in
        self.refresh_basket()
        self.say("Eating in" if self.basket.eat_in else "Taking away")

    # Money ---------------------------------------------------------------------

    def _taken_text(self) -> str:
        return " and ".join(f"{format_pence(t.amount_pence)} {t.kind.label.lower()}" for t in self.basket.taken)

    def _give_back(self) -> str:
        """What to hand back for the payments taken, when the basket will not be sold."""
        ways = {TenderKind.cash: "give back {} cash", TenderKind.card: "refund {} on the card terminal",
                TenderKind.healthy_start: "refund {} to the Healthy Start card on the terminal",
                TenderKind.voucher: "give back the {} voucher"}
        # Member and time credits are only taken from the balance when the sale is saved.
        steps = [ways[t.kind].format(format_pence(t.amount_pence)) for t in self.basket.taken if t.kind in ways]
        return f" Now {' and '.join(steps)}." if steps else ""

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
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
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
                try:
                    self.shop.till.override_price(self.basket, index, answer.pence, reason=answer.reason,
                                                  operator_id=self.volunteer.id, approver_id=approver)
                except USER_ERRORS as error:
                    self.say(str(error).capitalize(), error=True)
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
                try:
                    self.shop.till.paid_out(answer.pence, reason=answer.reason, operator_id=self.volunteer.id,
                                            approver_id=approver)
                except USER_ERRORS as error:
                    self.say(str(error).capitalize(), error=True)
                    return
                self.app.open_drawer()
                self.say(f"Paid out {format_pence(answer.pence)}: {answer.reason}")

            self.app.with_approval(Action.paid_out, pay_out)

        self.app.push_screen(AmountModal("Paid out of the drawer", reason="what for? (milk from the shop)"), given)

    def action_no_sale(self) -> None:
        def open_it(approver: int | None) -> None:
            try:
                self.shop.till.no_sale(operator_id=self.volunteer.id, approver_id=approver)
            except USER_ERRORS as error:
                self.say(str(error).capitalize(), error=True)
                return
            self.app.open_drawer()
            self.say("Drawer opened (no sale recorded).")

        self.app.with_approval(Action.no_sale, open_it)

    # Baskets aside ------------------------------------------------------------------

    def action_park(self) -> None:
        if self._holding_payments():  # a parked basket would leave the money it was paid with behind
            return
        try:
            self.shop.till.park(self.basket, operator_id=self.volunteer.id)
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
            return
        self.refresh_basket()
        self.say("Basket parked. F6 brings it back.")

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
            try:
                self.basket = self.shop.till.resume(parked_id)
            except USER_ERRORS as error:
                self.say(str(error).capitalize(), error=True)
                return
            self._start_new_sale_display()
            self.refresh_basket(select=0)
            self.say("Basket resumed.")

        parked = []
        for basket in self.shop.till.parked():
            when = local(basket.parked_at, self.shop.settings.zone).strftime("%H:%M")
            label = f" – {basket.label}" if basket.label else ""
            parked.append((basket.id, f"{when}  {len(basket.basket.lines)} lines  "
                                      f"{format_pence(basket.basket.total_pence)}{label}"))
        self.app.push_screen(PickModal("Parked baskets: pick one and press Enter", parked), chosen)

    def action_void(self) -> None:
        give_back = self._give_back()
        reason = "voided at the till" + (f" after {self._taken_text()} was taken" if self.basket.taken else "")
        try:
            self.shop.till.void(self.basket, operator_id=self.volunteer.id, reason=reason)
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
            return
        self.basket.taken = []
        self.refresh_basket()
        self.say(f"Basket voided (recorded for the cash-up).{give_back}", error=bool(give_back))

    def action_refund(self) -> None:
        def refunded(refund: Sale | None) -> None:
            self.focus_entry()
            if refund is None:
                return
            self.say(f"Refunded {format_pence(-refund.total_pence)} as sale {refund.sale_number}.")
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
        try:
            if typed:
                till_id, number = parse_sale_reference(typed, self.shop.till.till_id)
                sale = self.shop.till.get_sale(number, till_id=till_id)
            elif receipt:
                sale = self.shop.till.get_sale(receipt[1], till_id=receipt[0])
            else:
                sale = self.shop.till.last_sale()
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
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

    # Members ------------------------------------------------------------------------------

    def attach_member(self, member, *, by_card: bool = True) -> None:
        """A typed number gives member prices but shows no name and opens no statement: numbers
        run in order, so anyone could type one. The card is what proves the member is here."""
        try:
            self.shop.membership.attach(self.basket, member, card=by_card)
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
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
                try:
                    member = membership.join(answer.details, answer.shares, operator_id=self.volunteer.id,
                                             approver_id=approver)
                except USER_ERRORS as error:
                    self.say(f"{str(error).capitalize()}. Nobody was registered.", error=True)
                    return
                amount = answer.shares * membership.rules.share_value_pence
                self.say(f"Welcome {member.name}, member {member.number}: take {format_pence(amount)} "
                         "for the shares. Their card is printing.")
                from pos.receipts import welcome_receipt

                self.app.print_other(welcome_receipt(member, answer.shares, amount, self.shop.settings),
                                     f"member-{member.number}")
                if self.basket.is_empty or self.basket.member_number is None:
                    self.attach_member(member)

            self.app.with_approval(Action.join_member, join)

        self.app.push_screen(JoinModal(), answered)

    def action_member_money(self) -> None:
        """Money between the society and the member whose card was scanned, apart from the sale in
        the basket: shares bought, a withdrawal asked for or paid, a cash dividend, till credit."""
        if self.basket.member_number is None or not self.basket.member_card:
            self.say("Scan the member's card first (or a shift lead finds them with Ctrl+F).", error=True)
            return
        membership = self.shop.membership
        member = membership.register.by_number(self.basket.member_number)
        money = membership.money(member)
        choices: list[tuple[str, object]] = []
        if money.is_member:
            choices.append(("Buy more shares (cash into the drawer)", self._buy_shares))
            if money.shares:
                choices.append(("Ask to withdraw shares (the board decides after the notice)",
                                self._ask_to_withdraw))
        for request, label, pence in money.withdrawals_ready:
            choices.append((f"Pay back {label}: {format_pence(pence)}",
                            lambda r=request: self._pay_out("withdrawal", r)))
        for part, label, pence in money.dividend_owed:
            choices.append((f"Pay {label} in cash: {format_pence(pence)}", lambda p=part: self._pay_out("dividend", p)))
            choices.append((f"Give {label} as till credit instead: {format_pence(pence)}",
                            lambda p=part: self._pay_out("dividend_credit", p)))
        if money.credit_pence > 0:
            choices.append((f"Pay out till credit in cash: {format_pence(money.credit_pence)}",
                            lambda: self._pay_out("credit", 0)))
        waiting = "; ".join(money.withdrawals_waiting)
        title = (f"Member money: {money.number} {money.name}, {money.shares} shares, "
                 f"{format_pence(money.credit_pence)} credit" + (f". Waiting: {waiting}" if waiting else ""))

        def chosen(index: int | None) -> None:
            self.focus_entry()
            if index is not None:
                choices[index][1]()

        self.app.push_screen(PickModal(title, [(i, text) for i, (text, _) in enumerate(choices)]), chosen)

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

    def _pay_out(self, what: str, ref: int) -> None:
        membership = self.shop.membership

        def pay(approver: int | None) -> None:
            member = self._member_now()
            try:
                if what == "withdrawal":
                    pence = membership.pay_withdrawal(ref, operator_id=self.volunteer.id, approver_id=approver)
                    title, label = "SHARES PAID BACK", "Withdrawal paid"
                elif what == "credit":
                    pence = membership.pay_out_credit(member, operator_id=self.volunteer.id, approver_id=approver)
                    title, label = "TILL CREDIT PAID OUT", "Credit paid in cash"
                else:
                    as_credit = what == "dividend_credit"
                    pence = membership.pay_dividend(ref, operator_id=self.volunteer.id, approver_id=approver,
                                                    as_credit=as_credit)
                    if as_credit:
                        self.say(f"{format_pence(pence)} of dividend is now till credit for {member.number}.")
                        return
                    title, label = "DIVIDEND PAID", "Dividend paid in cash"
            except USER_ERRORS as error:
                self.say(f"{str(error).capitalize()}. Nothing was paid.", error=True)
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

    # Elsewhere ---------------------------------------------------------------------------

    def show_pool(self) -> None:
        """How many paid-forward items are waiting, under the total (refreshed after each sale)."""
        waiting = sum(count for _, _, count in self.shop.till.paid_forward())
        self.query_one(TotalPanel).show_pool(waiting)

    def action_pay_forward(self) -> None:
        index = self._selected()
        if index is None:
            self.say("Choose the line to pay forward.", error=True)
            return
        try:
            on = self.basket.pay_forward(index)
        except USER_ERRORS as error:
            self.say(str(error).capitalize(), error=True)
            return
        self.refresh_basket(select=index)
        line = self.basket.lines[index]
        self.say(f"{line.quantity} x {line.name} paid forward for someone else." if on
                 else f"{line.name} is no longer paid forward.")

    def action_claim(self) -> None:
        if not self.shop.till.paid_forward():
            self.say("Nothing paid forward is waiting just now.", error=True)
            return

        def chosen(product_id: int | None) -> None:
            self.focus_entry()
            if product_id is None:
                return
            product = self.shop.catalogue.get(product_id)
            index = self.basket.claim(product)
            self._start_new_sale_display()
            self.refresh_basket(select=index)
            self.say(f"{product.name}, paid forward by someone: free. F2 to finish.")

        waiting = [(product_id, f"{name}  ({count} waiting)")
                   for product_id, name, count in self.shop.till.paid_forward()]
        self.app.push_screen(PickModal("Paid forward and waiting: pick one, Enter", waiting), chosen)

    def action_donate(self) -> None:
        """Round the sale up for the community fund, or give the amount typed in the entry box."""
        entry = self.query_one("#entry", Input)
        typed = entry.value.strip()
        try:
            if typed:
                self.basket.donate(parse_pence(typed))
                entry.value = ""
            else:
                self.basket.round_up()
        except (MoneyError, *USER_ERRORS) as error:
            self.say(str(error).capitalize(), error=True)
            return
        self.refresh_basket()
        self.say(f"{format_pence(self.basket.donation_pence)} for the community fund: thank you!")

    def action_my_volunteering(self) -> None:
        self.app.push_screen(TextModal("My volunteering", self.shop.my_volunteering(self.volunteer)))

    def action_help(self) -> None:
        self.app.push_screen(TextModal("Keys at the till", KEYS_HELP))

    def action_reports(self) -> None:
        if not self.basket.is_empty:
            self.say("Finish, park or void the basket first.", error=True)
            return
        from pos.tui.screens.cash_up import CashUpScreen

        self.app.push_screen(CashUpScreen())

    def action_tally(self) -> None:
        from pos.tui.modals.tally import TallyModal

        self.app.push_screen(TallyModal(self.basket, self.volunteer.id), lambda _: self.refresh_basket())

    def action_signpost(self) -> None:
        from pos.tui.modals.signpost import SignpostModal

        def done(said: str | None) -> None:
            if said:
                self.say(said)
            self.focus_entry()

        self.app.push_screen(SignpostModal(self.basket, self.volunteer.id), done)

    def action_training(self) -> None:
        if not self.basket.is_empty:
            self.say("Finish, park or void the basket first.", error=True)
            return
        self.keep_basket()  # before the shop changes under this screen
        if self.shop.practising:
            self.app.leave_training()
        else:
            self.app.enter_training()

    def action_sign_out(self) -> None:
        if not self.basket.is_empty:
            self.say("Finish, park or void the basket before signing out.", error=True)
            return
        self.keep_basket()  # a save still waiting for the next frame: the emptied basket, now
        self.app.sign_out()
