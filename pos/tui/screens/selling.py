"""The till screen: scan or type, see the basket and the total, take payment."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from core.money import MoneyError, format_pence, parse_pence
from inventory.products import Product, UnknownCode
from pos.basket import Basket
from pos.entry import MemberRef, QuickKey, ReceiptRef, parse_entry, wants_live_search
from pos.errors import USER_ERRORS
from pos.receipts import parse_sale_reference
from pos.tui import keys
from pos.tui.modals.pick import PickModal
from pos.tui.modals.text_view import TextModal
from pos.tui.plain_errors import saying_errors
from pos.tui.screens.selling_members import MemberKeys
from pos.tui.screens.selling_money import MoneyKeys
from pos.tui.widgets.basket_view import BasketView
from pos.tui.widgets.entry_box import EntryBox
from pos.tui.widgets.keys_footer import KeysFooter
from pos.tui.widgets.message_line import MessageLine
from pos.tui.widgets.quick_keys import QuickKeys
from pos.tui.widgets.receipt_peek import ReceiptPeek
from pos.tui.widgets.total_panel import TotalPanel

#: What F1 shows: made from the same table as the screen's keys (pos.tui.keys).
KEYS_HELP = keys.help_text()


class SellingScreen(MoneyKeys, MemberKeys, Screen):
    BINDINGS = keys.bindings()

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
            yield Label(self.title_text(), id="title-bar")
        yield EntryBox(placeholder="Scan, or type a code or a name, then Enter", id="entry")
        with Horizontal(id="selling"):
            with Vertical(id="basket-area"):
                yield OptionList(id="results")
                yield BasketView(id="basket")
                yield ReceiptPeek(id="receipt-preview")
            yield TotalPanel(id="total-panel")
        yield QuickKeys(shop.catalogue.quick_keys(), id="quick-keys")
        yield MessageLine(id="message")
        yield KeysFooter()

    def title_text(self) -> str:
        shop = self.shop
        hub = self.app.hub_words()
        return (f" {shop.settings.society.name} · {shop.settings.till_id} · {self.volunteer.name}"
                f" ({self.volunteer.role.label}){f' · {hub}' if hub else ''}")

    def show_title(self) -> None:
        if not self.shop.practising:
            self.query_one("#title-bar", Label).update(self.title_text())

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
        self.watch_session()
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
        # Handed to the saver once the change is on screen (the saver writes it from a thread of its
        # own: the disk's sync, slow on an SD card, never holds up the next scan). It hands the
        # basket as it is then, so a sale completed in between can never be saved back as open.
        if not self._save_pending:
            self._save_pending = True
            self.call_after_refresh(self.keep_basket)

    def keep_basket(self, *, at_once: bool = False) -> None:
        """Save the basket whenever it changes, so a crash loses at most the last keystroke: handed
        to the till's saver (pos.basket_saver), or on disk before this returns if `at_once`."""
        self._save_pending = False
        if not self.is_attached or self.app.volunteer is None:
            return  # signed out meanwhile: sign-out and training saved the basket first
        now = self.basket.model_dump_json()
        if now == self._kept:
            return
        till = self.shop.till
        try:
            if at_once:
                till.keep_open_basket(self.basket, operator_id=self.volunteer.id)
            elif failed := till.keep_open_basket_soon(self.basket, operator_id=self.volunteer.id):
                raise failed  # an earlier save: this one is on its way
        except USER_ERRORS as error:  # e.g. another till holding the file a moment: the basket is still here
            self.say(f"The basket could not be saved just now ({error}); it is still on screen.", error=True)
            return
        self._kept = now

    def say(self, text: str, *, error: bool = False) -> None:
        self.query_one(MessageLine).say(text, error=error)

    def fail(self, text: str) -> None:
        self.say(text, error=True)

    def trying(self, then: str = "", *, catch: tuple[type[BaseException], ...] = USER_ERRORS):
        """`with self.trying() as attempt:` a user error is said on the message line (see plain_errors)."""
        return saying_errors(self.fail, then=then, catch=catch)

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
        if not wants_live_search(text):
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
        entry = parse_entry(event.value)  # the box emptied itself already (pos.tui.widgets.entry_box)
        results = self._results()
        picked = results.highlighted_option if results.display else None
        chose_result = self._moved_in_results
        results.display = False
        self._moved_in_results = False
        # Whatever comes next, a receipt scanned before it is no longer what F9 or F7 mean.
        self.receipt = None
        if entry is None:
            return
        if isinstance(entry, ReceiptRef):
            self.scanned_receipt(entry.reference)
            return
        if isinstance(entry, MemberRef):
            member = self.shop.membership.find(entry.code)
            if member is not None:  # a scanned card or a typed number, whenever it comes in the sale
                self.attach_member(member, by_card=entry.by_card)
                return
            if entry.by_card:
                self.fail("That card is not valid any more (it was replaced). Nothing changed.")
                return
            # A number that finds no member may still be a product's code.
        code = str(entry.number) if isinstance(entry, QuickKey) else entry.code
        catalogue = self.shop.catalogue
        # A code that names a product wins over the name search, unless the volunteer moved
        # through the results to pick one.
        if picked is not None and (chose_result or catalogue.find(code) is None):
            self.add(lambda: catalogue.get(int(picked.id)), entry.quantity)
            return
        if isinstance(entry, QuickKey):
            product = self.query_one(QuickKeys).pick(entry.number)
            if product is None:
                self.fail(f"There is no quick key {entry.number} on this menu.")
            else:
                self.add(lambda: catalogue.get(product.id), entry.quantity)
            return
        self.add(None, entry.quantity, code=code)

    def scanned_receipt(self, text: str) -> None:
        """A receipt's barcode: remember that sale for F9 (reprint) or F7 (refund)."""
        with self.trying("Nothing was added.") as attempt:
            till_id, number = parse_sale_reference(text, self.shop.till.till_id)
            sale = self.shop.till.get_sale(number, till_id=till_id)
        if attempt.failed:
            return
        self.receipt = (sale.till_id, sale.sale_number)
        what = "refund" if sale.kind != "sale" else "sale"
        self.say(f"Receipt {text}: {what} of {format_pence(abs(sale.total_pence))}. "
                 "F9 reprints it, F7 refunds it.")

    def add(self, find, quantity: int = 1, *, code: str | None = None) -> None:
        """Find a product and add it (`find` None: the till reads `code`, a weighed item's label too); a
        refusal leaves the basket exactly as it was."""
        with self.trying("Nothing was added.") as attempt:
            try:
                if find is None:
                    product, index = self.shop.till.scan_line(self.basket, code, quantity)
                else:
                    product: Product = find()
                    index = self.basket.add(product, quantity)
            except UnknownCode:
                kind = "barcode" if code and code.isdigit() else "code"
                self.fail(f"Unknown {kind} {code}: it is not in the catalogue. Nothing was added.")
                return
        if attempt.failed:
            return
        self._start_new_sale_display()
        self.refresh_basket(select=index)
        line = self.basket.lines[index]
        if line.price_marked:
            self.say(f"Added {BasketView.described(line)} {format_pence(line.total_pence)}")
        else:
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

    async def on_entry_box_basket_key(self, message: EntryBox.BasketKey) -> None:
        """Up, Down, or +, - and Delete in an empty entry box: the basket's, in the order typed."""
        await self.run_action(message.action)

    def action_quantity(self, step: int) -> None:
        index = self._selected()
        if index is None:
            return
        line = self.basket.lines[index]
        if line.quantity + step < 1:
            self.say("Use Delete to remove the line.", error=True)
            return
        with self.trying() as attempt:
            self.basket.set_quantity(index, line.quantity + step)
        if attempt.failed:
            return
        self.refresh_basket(select=index)

    def action_remove_line(self) -> None:
        index = self._selected()
        if index is None:
            return
        if len(self.basket.lines) == 1 and self._holding_payments():  # an empty basket could be left with them
            return
        with self.trying() as attempt:
            removed = self.basket.remove(index)
        if attempt.failed:
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
        with self.trying() as attempt:
            on = self.basket.pay_forward(index)
        if attempt.failed:
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
        with self.trying(catch=(MoneyError, *USER_ERRORS)) as attempt:
            if typed:
                self.basket.donate(parse_pence(typed))
                entry.value = ""
            else:
                self.basket.round_up()
        if attempt.failed:
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

    def action_shop_floor(self) -> None:
        if not self.basket.is_empty:
            self.say("Finish, park or void the basket first.", error=True)
            return
        from pos.tui.screens.shop_floor import ShopFloorScreen

        self.app.push_screen(ShopFloorScreen())

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
        self.keep_basket(at_once=True)  # before the shop changes under this screen
        if self.shop.practising:
            self.app.leave_training()
        else:
            self.app.enter_training()

    def action_sign_out(self) -> None:
        if not self.basket.is_empty:
            self.say("Finish, park or void the basket before signing out.", error=True)
            return
        self.keep_basket(at_once=True)  # a save still waiting for the next frame: the emptied basket, now
        self.app.sign_out()
