"""The society at work: an office and two tills at one hub, all at once. Both tills sell through the real
Till, members join at each node, prices change at a till and at the office, one till's clock is minutes
ahead, and each node's push worker pushes and pulls in the background as the till screen's does. The
threads do real work; the assertions are on what has settled once every node has synced again: the same
catalogue and register everywhere, every sale at the office once, the consolidated Z the sum of the tills'
Zs to the penny, and every node's books verifying."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

from coop.register import MemberDetails, Register
from core.clock import stamp
from hub import office
from hub.connect import write_credentials
from hub.worker import PushWorker, sync_once
from inventory.products import Catalogue
from pos import consolidated
from pos.basket import Basket
from pos.reports import session_report, sessions_on
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.hub.shared_tills import society

ZONE = ZoneInfo("Europe/London")
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
SUMMED = ("sales_count", "gross_sales_pence", "discounts_pence", "refunds_count", "refunds_pence", "net_sales_pence",
          "takings_pence", "float_pence", "cash_sales_pence", "cash_expected_pence", "cash_counted_pence")
_SHARED = {"products": "select id, name, category, vat_class, active from products order by id",
           "prices": "select id, product_id, price_pence, created_at from prices order by id",
           "current prices": "select p.id, (select price_pence from prices where product_id = p.id order by id desc "
                             "limit 1) from products p order by p.id",
           "codes": "select code, product_id, kind from product_codes order by code",
           "members": "select id, number, name, card_hash, admitted_on, ceased_on from members order by id",
           "volunteers": "select id, name, role, pin_hash, active, left_on from volunteers order by id",
           "rota": "select id, weekday, starts, ends, needed, active from rota_slots order by id"}


class Ticking:
    """A till's clock on the test's day, running in real time from START, `ahead` minutes off."""

    def __init__(self, ahead: float = 0):
        self.began, self.ahead = time.monotonic(), timedelta(minutes=ahead)

    def __call__(self) -> datetime:
        return START + self.ahead + timedelta(seconds=time.monotonic() - self.began)


def _trade(node, till_id: str, clock: Ticking, seed: int, *, sales: int, price_change: bool, worker) -> None:
    db = node.db()
    try:
        till = Till(db, till_id=till_id, clock=clock, zone=ZONE)
        rng = random.Random(seed)
        manager = till.volunteers.by_name("Sam Ortiz").id
        if sales:
            till.open_session(5000, operator_id=manager)
        for n in range(max(sales, 3)):
            if n == 1:
                Register(db).admit(MemberDetails(name=f"Joiner at {till_id}", address="2 Low Rd"),
                                   on=clock().date(), at=stamp(clock()), by="Sam Ortiz")
            if n == 2 and price_change:
                product = Catalogue(db).all(active_only=True)[seed % 5]
                Catalogue(db).set_price(product.id, product.price_pence + 10 * (seed + 1), at=stamp(clock()))
            if n < sales:
                codes = [(p.barcodes or p.codes)[0] for p in till.catalogue.all(active_only=True) if not p.pass_through]
                basket = Basket()
                for code in rng.choices(codes, k=rng.randint(1, 3)):
                    till.scan(basket, code)
                sale = till.complete_sale(basket, [Tender(kind=TenderKind.cash,
                                                          amount_pence=basket.total_pence + 50)], operator_id=manager)
                if n % 6 == 5:
                    till.refund(sale.sale_number, operator_id=manager, reason="changed their mind")
            if n in (1, 2, 9):
                _round(worker)  # its worker pushes and pulls while this till goes on selling
            else:
                worker.poke()
        if sales:
            till.close_session(6000, operator_id=manager)
    finally:
        db.close()


def _round(worker) -> None:
    """Wait for the worker to finish one more round (it keeps its own pace; this only waits)."""
    before = worker.rounds
    worker.poke()
    deadline = time.monotonic() + 30
    while worker.rounds <= before + 1 and time.monotonic() < deadline:
        time.sleep(0.01)


def _shared(node) -> dict:
    db = node.db()
    try:
        return {name: db.execute(query).fetchall() for name, query in _SHARED.items()}
    finally:
        db.close()


def test_an_office_and_two_tills_trading_and_syncing_at_once_settle_on_one_society(tmp_path, hub_url):
    office_node, till2, till3 = society(tmp_path, hub_url)
    nodes = {"office": office_node, "till-2": till2, "till-3": till3}
    prices_before = len(_shared(office_node)["prices"])
    clocks = {"office": Ticking(), "till-2": Ticking(), "till-3": Ticking(ahead=7)}  # till 3's clock is fast
    credentials = {name: write_credentials(tmp_path / f"{name}.creds", node.conninfo) for name, node in nodes.items()}
    workers = {name: PushWorker(node.path, credentials[name], every=0.05, clock=clocks[name]).start()
               for name, node in nodes.items()}
    plans = {"office": (0, True), "till-2": (18, True), "till-3": (18, False)}
    errors: list[Exception] = []

    def trade(name: str, seed: int) -> None:
        try:
            sales, price_change = plans[name]
            _trade(nodes[name], name, clocks[name], seed, sales=sales, price_change=price_change,
                   worker=workers[name])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=trade, args=(name, seed)) for seed, name in enumerate(nodes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    rounds = {name: worker.rounds for name, worker in workers.items()}
    for worker in workers.values():
        worker.stop()
    assert errors == []
    assert all(count >= 3 for count in rounds.values()), rounds  # the workers synced while the nodes traded
    for _ in range(2):  # settling: what each sent in the first round reaches the others in the second
        for name, node in nodes.items():
            assert sync_once(node.path, credentials[name], clock=clocks[name]) is not None, name

    settled = {name: _shared(node) for name, node in nodes.items()}
    assert settled["till-2"] == settled["office"] == settled["till-3"]
    members = {row[2] for row in settled["office"]["members"]}
    assert {"Joiner at office", "Joiner at till-2", "Joiner at till-3"} <= members
    assert len(settled["office"]["prices"]) == prices_before + 2  # the office's and till 2's new prices

    copy = consolidated.open_copy(consolidated.copy_path(office_node.path))
    try:
        with psycopg.connect(hub_url, autocommit=True) as conn:
            office.pull(conn, copy)
        day = START.date()
        own = []
        for name in ("till-2", "till-3"):
            db = nodes[name].db()
            sold = db.execute("select sale_number, total_pence from sales where till_id = ? order by 1",
                              [name]).fetchall()
            assert len(sold) == 18 + 3 and sold == copy.execute(  # every sale and refund, at the office once
                "select sale_number, total_pence from sales where till_id = ? order by 1", [name]).fetchall()
            own.append(session_report(db, sessions_on(db, name, day.isoformat()), zone=ZONE, vat_registered=False))
            db.close()
        whole = consolidated.z_report(copy, day, zone=ZONE, vat_registered=False)
    finally:
        copy.close()
    for figure in SUMMED:
        assert getattr(whole, figure) == sum(getattr(z, figure) for z in own), figure
    assert whole.sales_count == 36 and whole.tenders == {"cash": sum(z.tenders["cash"] for z in own)}
    for name, node in nodes.items():
        assert node.verified() == [], name
