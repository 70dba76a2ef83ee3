"""Ask a shift lead or manager for their PIN on the spot; the volunteer stays signed in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from pos.errors import USER_ERRORS
from pos.tui.widgets.arrows import arrows_move
from volunteers.permissions import Action, may_approve


class ApprovalModal(ModalScreen[int | None]):
    """Returns the approver's volunteer id, or None if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, action: Action) -> None:
        super().__init__()
        self.action = action

    def compose(self) -> ComposeResult:
        shop = self.app.shop
        leads = [v for v in shop.volunteers.all() if may_approve(v.roles, self.action)]
        with Vertical(classes="dialog"):
            yield Label(f"{self.action.label.capitalize()} needs a shift lead or manager.", classes="dialog-title")
            yield OptionList(*[Option(f"{v.name} ({v.role.label})", id=str(v.id)) for v in leads], id="approvers")
            yield Input(placeholder="their PIN, then Enter", password=True, id="pin", restrict=r"[0-9]*", max_length=8)
            yield Label("", id="approval-error", classes="error")

    def on_mount(self) -> None:
        options = self.query_one("#approvers", OptionList)
        if options.option_count:
            options.highlighted = 0
        self.query_one("#pin", Input).focus()

    def on_key(self, event) -> None:
        arrows_move(event, self.query_one("#approvers", OptionList))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#approvers", OptionList)
        option = options.highlighted_option
        if option is None:
            return
        try:
            approver = self.app.shop.till.approve(int(option.id), event.value, self.action)
        except USER_ERRORS as error:
            self.app.bell()
            self.query_one("#approval-error", Label).update(str(error))
            event.input.value = ""
            return
        self.dismiss(approver)

    def action_cancel(self) -> None:
        self.dismiss(None)
