"""The rota: this week's planned shifts, who is on, and the gaps. Anyone can offer to cover a
gap or say they cannot come; shift leads and managers plan the slots and who is on them."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from core.clock import monday_of
from core.errors import TillError
from pos.errors import USER_ERRORS
from pos.tui.modals.form import FormField, FormModal
from pos.tui.widgets.keys_footer import KeysFooter
from pos.tui.widgets.message_line import MessageLine
from volunteers.permissions import Action
from volunteers.rota import DAYS, PlannedShift, Rota


class RotaScreen(Screen):
    BINDINGS = [
        Binding("c", "cover", "I'll do it"),
        Binding("a", "away", "I can't come"),
        Binding("n", "new_slot", "New shift"),
        Binding("o", "put_on", "Put someone on"),
        Binding("x", "end_slot", "End shift", show=False),
        # Priority: the list would take PgUp/PgDn to scroll a page.
        Binding("pagedown,right", "week(1)", "Next week", priority=True, key_display="PgDn"),
        Binding("pageup,left", "week(-1)", "Last week", show=False, priority=True, key_display="PgUp"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.monday = None
        self.shown: list[PlannedShift] = []

    @property
    def rota(self) -> Rota:
        return Rota(self.app.shop.till)

    def compose(self) -> ComposeResult:
        yield Label(" Rota", id="title-bar")
        yield OptionList(id="rota-list")
        yield MessageLine(id="message")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.monday = monday_of(self.app.shop.today())
        self.refresh_week()
        self.query_one("#rota-list", OptionList).focus()

    def refresh_week(self) -> None:
        self.shown = self.rota.week(self.monday)
        listing = self.query_one("#rota-list", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(p.describe()) for p in self.shown])
        if self.shown:
            listing.highlighted = min(keep or 0, len(self.shown) - 1)
        gaps = sum(p.gap for p in self.shown)
        title = f" Rota: week of {self.monday:%A %d %B}"
        if not self.shown:
            title += " · no shifts planned yet (N to add one)"
        elif gaps:
            title += f" · {gaps} place{'s' if gaps != 1 else ''} to fill"
        self.query_one("#title-bar", Label).update(title)

    def say(self, text: str, *, error: bool = False) -> None:
        self.query_one(MessageLine).say(text, error=error)

    def chosen(self) -> PlannedShift | None:
        index = self.query_one("#rota-list", OptionList).highlighted
        if index is None or not self.shown:
            self.say("There is no planned shift to choose this week.", error=True)
            return None
        return self.shown[index]

    def _try(self, do, done: str) -> None:
        try:
            do()
        except USER_ERRORS as error:
            self.say(str(error)[:1].upper() + str(error)[1:], error=True)
            return
        self.refresh_week()
        self.say(done)

    def action_week(self, step: int) -> None:
        self.monday += timedelta(weeks=step)
        self.refresh_week()

    def action_cover(self) -> None:
        shift = self.chosen()
        if shift is not None:
            me = self.app.volunteer
            self._try(lambda: self.rota.cover(shift.slot.id, shift.on, volunteer_id=me.id),
                      f"Thank you, {me.name.split()[0]}: you are on {shift.on:%A %d %B}.")

    def action_away(self) -> None:
        shift = self.chosen()
        if shift is not None:
            me = self.app.volunteer
            self._try(lambda: self.rota.away(shift.slot.id, shift.on, volunteer_id=me.id),
                      f"Noted: you are off {shift.on:%A %d %B}. The shift leads will see the gap.")

    def action_new_slot(self) -> None:
        def plan(approver: int | None) -> None:
            def save(answers: dict[str, str]) -> None:
                needed = answers["needed"]
                if not (needed.isascii() and needed.isdigit()):
                    raise TillError("say how many people it needs, as a number")
                self.rota.add_slot(int(answers["day"]), answers["starts"], answers["ends"], needed=int(needed),
                                   label=answers["label"], operator_id=self.app.volunteer.id, approver_id=approver)

            self.app.push_screen(FormModal("A new shift, every week", [
                FormField("day", "Day", choices=[(d, str(n)) for n, d in enumerate(DAYS)]),
                FormField("starts", "Starts (e.g. 09:00)"),
                FormField("ends", "Ends (e.g. 13:00)"),
                FormField("needed", "People needed", "2", restrict=r"[0-9]*"),
                FormField("label", "What (café, shop, set-up …)", "Café"),
            ], save), lambda saved: saved and (self.refresh_week() or self.say("Shift added to every week.")))

        self.app.with_approval(Action.manage_rota, plan)

    def action_put_on(self) -> None:
        shift = self.chosen()
        if shift is None:
            return

        def plan(approver: int | None) -> None:
            people = [(v.name, str(v.id)) for v in self.app.shop.volunteers.all() if v.role.sells]

            def save(answers: dict[str, str]) -> None:
                week_of = None if answers["when"] == "every" else shift.on
                self.rota.put_on(shift.slot.id, int(answers["who"]), week_of=week_of,
                                 operator_id=self.app.volunteer.id, approver_id=approver)

            self.app.push_screen(FormModal(f"Who is on {shift.slot.day} {shift.slot.starts}?", [
                FormField("who", "Volunteer", choices=people),
                FormField("when", "When", choices=[(f"{shift.on:%d %B} only", "once"), ("Every week", "every")]),
            ], save), lambda saved: saved and (self.refresh_week() or self.say("Done.")))

        self.app.with_approval(Action.manage_rota, plan)

    def action_end_slot(self) -> None:
        shift = self.chosen()
        if shift is None:
            return

        def plan(approver: int | None) -> None:
            def save(answers: dict[str, str]) -> None:
                if answers["confirm"].casefold() != "yes":
                    raise TillError("type yes to end it, or Esc to keep it")
                self.rota.end_slot(shift.slot.id, operator_id=self.app.volunteer.id, approver_id=approver)

            self.app.push_screen(FormModal(f"End {shift.slot.day} {shift.slot.starts} {shift.slot.label}?", [
                FormField("confirm", "Type yes: it comes off every week from now"),
            ], save), lambda saved: saved and (self.refresh_week() or self.say("That shift is off the rota.")))

        self.app.with_approval(Action.manage_rota, plan)

    def action_back(self) -> None:
        self.app.pop_screen()
