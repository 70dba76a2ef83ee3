"""The running total in large figures, with what else the volunteer needs at a glance."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label

from core.money import format_pence
from pos.basket import Basket


class TotalPanel(Vertical):
    DEFAULT_CSS = """
    TotalPanel { width: 30; height: auto; padding: 0 1; }
    TotalPanel Digits { width: auto; }
    TotalPanel .caption { color: $text-muted; }
    TotalPanel #change-due { color: $success; text-style: bold; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("To pay", id="total-caption", classes="caption")
        yield Digits("0.00", id="total")
        yield Label("", id="basket-flags")
        yield Label("", id="change-due")
        yield Label("", id="pool", classes="caption")

    def _set(self, selector: str, text: str) -> None:
        # Only touch a widget whose text changes: each update costs a repaint.
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector).update(text)

    def show(self, basket: Basket, *, paid_pence: int = 0) -> None:
        self._set("#total-caption", "To pay")
        self._set("#total", format_pence(basket.total_pence, symbol=False))
        flags = ["Eat in" if basket.eat_in else "Take away"]
        if basket.member_number:
            flags.append(f"Member {basket.member_number}")
            if basket.member_savings_pence:
                flags.append(f"Members save {format_pence(basket.member_savings_pence)}")
        if basket.donation_pence:
            flags.append(f"Community fund {format_pence(basket.donation_pence)}")
        if basket.healthy_start_pence:
            flags.append(f"Healthy Start {format_pence(basket.healthy_start_pence)}")
        marks = [m for m, on in (("family with under-5s", basket.family_under5), ("first visit", basket.first_visit))
                 if on]
        if marks:
            flags.append(", ".join(marks).capitalize())
        if paid_pence:  # taken before the volunteer went back from the pay dialog
            flags.append(f"Already paid {format_pence(paid_pence)} (F2)")
        self._set("#basket-flags", "\n".join(flags))

    def show_change(self, change_pence: int, total_pence: int) -> None:
        """After a sale: the change, large, until the next sale starts."""
        self._set("#total-caption", f"Change (sale {format_pence(total_pence)})")
        self._set("#total", format_pence(change_pence, symbol=False))
        self._set("#basket-flags", "")
        self._set("#change-due", "Give change" if change_pence else "No change due")

    def show_give_back(self, pence: int, steps: list[str], *, why: str) -> None:
        """After a void with money taken, or a refund: what to hand back, large, as the change is."""
        self._set("#total-caption", f"Give back ({why})")
        self._set("#total", format_pence(pence, symbol=False))
        self._set("#basket-flags", "")
        self._set("#change-due", "\n".join(steps))

    def show_pool(self, waiting: int) -> None:
        self._set("#pool", f"Paid forward, waiting: {waiting} (Ctrl+K)" if waiting else "")

    def clear_change(self) -> None:
        self._set("#change-due", "")
