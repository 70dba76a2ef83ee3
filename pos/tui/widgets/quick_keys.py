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

    def on_mount(self) -> None:
        self.show()

    @property
    def products(self) -> list[Product]:
        if not self.categories:
            return []
        return self.keys[self.categories[self.current]][:9]

    def show(self) -> None:
        for button in self.query(Button):
            button.remove()
        if not self.categories:
            self.query_one("#quick-category", Label).update("No quick keys: give café items a short code")
            return
        name = self.categories[self.current]
        self.query_one("#quick-category", Label).update(f"{name[:14]} {self.current + 1}/{len(self.categories)}")
        self.mount_all(
            Button(f"{index} {product.name[:9].rstrip()}", id=f"quick-{index}", compact=True)
            for index, product in enumerate(self.products, 1)
        )

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
