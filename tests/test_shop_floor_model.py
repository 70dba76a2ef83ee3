"""Stock on hand against an independent model, over any mix of deliveries, reversals, sales through the real
Till, refunds (back on the shelf or wasted), wastage and stocktakes with sales rung up between a count and
its finish."""

from datetime import datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from core.database import transaction
from inventory.deliveries import Deliveries, Line
from inventory.stock import Stock
from inventory.stocktakes import Stocktakes, waste
from pos.basket import Basket
from pos.database import open_database
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.conftest import LONDON, FakeClock, make_products
from volunteers.people import Role, Volunteers

SHELF = ("milk", "beans", "crisps")
AT = "2026-11-20T10:00:00.000000Z"


class ShopFloor(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.model: dict[str, int] = dict.fromkeys(SHELF, 0)
        self.sales: list[tuple[int, str, int]] = []
        self.deliveries: list[tuple[int, str, int]] = []
        self.take: int | None = None
        self.counted: dict[str, tuple[int, int]] = {}  # product → (counted, model at the count)

    @initialize(path=st.just(None))
    def open_shop(self, path):
        import tempfile
        from pathlib import Path

        self.folder = tempfile.TemporaryDirectory()
        self.db = open_database(Path(self.folder.name) / "till.db")
        self.lead = Volunteers(self.db).add("Lee Lead", Role.manager, at=AT).id
        self.products = make_products(self.db)
        self.till = Till(self.db, till_id="till-1", clock=FakeClock(datetime(2026, 11, 20, 10, tzinfo=LONDON)),
                         zone=LONDON)
        self.till.open_session(5000, operator_id=self.lead)

    def teardown(self):
        if hasattr(self, "db"):
            self.db.close()
            self.folder.cleanup()

    def _id(self, name: str) -> int:
        return self.products[name].id

    @rule(name=st.sampled_from(SHELF), quantity=st.integers(1, 30))
    def deliver(self, name, quantity):
        with transaction(self.db):
            number = Deliveries(self.db).receive([Line(product_id=self._id(name), quantity=quantity)],
                                                 at=AT, by=self.lead)
        self.model[name] += quantity
        self.deliveries.append((number, name, quantity))

    @precondition(lambda self: self.deliveries)
    @rule(data=st.data())
    def reverse(self, data):
        number, name, quantity = self.deliveries.pop(data.draw(st.integers(0, len(self.deliveries) - 1)))
        with transaction(self.db):
            Deliveries(self.db).reverse(number, reason="wrong delivery", at=AT, by=self.lead)
        self.model[name] -= quantity

    @rule(name=st.sampled_from(SHELF), quantity=st.integers(1, 5))
    def sell(self, name, quantity):
        basket = Basket()
        self.till.scan(basket, self.products[name].barcodes[0], quantity)
        sale = self.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                                       operator_id=self.lead)
        self.model[name] -= quantity
        self.sales.append((sale.sale_number, name, quantity))

    @precondition(lambda self: self.sales)
    @rule(data=st.data(), wasted=st.booleans())
    def refund(self, data, wasted):
        number, name, quantity = self.sales.pop(data.draw(st.integers(0, len(self.sales) - 1)))
        self.till.refund(number, operator_id=self.lead, reason="changed their mind", waste=wasted)
        if not wasted:
            self.model[name] += quantity

    @rule(name=st.sampled_from(SHELF), quantity=st.integers(1, 3))
    def spoil(self, name, quantity):
        with transaction(self.db):
            waste(self.db, self._id(name), quantity, reason="out of date", at=AT, by=self.lead)
        self.model[name] -= quantity

    @precondition(lambda self: self.take is None)
    @rule()
    def start_stocktake(self):
        with transaction(self.db):
            self.take = Stocktakes(self.db).start(category=None, at=AT, by=self.lead).id
        self.counted = {}

    @precondition(lambda self: self.take is not None)
    @rule(name=st.sampled_from(SHELF), counted=st.integers(0, 40))
    def count(self, name, counted):
        with transaction(self.db):
            Stocktakes(self.db).count(self.take, self._id(name), counted, at=AT, by=self.lead)
        self.counted[name] = (counted, self.model[name])

    @precondition(lambda self: self.take is not None and self.counted)
    @rule()
    def finish_stocktake(self):
        with transaction(self.db):
            Stocktakes(self.db).finish(self.take, at=AT, by=self.lead)
        for name, (counted, then) in self.counted.items():
            # What moved after the count (sales, deliveries, wastage) still counts.
            self.model[name] = counted + (self.model[name] - then)
        self.take = None

    @invariant()
    def stock_matches_the_model(self):
        if hasattr(self, "db"):
            stock = Stock(self.db)
            assert {name: stock.on_hand(self._id(name)) for name in SHELF} == self.model


ShopFloor.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None,
                                       suppress_health_check=[HealthCheck.too_slow])
test_stock_on_hand_follows_the_model = ShopFloor.TestCase
