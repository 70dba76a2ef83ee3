"""The reach dashboard at the office of a real PostgreSQL hub: its figures are every till's, counted from
the office's consolidated copy, and it says as of when; what centre staff see there is released into the
office's own books, marked as every till's figures (as `till centre footfall --all-tills` does)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import psycopg

from centre.release import ALL_TILLS
from core.clock import SimulatedClock, stamp
from hub.office import pull as pull_copy
from pos.basket import Basket
from pos.config import Settings, WebSettings
from pos.consolidated import copy_path, open_copy
from pos.shop import Shop
from pos.tenders import Tender, TenderKind
from pos.web.app import create_app
from tests.hub.shared_tills import society
from tests.web.conftest import SECRET, client_for, sign_in, sign_up

#: Friday 20 November 2026 (London is on UTC): "last week" is Monday 9 to Sunday 15 November.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SOLD = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)


def _shop(node, clock) -> Shop:
    return Shop.open(Settings(db=node.path, till_id=node.name), clock=clock)


def _visits(page: str) -> str:
    return re.search(r'<th scope="row">Visits \(every sale\)</th><td>([^<]+)<', page).group(1)


def _signed_in(app, shop, name: str, address: str):
    client = client_for(app, address)
    sign_up(client, app.app.state.web.access, shop.volunteers.by_name(name), name)
    sign_in(client, name)
    return client


def test_at_the_office_the_dashboard_counts_every_tills_visits_as_of_the_last_pull(tmp_path, hub_url):
    office, till2 = society(tmp_path, hub_url, tills=1)
    clock = SimulatedClock(SOLD)
    shop = _shop(till2, clock)
    lead = shop.volunteers.by_name("Sam Ortiz").id
    shop.till.open_session(0, operator_id=lead)
    for _ in range(3):
        basket = Basket()
        product = next(p for p in shop.catalogue.all(active_only=True) if not p.pass_through and p.price_pence)
        shop.till.scan(basket, (product.barcodes or product.codes)[0])
        shop.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                                operator_id=lead)
    shop.close()
    till2.sync()
    office.sync()

    shop = _shop(office, SimulatedClock(NOW))
    app = create_app(shop, WebSettings(), SECRET)
    manager = _signed_in(app, shop, "Sam Ortiz", "10.0.0.1")
    page = manager.get("/reach?period=last_week").text
    assert "have not been gathered here yet" in page and _visits(page) == "0"  # the office's own: said so

    copy = open_copy(copy_path(office.path))
    try:
        with psycopg.connect(hub_url) as conn:
            pull_copy(conn, copy, own=str(office.path), at=stamp(NOW))
    finally:
        copy.close()
    page = manager.get("/reach?period=last_week").text
    assert "Figures from every till as of 10:00." in page and _visits(page) == "3"  # till 2's sales

    centre = _signed_in(app, shop, "Chris Lowe", "10.0.0.2")
    page = centre.get("/reach").text
    assert "Figures from every till as of 10:00." in page and "as released to the centre" in page
    kinds = [row[0] for row in shop.db.execute("select kind from centre_releases")]
    assert kinds == ["screen" + ALL_TILLS]  # in the office's own books, marked as every till's
    got = centre.get("/reach/export?from=2026-11-09&to=2026-11-15&format=json")
    assert got.status_code == 200 and '"from": "2026-11-09"' in got.text
    assert [row[0] for row in shop.db.execute("select kind from centre_releases order by id")] == \
        ["screen" + ALL_TILLS, "export" + ALL_TILLS]
    shop.close()
