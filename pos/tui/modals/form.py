"""A short form (a few labelled boxes, maybe one choice) whose answers the core checks.

The form stays open with the core's message until what was typed is accepted, so bad input
changes nothing and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from pos.errors import USER_ERRORS


@dataclass
class FormField:
    key: str
    label: str
    value: str = ""
    password: bool = False
    restrict: str | None = None
    #: (shown, value) pairs: a choice instead of a box to type in.
    choices: list[tuple[str, str]] | None = None


class FormModal(ModalScreen[bool]):
    """Calls `save(answers)` on Enter in the last box; an error from the core is shown and the
    form stays. Returns True once saved, False if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, title: str, fields: list[FormField], save: Callable[[dict[str, str]], None]) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.save = save

    def compose(self) -> ComposeResult:
        # Scrolls (and shows a scrollbar) when the window is too short for every field and Save.
        with VerticalScroll(classes="dialog form"):
            yield Label(self.title_text, classes="dialog-title")
            for field in self.fields:
                yield Label(field.label)
                if field.choices is not None:
                    yield Select(field.choices, value=field.value or field.choices[0][1], allow_blank=False,
                                 id=f"field-{field.key}")
                else:
                    yield Input(value=field.value, password=field.password, restrict=field.restrict,
                                id=f"field-{field.key}")
            yield Label("Enter or Tab: next box · Ctrl+S: save · Esc: cancel", classes="hint")
            yield Button("Save (Ctrl+S)", id="form-save", variant="success")
            yield Label("", id="form-error", classes="error")

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].key}").focus()

    def answers(self) -> dict[str, str]:
        found = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            found[field.key] = str(widget.value).strip()
        return found

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position < len(inputs) - 1:
            inputs[position + 1].focus()
            return
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()

    def action_save(self) -> None:
        try:
            self.save(self.answers())
        except USER_ERRORS as error:
            self.app.bell()
            message = str(error)
            self.query_one("#form-error", Label).update(message[:1].upper() + message[1:])
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
