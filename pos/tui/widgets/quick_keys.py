"""Quick keys for the café menu, one category at a time: click, or type the number and Enter."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Label

from inventory.products import Product


class QuickKeys(Horizontal):
    DEFAULT_CSS = """
    QuickKeys { height: 3; }
    QuickKeys Label { width: auto; padding: 1 1 0 0; text-style: bold; }
    QuickKeys Button { min-width: 8; width: auto; height: 3; margin: 0; }
    """

    @dataclass
    class Chosen(Message):
        product: Product

    def __init__(self, keys: dict[str, list[Product]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.keys = keys
        self.categories = list(keys)
        self.current = 0

    def compose(self) -> ComposeResult:
        yield Label("", id="quick-category")
        # The nine buttons are made once and relabelled for each menu: removing and mounting
        # buttons with the same ids on every PgDn raced (DuplicateIds) and crashed the till.
        for number in range(1, 10):
            # Not focusable: the entry box keeps the cursor, so a scan after a click still lands.
            button = Button("", id=f"quick-{number}", compact=True)
            button.can_focus = False
            yield button

    def on_mount(self) -> None:
        self.show()

    @property
    def products(self) -> list[Product]:
        if not self.categories:
            return []
        return self.keys[self.categories[self.current]][:9]

    def show(self) -> None:
        label = self.query_one("#quick-category", Label)
        if not self.categories:
            label.update("No quick keys: give café items a short code")
        else:
            name = self.categories[self.current]
            label.update(f"{name[:14]} {self.current + 1}/{len(self.categories)}")
        products = self.products
        for number in range(1, 10):
            button = self.query_one(f"#quick-{number}", Button)
            product = products[number - 1] if number <= len(products) else None
            # An unused key cannot be seen or pressed.
            button.display = product is not None
            button.disabled = product is None
            button.label = f"{number} {product.name[:9].rstrip()}" if product else ""

    def cycle(self, step: int) -> None:
        if self.categories:
            self.current = (self.current + step) % len(self.categories)
            self.show()

    def pick(self, number: int) -> Product | None:
        products = self.products
        return products[number - 1] if 1 <= number <= len(products) else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        product = self.pick(int(event.button.id.removeprefix("quick-")))
        if product is not None:
            self.post_message(self.Chosen(product))

