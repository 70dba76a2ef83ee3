"""Export the centre's figures from the Reports screen: choose an ended week or month and a folder
(a USB stick is a folder), Enter writes CSV, JSON and HTML there, each under disclosure control."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from centre.export import export_choices, export_to_folder
from pos.errors import USER_ERRORS
from pos.tui.plain_errors import sentence
from pos.tui.widgets.arrows import arrows_move


def default_folder() -> Path:
    """The user's documents folder (platformdirs), in a folder of its own."""
    from platformdirs import user_documents_path

    return user_documents_path() / "Centre figures"


class CentreExportModal(ModalScreen[str | None]):
    """Returns where the files went, to say on the Reports screen, or None."""

    DEFAULT_CSS = """
    #export-periods { height: auto; max-height: 8; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder or default_folder()
        self.choices: list = []

    def compose(self) -> ComposeResult:
        self.choices = export_choices(self.app.shop.today())
        with Vertical(classes="dialog wide"):
            yield Label("Export the centre's figures (counts only, under disclosure control)",
                        classes="dialog-title")
            yield OptionList(*[Option(label, id=str(n)) for n, (label, _, _) in enumerate(self.choices)],
                             id="export-periods")
            yield Label("To the folder (a USB stick is a folder too):")
            yield Input(str(self.folder), id="export-folder")
            yield Static("Up/Down choose the week or month · Enter writes CSV, JSON and HTML there · Esc back",
                         classes="hint", markup=False)
            yield Label("", id="export-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#export-periods", OptionList).highlighted = 0
        self.query_one("#export-folder", Input).focus()

    def on_key(self, event) -> None:
        arrows_move(event, self.query_one("#export-periods", OptionList))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one("#export-periods", OptionList).highlighted_option
        folder = event.value.strip()
        if option is None or not folder:
            self.fail("Choose a week or a month, and type the folder.")
            return
        _, first, last = self.choices[int(option.id)]
        shop = self.app.shop
        try:
            exported = export_to_folder(shop.db, first, last, folder, zone=shop.settings.zone,
                                        threshold=shop.settings.centre.disclosure_threshold,
                                        society=shop.settings.society.name,
                                        generated_at=shop.clock().astimezone(shop.settings.zone))
        except USER_ERRORS as error:
            self.fail(sentence(error) + ".")
            return
        self.dismiss(f"The figures for {first:%a %d %b} to {last:%a %d %b %Y} are in {exported.folder}: "
                     f"{exported.files[0].stem}.csv, .json and .html.")

    def fail(self, message: str) -> None:
        self.app.bell()
        self.query_one("#export-error", Label).update(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
