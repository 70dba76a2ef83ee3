"""The selling screen's entry box, which a barcode scanner types into faster than anyone.

A scanner sends a burst of keys (`till-1/2721`, Enter) with no pause between them. Textual hands
each key to the box through a queue, so the box's text lags behind the keys still waiting: a
screen binding that looked at the box to decide what `-` means saw it empty halfway through the
burst, and an Enter handled by a binding (after the key had gone round the app) came after the
next scan's first digits. So the box decides every key itself, in the order the keys came:
Enter sends what has been typed so far and empties the box; `+`, `-` and Delete are the basket's
while the box is empty, the box's own otherwise; Up and Down are always the screen's (they choose a
basket line or a search result). What the box hands on reaches the screen as messages, in order,
behind the Input's own Changed and Submitted.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input

from pos.tui.keys import KEYS

#: Keys the screen acts on while the box is empty (else the box types or deletes as usual).
WHEN_EMPTY = {k.key: k.action for k in KEYS if k.entry_box == "empty"}
#: Keys the screen always acts on.
ALWAYS = {k.key: k.action for k in KEYS if k.entry_box == "always"}


class EntryBox(Input):
    class BasketKey(Message):
        """A key for the screen (an action of its, as its bindings name them), in its turn."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    async def _on_key(self, event: events.Key) -> None:
        action = ALWAYS.get(event.key) or (WHEN_EMPTY.get(event.key) if not self.value else None)
        if action is not None:
            self._handled(event)
            self.post_message(self.BasketKey(action))
        elif event.key == "enter":
            self._handled(event)
            # Submitted first, then the emptied box's Changed: the screen sees them in that order.
            self.post_message(self.Submitted(self, self.value))
            self.value = ""
        elif event.key == "delete":
            self._handled(event)
            self.action_delete_right()
        # Anything else: Input's own handler (next in the class order) types it.

    @staticmethod
    def _handled(event: events.Key) -> None:
        event.stop()
        event.prevent_default()  # Input's handler is not run, and no binding sees the key
