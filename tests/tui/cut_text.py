"""Finding text that the screen cuts off: a label or message shown only in part, or broken mid-word.

Each visible Static (Label, MessageLine …) and Button on the screen is laid out as Textual lays it
out, then compared with what it says: every word must be there whole (a line may only end at a
space), and no line may run past the edge of what holds it. A name shortened with "…" on
purpose (a quick key) is shortened, not cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.geometry import Region
from textual.widgets import Button, Static


@dataclass(frozen=True)
class Cut:
    widget: str
    text: str
    shown: str

    def __str__(self) -> str:
        return f"{self.widget}: {self.text!r} shows as {self.shown!r}"


def _plain(renderable) -> str | None:
    if isinstance(renderable, str):
        return renderable
    plain = getattr(renderable, "plain", None)
    return plain if isinstance(plain, str) else None


def _name(widget) -> str:
    where = f"#{widget.id}" if widget.id else type(widget).__name__
    return f"{type(widget.screen).__name__} {where}"


def _words_match(text: str, shown: str) -> bool:
    words, seen = text.split(), shown.split()
    if seen == words:
        return True
    # Shortened on purpose: the words shown are the first ones, the last of them ending in "…".
    if seen and seen[-1].endswith("…") and seen[:-1] == words[:len(seen) - 1]:
        return words[len(seen) - 1].startswith(seen[-1][:-1])
    return False


def cut_texts(app) -> list[Cut]:
    """Every piece of text on the app's current screen that is cut off or broken mid-word."""
    screen = app.screen
    compositor = screen._compositor
    screen_region = screen.region
    found = []
    for widget, (region, clip) in list(compositor.visible_widgets.items()):
        if not isinstance(widget, Static | Button) or not widget.display or not widget.visible:
            continue
        text = _plain(widget.render() if isinstance(widget, Static) else widget.label)
        if not text or not text.strip():
            continue
        gutter = widget.styles.gutter
        outer = widget.outer_size if False else widget.size + gutter.totals  # the widget, border and all
        lines = [strip.text for strip in widget.render_lines(Region(0, 0, outer.width, outer.height))]
        inside = [line[gutter.left:outer.width - gutter.right] for line in lines[gutter.top:outer.height - gutter.bottom]]
        shown = " ".join(inside)
        if not _words_match(text, shown):
            found.append(Cut(_name(widget), text, shown.strip()))
            continue
        # Laid out whole, but does what holds it show all of it? Only a sideways cut counts: a
        # box that scrolls up and down shows the rest when scrolled.
        visible = clip.intersection(screen_region)
        left, right = visible.x, visible.right
        for row, line in enumerate(inside):
            y = region.y + gutter.top + row
            if not visible.y <= y < visible.bottom:
                continue
            x = region.x + gutter.left
            stripped = line.rstrip()
            first = x + len(line) - len(line.lstrip())
            if stripped and (first < left or x + len(stripped) > right):
                found.append(Cut(_name(widget), text, line[max(0, left - x):max(0, right - x)].strip()))
                break
    return found
