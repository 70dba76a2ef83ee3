"""The till was closed (a Z report on the command line, or at another screen on the same file)
while someone was still selling: a shift lead opens it again with a float, and the sale goes on."""

from __future__ import annotations

from collections.abc import Callable

from pos.errors import USER_ERRORS
from pos.tui.modals.amount import AmountAnswer, AmountModal
from pos.tui.plain_errors import sentence
from volunteers.permissions import Action

CLOSED = "The till was closed with a Z report while this screen was open."


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

    app.push_screen(AmountModal(f"{CLOSED} {kept} To go on, a shift lead opens the till again: "
                                "how much is the float?", default="50.00"), given)
