"""A question before something that cannot be undone (voiding a basket, quitting with one open):
what it means spelled out, and two answers, the safe one first so a stray Enter changes nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from pos.tui.modals.pick import PickModal


class ConfirmModal(PickModal):
    """Returns True for the second answer (do it), False or None otherwise."""

    DEFAULT_CSS = "ConfirmModal .detail { width: 100%; height: auto; padding-bottom: 1; }"

    def __init__(self, question: str, detail: str, *, keep: str, go: str) -> None:
        super().__init__(question, [(0, keep), (1, go)])
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.detail:
                yield Static(self.detail, classes="detail", markup=False)
            yield OptionList(*[Option(text, id=str(key)) for key, text in self.options], id="pick-list")

    def answer(self, key: int) -> bool:
        return bool(key)
