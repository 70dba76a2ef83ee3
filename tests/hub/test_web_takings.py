"""The treasurer's takings pages at the office of a real PostgreSQL hub: the figures are every till's, read from
the consolidated copy, each page says "as of" its last pull and how many records it brought late, and a Z
taken at another till is drilled into from the office."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import psycopg

from core.clock import SimulatedClock, stamp
from core.money import format_pence
from hub.office import produced
from hub.office import pull as pull_copy
from pos.basket import Basket
from pos.config import Settings, WebSettings
from pos.consolidated import copy_path, open_copy
from pos.shop import Shop
from pos.tenders import Tender, TenderKind
from pos.web.app import create_app
from tests.hub.shared_tills import society
from tests.web.conftest import SECRET, client_for, sign_in, sign_up

# Friday 20 November 2026, 10:00 (London is on UTC in November).
CLOCK = SimulatedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


def _shop(node) -> Shop:
    return Shop.open(Settings(db=node.path, till_id=node.name), clock=CLOCK)


def _sell(shop: Shop) -> int:
    manager = shop.volunteers.by_name("Sam Ortiz").id
    if shop.till.current_session() is None:
        shop.till.open_session(0, operator_id=manager)
    basket = Basket()
    product = next(p for p in shop.catalogue.all(active_only=True) if not p.pass_through and p.price_pence)
    shop.till.scan(basket, (product.barcodes or product.codes)[0])
    shop.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                            operator_id=manager)
    return basket.total_pence


def _pull(office, hub_url: str) -> None:
    copy = open_copy(copy_path(office.path))
    try:
        with psycopg.connect(hub_url) as conn:
            pull_copy(conn, copy, own=str(office.path), at=stamp(CLOCK()))
    finally:
        copy.close()


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_at_the_office_the_takings_are_every_tills_as_of_the_last_pull_with_the_late_ones_counted(tmp_path,
                                                                                                  hub_url):
    office, till2 = society(tmp_path, hub_url, tills=1)
    till = _shop(till2)
    taken = _sell(till)
    session = till.till.close_session(taken, operator_id=till.volunteers.by_name("Sam Ortiz").id)
    till.close()
    till2.sync()

    shop = _shop(office)
    app = create_app(shop, WebSettings(), SECRET)
    treasurer = client_for(app)
    sign_up(treasurer, app.app.state.web.access, shop.volunteers.by_name("Tomasz Nowicki"), "Tomasz Nowicki")
    sign_in(treasurer, "Tomasz Nowicki")
    before = _text(treasurer.get("/books/takings").text)
    assert "have not been gathered here yet" in before and "till-2" not in before  # no copy yet: said

    _pull(office, hub_url)
    for path in ["/books/takings", "/books/z", "/books/vat", "/books/shares", "/books/receipts"]:
        assert "Figures from every till as of 10:00." in treasurer.get(path).text, path
    text = _text(treasurer.get("/books/takings").text)
    assert f"Fri 20/11 till-2 Takings {format_pence(taken)}" in text  # the office's own books have none of it
    assert "arrived late" not in text
    zs = treasurer.get("/books/z").text
    copy = open_copy(copy_path(office.path), create=False)
    copied = copy.execute("select id from till_sessions where till_id = 'till-2' and z_number = ?",
                          [session.z_number]).fetchone()[0]
    day = CLOCK().date().isoformat()
    produced(copy, "z", day, day, stamp(CLOCK()))  # a consolidated Z covered today
    copy.close()
    drilled = _text(treasurer.get(f"/books/z/{copied}").text)
    assert f'href="/books/z/{copied}"' in zs and "till-2, 2026-11-20" in drilled
    assert f"Sale 1 Total {format_pence(taken)} Cash" in drilled

    # Another sale at till 2 for today reaches the copy after a report covered the day: it arrived late.
    till = _shop(till2)
    more = _sell(till)
    till.close()
    till2.sync()
    CLOCK.moment = datetime(2026, 11, 20, 10, 20, tzinfo=UTC)
    try:
        _pull(office, hub_url)
        text = _text(treasurer.get("/books/takings").text)
    finally:
        CLOCK.moment = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert "Figures from every till as of 10:20. 1 record from the tills arrived late at that pull" in text
    assert f"Fri 20/11 till-2 Takings {format_pence(taken + more)}" in text
    shop.close()
