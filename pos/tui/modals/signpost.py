"""Signposting: pick a service from the directory (type to filter; the ones used lately come
first) and Enter records it. No name is asked; only when the family wants to be contacted and
a member is attached is that member's number kept, with their consent. Then the service's
contact details (from the directory) are shown to pass on, and F4 prints them on a slip."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.signpost_slip import signpost_slip
from pos.tui.plain_errors import sentence
from pos.tui.widgets.arrows import arrows_move


class SignpostModal(ModalScreen[str | None]):
    """Returns what was recorded, to say on the till screen, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("f2", "family", "Family with under-5s"),
        Binding("f3", "contact", "Wants to be contacted"),
        Binding("f8", "undo", "Undo my last"),
        Binding("f4", "slip", "Print a slip"),
        Binding("enter", "enter", "Record / close", show=False),
    ]

    def __init__(self, basket: Basket, volunteer_id: int) -> None:
        super().__init__()
        self.basket = basket
        self.volunteer_id = volunteer_id
        self.family_under5 = basket.family_under5
        self.contact = False
        #: after recording: what to say on the till screen, and the service's ref
        self.recorded: str | None = None
        self.service_ref: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Signpost to a service: type to find it, Enter records it", classes="dialog-title")
            yield Input(placeholder="part of the service's name (or its organisation)", id="service-search")
            yield OptionList(id="service-results")
            yield Static("", id="signpost-contact", markup=False)
            yield Label("", id="signpost-flags")
            yield Static("F2 family with under-5s · F3 they want to be contacted (member attached)\n"
                         "F8 undo my last · Esc back", id="signpost-hint", classes="hint", markup=False)
            yield Label("", id="signpost-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#signpost-contact").display = False
        self.show_flags()
        self.fill("")
        self.query_one("#service-search", Input).focus()

    def fill(self, search: str) -> None:
        results = self.query_one("#service-results", OptionList)
        results.clear_options()
        for service in self.app.shop.signposting.choices(search)[:30]:
            by = f" ({service.organization_name})" if service.organization_name else ""
            results.add_option(Option(f"{service.name}{by}", id=str(service.ref)))
        if results.option_count:
            results.highlighted = 0
        elif not self.app.shop.signposting.directory.offered():
            self.fail("There are no services yet: a manager imports the area's directory "
                      "(till services import FILE).")

    def show_flags(self) -> None:
        flags = ["family with under-5s" if self.family_under5 else "no family mark"]
        if self.contact:
            flags.append(f"contact member {self.basket.member_number} (they agreed)")
        self.query_one("#signpost-flags", Label).update("This time: " + ", ".join(flags))

    def fail(self, message: str) -> None:
        self.app.bell()
        self.query_one("#signpost-error", Label).update(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_key(self, event) -> None:
        arrows_move(event, self.query_one("#service-results", OptionList))

    def action_family(self) -> None:
        if self.recorded:
            self.app.bell()
            return
        self.family_under5 = not self.family_under5
        self.show_flags()

    def action_contact(self) -> None:
        if self.recorded:
            self.app.bell()
            return
        if self.basket.member_number is None:
            self.fail("Only with a member's card scanned: otherwise no name or number is kept.")
            return
        self.contact = not self.contact
        self.show_flags()

    def action_undo(self) -> None:
        try:
            service = self.app.shop.signposting.undo_last(volunteer_id=self.volunteer_id)
        except USER_ERRORS as error:
            self.fail(sentence(error))
            return
        self.dismiss(f"Took back your last signposting ({service.name}).")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_enter()

    def action_enter(self) -> None:
        if self.recorded:
            self.dismiss(self.recorded)
        else:
            self.record()

    def record(self) -> None:
        option = self.query_one("#service-results", OptionList).highlighted_option
        if option is None:
            self.fail("No service matches; try fewer letters.")
            return
        try:
            signpost = self.app.shop.signposting.record(
                int(option.id), volunteer_id=self.volunteer_id, family_under5=self.family_under5,
                contact_member=self.basket.member_number if self.contact else None)
        except USER_ERRORS as error:
            self.fail(sentence(error))
            return
        self.recorded = f"Signposted to {signpost.service.name}. Thank you."
        self.service_ref = signpost.service.ref
        self.show_contact()

    def show_contact(self) -> None:
        """What to pass on: the directory's address, phone, opening times and link for the service."""
        contact = self.app.shop.signposting.directory.contact(self.service_ref)
        for widget in (self.query_one("#service-search", Input), self.query_one("#service-results", OptionList)):
            widget.display = False
            widget.disabled = True  # nor focused again when a preview closes over this
        self.query_one(".dialog-title", Label).update(f"{self.recorded} Tell them:")
        shown = self.query_one("#signpost-contact", Static)
        shown.update("\n".join(contact.lines()))
        shown.display = True
        self.query_one("#signpost-hint", Static).update("F4 print a slip for them · F8 undo it · Enter or Esc back")
        self.query_one("#signpost-error", Label).update("")
        self.set_focus(None)

    def action_slip(self) -> None:
        if not self.recorded:
            self.fail("Choose the service first (Enter), then F4 prints its details.")
            return
        receipt = signpost_slip(self.app.shop.signposting.directory.contact(self.service_ref),
                                self.app.shop.settings)
        if self.app.shop.practising:
            from pos.receipts import training_receipt

            receipt = training_receipt(receipt)
        self.query_one("#signpost-error", Label).update("Printing the slip…")
        self.print_slip(receipt, f"signpost-{self.service_ref}")

    @work(thread=True, exclusive=True, group="signpost-slip")
    def print_slip(self, receipt, name: str) -> None:
        try:
            result = self.app.shop.send_receipt(receipt, name)
        except USER_ERRORS as error:
            self.app.call_from_thread(self.fail, f"The slip was not printed: {sentence(error)}")
            return
        except Exception as error:  # noqa: BLE001 - a printer fault must never reach the volunteer as a crash
            self.app.call_from_thread(self.fail, f"The slip was not printed: the printer failed "
                                                 f"({type(error).__name__}).")
            return
        self.app.call_from_thread(self.slip_printed, result.text)

    def slip_printed(self, preview: str | None) -> None:
        self.query_one("#signpost-error", Label).update("The slip is printed.")
        if preview is not None:
            from pos.tui.modals.text_view import TextModal

            self.app.push_screen(TextModal("Slip (preview printer)", preview))

    def action_cancel(self) -> None:
        self.dismiss(self.recorded)
