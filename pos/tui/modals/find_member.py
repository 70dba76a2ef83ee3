"""Find a member by name or number (shift leads and managers: names are personal data)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from pos.tui.widgets.arrows import arrows_move


class FindMemberModal(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, operator_id: int, approver_id: int | None) -> None:
        super().__init__()
        self.operator_id = operator_id
        self.approver_id = approver_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Find a member: type part of a name or the number", classes="dialog-title")
            yield Input(id="member-search")
            yield OptionList(id="member-results")

    def on_mount(self) -> None:
        self.query_one("#member-search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        results = self.query_one("#member-results", OptionList)
        results.clear_options()
        for member in self.app.shop.membership.search(event.value, operator_id=self.operator_id,
                                                      approver_id=self.approver_id):
            results.add_option(Option(f"{member.number}  {member.name}", id=str(member.id)))
        if results.option_count:
            results.highlighted = 0

    def on_key(self, event) -> None:
        arrows_move(event, self.query_one("#member-results", OptionList))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        option = self.query_one("#member-results", OptionList).highlighted_option
        if option is None:
            self.app.bell()
            return
        self.dismiss(int(option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
