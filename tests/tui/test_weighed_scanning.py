"""A weighed item's label scanned on the selling screen at 80 × 24: the line shows its weight and price per kg."""

from __future__ import annotations

from core.database import transaction
from inventory.products import ProductDetails, VatClass
from inventory.units import Measure
from inventory.variable_measure import Layout, encode, stub
from tests.tui.conftest import app_for, demo_shop, scan, sign_in

WEIGHT = Layout(prefix="21", measure="weight", item_digits=5, value_digits=5)


async def test_a_scale_label_adds_its_weight_at_the_price_per_kg(tmp_path):
    shop = demo_shop(tmp_path, barcodes={"variable": [WEIGHT.model_dump()]})
    with transaction(shop.db):
        cheese = shop.catalogue.add(ProductDetails(name="Cheddar", category="Deli", vat_class=VatClass.zero),
                                    price_pence=1200, at="2026-11-01T09:00:00.000000Z",
                                    barcodes=[stub(WEIGHT, "00017")])
        shop.till.units.set(cheese.id, Measure(by_weight=True), at="2026-11-01T09:00:00.000000Z")
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await scan(pilot, encode(WEIGHT, "00017", 254))
        message = str(app.screen.query_one("#message").render())
        assert "Added Cheddar 0.254 kg @ £12.00/kg £3.05" in message
        (line,) = app.screen.basket.lines
        assert (line.weight_grams, line.total_pence) == (254, 305)
        await pilot.press("+")
        assert "scan each one's label" in str(app.screen.query_one("#message").render())
        assert app.screen.basket.lines[0].quantity == 1
        await scan(pilot, stub(WEIGHT, "00017"))
        assert "sold by weight" in str(app.screen.query_one("#message").render())
        assert len(app.screen.basket.lines) == 1
