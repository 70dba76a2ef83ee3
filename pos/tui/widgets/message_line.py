"""One line under the till for what just happened, or what went wrong (with a beep)."""

from __future__ import annotations

from textual.widgets import Label


class MessageLine(Label):
    DEFAULT_CSS = """
    MessageLine { width: 100%; height: 1; padding: 0 1; }
    MessageLine.error { color: $error; text-style: bold; }
    """

    def say(self, text: str, *, error: bool = False) -> None:
        self.update(text)
        self.set_class(error, "error")
        if error:
            self.app.bell()
