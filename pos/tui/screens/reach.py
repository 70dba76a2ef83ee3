"""Reports: footfall, families, signposting, members, volunteer hours and share capital for a
period, with charts. For shift leads, managers and the children's centre's staff; the centre's
staff see only whole weeks and months that have ended, each figure as released to the centre (what
they see is recorded as released, like an export). F2 exports an ended week or month for the centre
(CSV, JSON and HTML) to a folder."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Select, Static

from centre.export import prepare
from centre.figures import gather, society_figures
from centre.report_text import PERIODS, RELEASED, period, reach_text, step
from pos.tui.plain_errors import saying_errors
from pos.tui.widgets.keys_footer import KeysFooter
from volunteers.permissions import Action, under_control


class ReachScreen(Screen):
    BINDINGS = [
        Binding("f2", "export", "Export"),
        Binding("pageup", "step(-1)", "Earlier", priority=True),
        Binding("pagedown", "step(1)", "Later", priority=True),
        # One of the two, as the footer should say: centre staff came only for this screen.
        Binding("escape", "back", "Back"),
        Binding("escape", "sign_out", "Sign out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.first = self.last = None

    def compose(self) -> ComposeResult:
        yield Label(" Reports: footfall and engagement", id="title-bar")
        yield Select(RELEASED if self.controlled else PERIODS, value=self.preset, allow_blank=False, id="period")
        yield Static("", id="reach-said", markup=False)
        with VerticalScroll(id="reach-scroll"):
            yield Static(id="reach", markup=False, classes="mono")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.choose(self.preset)
        self.query_one("#reach-scroll").focus()

    @property
    def preset(self) -> str:
        return "last_week" if self.controlled else "four_weeks"

    @property
    def controlled(self) -> bool:
        return self.app.volunteer is not None and under_control(self.app.volunteer.roles, Action.view_reports)

    def choose(self, preset: str) -> None:
        self.first, self.last = period(preset, self.app.shop.today())
        self.show()

    def show(self) -> None:
        shop = self.app.shop
        zone = shop.settings.zone
        threshold = shop.settings.centre.disclosure_threshold
        figures = gather(shop.db, self.first, self.last, zone=zone)
        society = society_figures(shop.db, self.first, self.last, zone=zone)
        published = None
        if self.controlled:  # what centre staff see has left the café: a release, recorded as one
            def refused(said: str) -> None:
                self.query_one("#reach", Static).update(said)

            with saying_errors(refused, then="Choose other weeks or months.") as attempt:
                published = prepare(shop.db, figures, threshold=threshold, society=shop.settings.society.name,
                                    generated_at=shop.clock().astimezone(zone), kind="screen")
            if attempt.failed:  # nothing was shown, so nothing was released
                return
        text = reach_text(figures, society, published=published, threshold=threshold)
        self.query_one("#reach", Static).update(text)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK:
            self.choose(str(event.value))

    def action_step(self, direction: int) -> None:
        """The same whole weeks or months, earlier or later (never past today; for centre staff,
        never a period that has not ended)."""
        today = self.app.shop.today()
        first, last = step(self.first, self.last, direction)
        if first > today or (self.controlled and last >= today):
            self.app.bell()
            return
        self.first, self.last = first, min(last, today)
        self.show()

    def action_export(self) -> None:
        """CSV, JSON and HTML for an ended week or month, to a folder (or a USB stick)."""
        from pos.tui.modals.centre_export import CentreExportModal

        def said(message: str | None) -> None:
            if message:
                self.query_one("#reach-said", Static).update(message)

        self.app.push_screen(CentreExportModal(), said)

    @property
    def only_here(self) -> bool:
        """Centre staff, who sign in straight to this screen and can go nowhere else."""
        return self.app.volunteer is not None and not self.app.volunteer.role.sells

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.only_here
        if action == "sign_out":
            return self.only_here
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_sign_out(self) -> None:
        self.app.sign_out()
