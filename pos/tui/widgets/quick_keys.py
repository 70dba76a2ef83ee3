"""Quick keys for the café menu, one page at a time: click, or type the number and Enter.

A page is a category's first nine items (1-9 are the keys); a category with more than nine
goes on over further pages, so no item is ever left off. PgUp/PgDn go through every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import Button, Label

from inventory.products import Product

#: The keys 1-9: one page holds at most this many.
PER_PAGE = 9


@dataclass(frozen=True)
class Page:
    category: str
    part: int
    parts: int
    products: list[Product]


def pages_of(keys: dict[str, list[Product]]) -> list[Page]:
    pages = []
    for category, products in keys.items():
        chunks = [products[start:start + PER_PAGE] for start in range(0, len(products), PER_PAGE)]
        pages += [Page(category, part, len(chunks), chunk) for part, chunk in enumerate(chunks, 1)]
    return pages


class QuickKeys(Vertical):
    # Nine keys in two rows of five fit 80 columns (about 15 each) and keep the row 3 lines high,
    # as tall as before, so the basket loses nothing. Names too long for a key end in "…".
    DEFAULT_CSS = """
    QuickKeys { height: 3; }
    QuickKeys #quick-category { width: 1fr; height: 1; text-style: bold; }
    QuickKeys Grid { grid-size: 5 2; grid-gutter: 0 1; grid-columns: 1fr; height: 2; }
    QuickKeys Button { width: 100%; min-width: 0; height: 1; margin: 0;
                       text-align: left; content-align: left middle; }
    QuickKeys #quick-category, QuickKeys Button { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    @dataclass
    class Chosen(Message):
        product: Product

    def __init__(self, keys: dict[str, list[Product]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.pages = pages_of(keys)
        self.current = 0

    def compose(self) -> ComposeResult:
        yield Label("", id="quick-category")
        # The nine buttons are made once and relabelled for each page: removing and mounting
        # buttons with the same ids on every PgDn raced (DuplicateIds) and crashed the till.
        with Grid(id="quick-grid"):
            for number in range(1, PER_PAGE + 1):
                # Not focusable: the entry box keeps the cursor, so a scan after a click still lands.
                button = Button("", id=f"quick-{number}", compact=True)
                button.can_focus = False
                yield button

    def on_mount(self) -> None:
        self.show()

    @property
    def page(self) -> Page | None:
        return self.pages[self.current] if self.pages else None

    @property
    def products(self) -> list[Product]:
        return self.page.products if self.page else []

    def show(self) -> None:
        page = self.page
        label = self.query_one("#quick-category", Label)
        if page is None:
            label.update("No quick keys: give café items a short code")
        else:
            part = f" ({page.part} of {page.parts})" if page.parts > 1 else ""
            label.update(f"Menu {self.current + 1}/{len(self.pages)}: {page.category}{part}"
                         "   PgUp/PgDn: other menus · number, Enter or click")
        products = self.products
        for number in range(1, PER_PAGE + 1):
            button = self.query_one(f"#quick-{number}", Button)
            product = products[number - 1] if number <= len(products) else None
            # An unused key keeps its place (so keys do not jump about) but cannot be seen or pressed.
            button.visible = product is not None
            button.disabled = product is None
            button.label = f"{number} {product.name}" if product else ""

    def cycle(self, step: int) -> None:
        if self.pages:
            self.current = (self.current + step) % len(self.pages)
            self.show()

    def pick(self, number: int) -> Product | None:
        products = self.products
        return products[number - 1] if 1 <= number <= len(products) else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        product = self.pick(int(event.button.id.removeprefix("quick-")))
        if product is not None:
            self.post_message(self.Chosen(product))
