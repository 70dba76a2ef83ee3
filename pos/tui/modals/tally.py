"""The tally pad: count people who come in without buying, one key a person, with an undo;
and mark this visit as a family with under-5s or a first visit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from centre.footfall import Person
from core.errors import TillError
from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.tui.plain_errors import sentence

HELP = """\
Each key counts one person at once:
1 an adult · 2 a child (5 and over) · 3 an under-5
F a family with under-5s · N a first visit
  (on this sale if the basket has items, else on the last person counted)
Backspace undoes the last person counted · Enter or Esc: back to selling"""


class TallyModal(ModalScreen[None]):
    BINDINGS = [
        Binding("1", "tap('adult')", "Adult"),
        Binding("2", "tap('child')", "Child"),
        Binding("3", "tap('under5')", "Under-5"),
        Binding("f", "mark('family')", "Family with under-5s"),
        Binding("n", "mark('first')", "First visit"),
        Binding("backspace", "undo", "Undo"),
        Binding("escape,enter", "close", "Done"),
    ]

    def __init__(self, basket: Basket, volunteer_id: int) -> None:
        super().__init__()
        self.basket = basket
        self.volunteer_id = volunteer_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Who came in?", classes="dialog-title")
            yield Static(HELP, markup=False)
            yield Static("", id="tally-today", markup=False)
            yield Label("", id="tally-said")

    def on_mount(self) -> None:
        self.show_today()

    @property
    def footfall(self):
        return self.app.shop.footfall

    def show_today(self) -> None:
        today = self.footfall.today()
        self.query_one("#tally-today", Static).update(
            f"Today at this till: {today['visits']} sales; in without buying {today['adult']} adults, "
            f"{today['child']} children, {today['under5']} under-5s")

    def say(self, text: str, *, error: bool = False) -> None:
        if error:
            self.app.bell()
        self.query_one("#tally-said", Label).update(text)

    def action_tap(self, kind: str) -> None:
        try:
            tally = self.footfall.tap(Person(kind), volunteer_id=self.volunteer_id)
        except USER_ERRORS as error:
            self.say(str(error), error=True)
            return
        self.say(f"Counted one {tally.kind.label}.")
        self.show_today()

    def action_mark(self, which: str) -> None:
        if not self.basket.is_empty:
            if which == "family":
                self.basket.family_under5 = not self.basket.family_under5
                on = self.basket.family_under5
            else:
                self.basket.first_visit = not self.basket.first_visit
                on = self.basket.first_visit
            what = "a family with under-5s" if which == "family" else "a first visit"
            self.say(f"This sale is {what}." if on else f"This sale is no longer marked as {what}.")
            return
        try:
            last = self.footfall.last()
            if last is None:
                raise TillError("there is no sale in the basket and no one counted today to mark; "
                                "count someone first")
            tally = self.footfall.mark_last(
                family_under5=(not last.family_under5) if which == "family" else None,
                first_visit=(not last.first_visit) if which == "first" else None)
        except USER_ERRORS as error:
            self.say(sentence(error), error=True)
            return
        marks = [m for m, on in (("family with under-5s", tally.family_under5), ("first visit", tally.first_visit))
                 if on]
        self.say(f"The last {tally.kind.label}: {', '.join(marks) or 'no marks'}.")

    def action_undo(self) -> None:
        try:
            undone = self.footfall.undo_last()
        except USER_ERRORS as error:
            self.say(sentence(error), error=True)
            return
        self.say(f"Took back one {undone.kind.label}.")
        self.show_today()

    def action_close(self) -> None:
        self.dismiss(None)

