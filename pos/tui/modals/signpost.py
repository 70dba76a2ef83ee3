"""Signposting: pick a service from the directory (type to filter; the ones used lately come
first) and Enter records it. No name is asked; only when the family wants to be contacted and
a member is attached is that member's number kept, with their consent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.tui.plain_errors import sentence
from pos.tui.widgets.arrows import arrows_move


class SignpostModal(ModalScreen[str | None]):
    """Returns what was recorded, to say on the till screen, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("f2", "family", "Family with under-5s"),
        Binding("f3", "contact", "Wants to be contacted"),
        Binding("f8", "undo", "Undo my last"),
    ]

    def __init__(self, basket: Basket, volunteer_id: int) -> None:
        super().__init__()
        self.basket = basket
        self.volunteer_id = volunteer_id
        self.family_under5 = basket.family_under5
        self.contact = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Signpost to a service: type to find it, Enter records it", classes="dialog-title")
            yield Input(placeholder="part of the service's name (or its organisation)", id="service-search")
            yield OptionList(id="service-results")
            yield Label("", id="signpost-flags")
            yield Static("F2 family with under-5s · F3 they want to be contacted (member attached)\n"
                         "F8 undo my last · Esc back", classes="hint", markup=False)
            yield Label("", id="signpost-error", classes="error")

    def on_mount(self) -> None:
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
        self.family_under5 = not self.family_under5
        self.show_flags()

    def action_contact(self) -> None:
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
        self.dismiss(f"Signposted to {signpost.service.name}. Thank you.")

    def action_cancel(self) -> None:
        self.dismiss(None)
