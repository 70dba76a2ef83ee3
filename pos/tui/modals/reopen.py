"""The till was closed (a Z report on the command line, or at another screen on the same file)
while someone was still selling: a shift lead opens it again with a float, and the sale goes on."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from pos.errors import USER_ERRORS
from pos.tui.modals.amount import AmountAnswer, AmountModal
from pos.tui.plain_errors import sentence
from volunteers.permissions import Action


class ReopenModal(AmountModal):
    """The float, under a title that says why it is asked for now."""

    DEFAULT_CSS = "ReopenModal .detail { width: 100%; height: auto; padding-bottom: 1; }"

    def __init__(self, detail: str) -> None:
        super().__init__("The till was closed. Open it again with a float?", default="50.00")
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.detail, classes="detail", markup=False)
            yield Input(value=self.default, placeholder="e.g. 50.00", id="amount")
            yield Label("", id="amount-error", classes="error")


def offer_to_reopen(app, then: Callable[[], None], *, kept: str = "The basket is kept.") -> None:
    """Ask for a float (a volunteer needs a shift lead's PIN), open a new session, then `then()`.
    Esc leaves everything as it was, the basket and any money taken for it included."""
    if app.shop.till.current_session() is not None:  # someone opened it meanwhile
        then()
        return

    def given(answer: AmountAnswer | None) -> None:
        if answer is None:
            return

        def reopen(approver: int | None) -> None:
            try:
                if app.shop.till.current_session() is None:
                    app.shop.till.reopen_session(answer.pence, operator_id=app.volunteer.id, approver_id=approver)
            except USER_ERRORS as error:
                app.notify(sentence(error), severity="error")
                return
            then()

        app.with_approval(Action.reopen_till, reopen)

    app.push_screen(ReopenModal("A Z report closed it while this screen was open (on the command line, or at "
                                f"another screen). {kept} A shift lead opens it again: type the float and Enter, "
                                "or Esc for now."), given)
