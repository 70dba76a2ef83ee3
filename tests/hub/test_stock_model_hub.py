"""Stock on hand at two tills and the office, through a real hub, against an independent model: any mix of
deliveries, sales, refunds (back on the shelf or wasted), wastage and stocktakes (with sales between a count
and its finish) at either till, and rounds (both tills push, the office pulls and counts, both pull).

The model is a dict: the society's stock as of the last round, and what each till did since. A till shows
the first plus its own part of the second; a stocktake's difference is the count less what the till showed
when it counted; a round adds every till's part to the society's, after which every till, and the office's
copy, hold the same figure."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from core.database import transaction
from inventory.deliveries import Deliveries, Line
from inventory.products import Catalogue
from inventory.stock import Stock
from inventory.stocktakes import Stocktakes, waste
from pos.basket import Basket
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.conftest import LONDON, FakeClock
from tests.hub.shared_tills import AT
from tests.hub.shop_floor_tills import at_office, round_trip, small_society

SHELF = {"milk": "5000000000012", "beans": "5000000000029", "crisps": "96385074"}
TILLS = (0, 1)
till_index = st.sampled_from(TILLS)


class TwoTills(RuleBasedStateMachine):
    cluster = None  # the session's PostgreSQL cluster, set by the test below

    def __init__(self):
        super().__init__()
        self.society = dict.fromkeys(SHELF, 0)
        self.since = {t: dict.fromkeys(SHELF, 0) for t in TILLS}
        self.sales: dict[int, list[tuple[int, str, int]]] = {t: [] for t in TILLS}
        self.takes: dict[int, int | None] = dict.fromkeys(TILLS)
        self.differences: dict[int, dict[str, int]] = {t: {} for t in TILLS}

    @initialize()
    def open_society(self):
        self.folder = tempfile.TemporaryDirectory()
        self.hub = f"hub_{uuid.uuid4().hex[:12]}"
        self.cluster.sql(f"create database {self.hub}")
        self.nodes = small_society(Path(self.folder.name), self.cluster.conninfo(self.hub), tills=1)
        self.dbs = [node.db() for node in self.nodes]
        self.ids = {name: Catalogue(self.dbs[0]).lookup(code).id for name, code in SHELF.items()}
        self.tills = [Till(db, till_id=node.name, clock=FakeClock(datetime(2026, 11, 20, 10, tzinfo=LONDON)),
                           zone=LONDON) for db, node in zip(self.dbs, self.nodes)]
        self.lead = self.tills[0].volunteers.by_name("Lee Lead").id
        for till in self.tills:
            till.open_session(5000, operator_id=self.lead)

    def teardown(self):
        for db in getattr(self, "dbs", []):
            db.close()
        if hasattr(self, "folder"):
            self.folder.cleanup()
            with contextlib.suppress(Exception):
                self.cluster.sql(f"drop database {self.hub} with (force)")

    def shows(self, t: int, name: str) -> int:
        return self.society[name] + self.since[t][name]

    @rule(t=till_index, name=st.sampled_from(list(SHELF)), quantity=st.integers(1, 30))
    def deliver(self, t, name, quantity):
        with transaction(self.dbs[t]):
            Deliveries(self.dbs[t]).receive([Line(product_id=self.ids[name], quantity=quantity)], at=AT, by=self.lead)
        self.since[t][name] += quantity

    @rule(t=till_index, name=st.sampled_from(list(SHELF)), quantity=st.integers(1, 5))
    def sell(self, t, name, quantity):
        basket = Basket()
        self.tills[t].scan(basket, SHELF[name], quantity)
        sale = self.tills[t].complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                                           operator_id=self.lead)
        self.since[t][name] -= quantity
        self.sales[t].append((sale.sale_number, name, quantity))

    @rule(t=till_index, data=st.data(), wasted=st.booleans())
    def refund(self, t, data, wasted):
        if not self.sales[t]:
            return
        number, name, quantity = self.sales[t].pop(data.draw(st.integers(0, len(self.sales[t]) - 1)))
        self.tills[t].refund(number, operator_id=self.lead, reason="changed their mind", waste=wasted)
        if not wasted:
            self.since[t][name] += quantity

    @rule(t=till_index, name=st.sampled_from(list(SHELF)), quantity=st.integers(1, 3))
    def spoil(self, t, name, quantity):
        with transaction(self.dbs[t]):
            waste(self.dbs[t], self.ids[name], quantity, reason="out of date", at=AT, by=self.lead)
        self.since[t][name] -= quantity

    @rule(t=till_index)
    def start_stocktake(self, t):
        if self.takes[t] is not None:
            return
        with transaction(self.dbs[t]):
            self.takes[t] = Stocktakes(self.dbs[t]).start(category=None, at=AT, by=self.lead).id
        self.differences[t] = {}

    @precondition(lambda self: any(take is not None for take in self.takes.values()))
    @rule(data=st.data(), name=st.sampled_from(list(SHELF)), counted=st.integers(0, 40))
    def count(self, data, name, counted):
        t = data.draw(st.sampled_from([t for t in TILLS if self.takes[t] is not None]))
        with transaction(self.dbs[t]):
            Stocktakes(self.dbs[t]).count(self.takes[t], self.ids[name], counted, at=AT, by=self.lead)
        self.differences[t][name] = counted - self.shows(t, name)

    @precondition(lambda self: any(self.differences[t] for t in TILLS if self.takes[t] is not None))
    @rule(data=st.data())
    def finish_stocktake(self, data):
        t = data.draw(st.sampled_from([t for t in TILLS if self.takes[t] is not None and self.differences[t]]))
        with transaction(self.dbs[t]):
            Stocktakes(self.dbs[t]).finish(self.takes[t], at=AT, by=self.lead)
        for name, difference in self.differences[t].items():
            self.since[t][name] += difference
        self.takes[t] = None

    @rule()
    def a_round(self):
        round_trip(self.cluster.conninfo(self.hub), self.nodes, Path(self.folder.name))
        for name in SHELF:
            self.society[name] += sum(self.since[t][name] for t in TILLS)
        self.since = {t: dict.fromkeys(SHELF, 0) for t in TILLS}
        assert {name: at_office(Path(self.folder.name), self.ids[name]) for name in SHELF} == self.society

    @invariant()
    def every_till_shows_the_model(self):
        if hasattr(self, "dbs"):
            for t in TILLS:
                stock = Stock(self.dbs[t])
                assert {name: stock.on_hand(self.ids[name]) for name in SHELF} == \
                    {name: self.shows(t, name) for name in SHELF}, self.nodes[t].name


def test_stock_at_two_tills_through_the_hub_follows_the_model(cluster):
    TwoTills.cluster = cluster
    run_state_machine_as_test(TwoTills, settings=settings(max_examples=10, stateful_step_count=15, deadline=None,
                                                          suppress_health_check=[HealthCheck.too_slow]))
