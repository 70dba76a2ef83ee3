"""Reports and cash-up: the X report, then a blind count of the drawer, then the Z report."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from pos.errors import USER_ERRORS
from pos.report_text import render_report
from pos.tui.modals.amount import AmountAnswer, AmountModal
from pos.tui.plain_errors import sentence
from pos.tui.widgets.keys_footer import KeysFooter
from pos.tui.widgets.message_line import MessageLine
from volunteers.permissions import Action, may

INTRO = """\
F2  X report: what the till has taken so far (the till stays open).
F3  Cash-up: count the drawer first, then see the Z report.
    You count before seeing what is expected, so the count is honest.
    The Z report closes the till for the day and needs a shift lead.
F4  Volunteers: add, edit, new PIN, has left (managers).
F5  Rota: who is on this week, the gaps; offer to cover one.
F6  Footfall and engagement: visits, families, signposting (shift leads).
Esc Back to selling.
"""


class CashUpScreen(Screen):
    BINDINGS = [
        Binding("f2", "x_report", "X report"),
        Binding("f3", "count", "Cash-up (Z)"),
        Binding("f4", "team", "Volunteers"),
        Binding("f5", "rota", "Rota"),
        Binding("f6", "reach", "Footfall"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, *, stale_since: str | None = None) -> None:
        super().__init__()
        self.closed = False
        self.stale_since = stale_since

    def compose(self) -> ComposeResult:
        yield Label(" Reports and cash-up", id="title-bar")
        with VerticalScroll(id="report-scroll"):
            yield Static(INTRO, id="report", markup=False, classes="mono")
        yield MessageLine(id="message")
        yield KeysFooter()

    def on_mount(self) -> None:
        # What was said on signing in (certificates, the rota's gaps) would sit over the figures.
        self.app.clear_notifications()
        if self.stale_since:
            self.say(f"The till is still open from {self.stale_since}. Please count the drawer and do the "
                     "Z report (F3) before selling today.", error=True)
        elif may(self.app.volunteer.roles, Action.z_report) and (warning := self.app.hub_z_warning()):
            self.say(warning, error=True)

    @property
    def shop(self):
        return self.app.shop

    def say(self, text: str, *, error: bool = False) -> None:
        self.query_one(MessageLine).say(text, error=error)

    def action_x_report(self) -> None:
        if self.closed:
            return
        report = self.shop.current_report()
        if report is None:
            self.say("The till is not open.", error=True)
            return
        # The count stays blind: only someone who may close the till sees what it expects.
        blind = not may(self.app.volunteer.roles, Action.z_report)
        self.query_one("#report", Static).update(
            render_report(report, shop_name=self.shop.settings.society.name, blind=blind,
                          notes=self.shop.report_notes(report)))

    def action_count(self) -> None:
        if self.closed:
            return

        def counted(answer: AmountAnswer | None) -> None:
            if answer is not None:
                self.app.with_approval(Action.z_report, lambda approver: self.close_till(answer.pence, approver))

        self.app.push_screen(AmountModal("Count all the cash in the drawer, float included, and type the total"),
                             counted)

    def close_till(self, counted_pence: int, approver: int | None) -> None:
        try:
            session = self.shop.till.close_session(counted_pence, operator_id=self.app.volunteer.id,
                                                   approver_id=approver)
        except USER_ERRORS as error:
            self.say(sentence(error), error=True)
            return
        self.closed = True
        report = self.shop.report_for(session.id)
        self.query_one("#report", Static).update(render_report(report, shop_name=self.shop.settings.society.name,
                                                               notes=self.shop.report_notes(report)))
        self.say("The till is closed. Esc signs you out; the next person opens it with a float.")
        self.app.after_z()

    def action_team(self) -> None:
        from pos.tui.screens.team import TeamScreen

        self.app.with_approval(Action.manage_volunteers, lambda approver: self.app.push_screen(TeamScreen(approver)))

    def action_rota(self) -> None:
        from pos.tui.screens.rota import RotaScreen

        self.app.push_screen(RotaScreen())

    def action_reach(self) -> None:
        from pos.tui.screens.reach import ReachScreen

        self.app.with_approval(Action.view_reports, lambda _: self.app.push_screen(ReachScreen()))

    def action_back(self) -> None:
        self.app.pop_screen()
        if self.closed or self.stale_since:
            self.app.sign_out()
