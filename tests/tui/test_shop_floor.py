"""The Shop floor screens at 80×24: goods in (with a new product made on the way), wastage, a stocktake left
and carried on, the reorder list printed and saved; the lead-only parts refused to a volunteer."""

from __future__ import annotations

from inventory.stock import Stock
from pos.tui.modals.form import FormModal
from pos.tui.screens.goods_in import GoodsInScreen
from pos.tui.screens.reorder import ReorderScreen
from pos.tui.screens.shop_floor import ShopFloorScreen
from pos.tui.screens.stocktake import StocktakeScreen
from pos.tui.screens.wastage import WastageScreen
from tests.tui.conftest import BEANS, app_for, demo_shop, scan, sign_in, type_text

NEW_BARCODE = "4006381333931"


def _beans(shop) -> int:
    return shop.till.catalogue.lookup(BEANS).id


def _supplier(shop, name="Hillside") -> None:
    from core.database import transaction
    from inventory.suppliers import SupplierDetails, Suppliers

    with transaction(shop.db):
        Suppliers(shop.db).add(SupplierDetails(name=name, lead_days=2), at=shop.till.now(), by=1)


async def test_goods_in_with_a_new_product_on_the_way(tmp_path):
    shop = demo_shop(tmp_path)
    _supplier(shop)
    before = Stock(shop.db).on_hand(_beans(shop))
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("ctrl+x")
        assert isinstance(app.screen, ShopFloorScreen)
        await pilot.press("g")
        assert isinstance(app.screen, GoodsInScreen)
        await type_text(pilot, "hillside")
        await pilot.press("enter")  # on to the scanning box
        await scan(pilot, f"12*{BEANS}")
        await scan(pilot, NEW_BARCODE)
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await type_text(pilot, "Oat milk")
        await pilot.press("enter")
        await type_text(pilot, "1.80")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GoodsInScreen), (app.screen.answers(), app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#floor-table").row_count == 2
        await pilot.press("f2")
        await pilot.pause()
    jo = shop.volunteers.by_name("Jo Beckford").id
    assert Stock(shop.db).on_hand(_beans(shop)) == before + 12
    oat = shop.till.catalogue.lookup(NEW_BARCODE)
    assert oat.name == "Oat milk" and oat.price_pence == 180 and Stock(shop.db).on_hand(oat.id) == 1
    supplier_of, by = shop.db.execute("select supplier_id, operator_id from deliveries").fetchone()
    assert supplier_of is not None and by == jo


async def test_wastage_is_saved_with_its_reason_and_who(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    before = Stock(shop.db).on_hand(_beans(shop))
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("ctrl+x", "w")
        assert isinstance(app.screen, WastageScreen)
        await pilot.click("#floor-entry")
        await scan(pilot, f"2*{BEANS}")
        await pilot.pause()
        assert "written off (out of date)" in str(app.screen.query_one("#message").render())
    movement = Stock(shop.db).movements(_beans(shop))[-1]
    assert Stock(shop.db).on_hand(_beans(shop)) == before - 2
    assert (movement["reason"], movement["operator_id"]) == ("out of date", shop.volunteers.by_name("Jo Beckford").id)


async def test_a_volunteer_is_refused_the_stocktake_and_the_reorder_list(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Jo", "3333")
        await pilot.press("ctrl+x", "s")
        assert isinstance(app.screen, ShopFloorScreen)
        assert "needs a shift lead" in str(app.screen.query_one("#message").render())
        await pilot.press("r")
        assert isinstance(app.screen, ShopFloorScreen)


async def test_a_stocktake_left_and_carried_on(tmp_path):
    shop = demo_shop(tmp_path)
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Priya", "2222")
        await pilot.press("ctrl+x", "s")
        assert isinstance(app.screen, StocktakeScreen)
        await type_text(pilot, "Cupboard")
        await pilot.press("enter")
        await scan(pilot, f"=5*{BEANS}")
        await scan(pilot, BEANS)  # one more found at the back
        await pilot.pause()
        assert "counted 6" in str(app.screen.query_one("#message").render())
        await pilot.press("escape", "escape")  # left for now
        await pilot.press("ctrl+x", "s")
        assert "Carrying on stocktake" in str(app.screen.query_one("#message").render())
        await pilot.press("f2")
        await pilot.pause()
        assert "Saved: 1 counted" in str(app.screen.query_one("#message").render())
    assert Stock(shop.db).on_hand(_beans(shop)) == 6
    assert shop.db.execute("select finished_by from stocktakes").fetchone()[0] == shop.volunteers.by_name(
        "Priya Kell").id


async def test_the_reorder_list_prints_and_saves(tmp_path):
    shop = demo_shop(tmp_path)
    from core.database import transaction

    with transaction(shop.db):
        Stock(shop.db).stocktake(_beans(shop), 0, at=shop.till.now(), by=1)  # the shelf is bare
    app = app_for(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Sam", "1111")
        await pilot.press("ctrl+x", "r")
        assert isinstance(app.screen, ReorderScreen)
        assert any(line.name.startswith("Baked beans") for line in app.screen.lines)
        await pilot.press("p")
        await pilot.pause()
        assert "printing" in str(app.screen.query_one("#message").render())
        await pilot.press("c")
        await pilot.pause()
    saved = list((tmp_path / "receipts").glob("reorder-*.csv"))
    assert saved and "Baked beans" in saved[0].read_text()
    printed = [p for p in (tmp_path / "receipts").iterdir() if p.name.startswith("reorder-") and p.suffix != ".csv"]
    assert printed and "Baked beans" in printed[0].read_text()
