"""The web back office with a hub, on a real PostgreSQL hub: at the office it reads a member's figures from
the consolidated copy of every till's records and says how fresh they are ("as of 10:00", and how many
records that pull brought late); what is done on the web is written to the office's own books and goes up
with the office's push; at a till that is not the office it will not start."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import psycopg
import pytest

from coop.register import MemberDetails
from core.clock import SimulatedClock, stamp
from core.errors import TillError
from core.money import format_pence
from hub import local
from hub.office import produced
from hub.office import pull as pull_copy
from pos.basket import Basket
from pos.cli import main
from pos.config import Settings, WebSettings
from pos.consolidated import copy_path, open_copy
from pos.shop import Shop
from pos.tenders import Tender, TenderKind
from pos.web.app import create_app
from tests.hub.shared_tills import society
from tests.web.conftest import SECRET, client_for, sign_in, sign_up
from volunteers.offers import Offers

# A Friday morning in November (London is on UTC): the copy is pulled "as of 10:00".
CLOCK = SimulatedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


def _shop(node) -> Shop:
    return Shop.open(Settings(db=node.path, till_id=node.name), clock=CLOCK)


def _sell_to(shop: Shop, member) -> int:
    """A cash sale to `member` at this till: its total."""
    manager = shop.volunteers.by_name("Sam Ortiz").id
    if shop.till.current_session() is None:
        shop.till.open_session(0, operator_id=manager)
    basket = Basket()
    product = next(p for p in shop.catalogue.all(active_only=True) if not p.pass_through and p.price_pence)
    shop.till.scan(basket, (product.barcodes or product.codes)[0])
    shop.membership.attach(basket, member)
    shop.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                            operator_id=manager)
    return basket.total_pence


def _pull_the_copy(office, hub_url: str) -> None:  # noqa: F811
    """`till office pull`: every till's records into the office's consolidated copy."""
    copy = open_copy(copy_path(office.path))
    try:
        with psycopg.connect(hub_url) as conn:
            pull_copy(conn, copy, own=str(office.path), at=stamp(CLOCK()))
    finally:
        copy.close()


def _purchases(page: str) -> str:
    return re.search(r"Purchases this year</th><td>([^<]+)<", page).group(1)


def test_at_the_office_a_members_statement_counts_every_tills_sales_as_of_the_last_pull(tmp_path, hub_url):  # noqa: F811
    office, till2 = society(tmp_path, hub_url, tills=1)
    shop = _shop(till2)
    shop.till.open_session(0, operator_id=shop.volunteers.by_name("Sam Ortiz").id)
    member = shop.membership.join(MemberDetails.checked(name="Ada Able", address="1 High St"), 5,
                                  operator_id=shop.volunteers.by_name("Sam Ortiz").id)
    spent = _sell_to(shop, member)
    shop.close()
    till2.sync()
    office.sync()  # the member, shared; the sale stays till 2's

    shop = _shop(office)
    client = client_for(create_app(shop, WebSettings(), SECRET))
    access = create_app(shop, WebSettings(), SECRET).app.state.web.access
    sign_up(client, access, shop.membership.register.get(member.id), member.number)
    sign_in(client, member.number)
    page = client.get("/statement").text
    assert "have not been gathered here yet" in page and _purchases(page) == format_pence(0)  # no copy yet: said

    _pull_the_copy(office, hub_url)
    page = client.get("/statement").text
    assert "Figures from every till as of 10:00." in page and "arrived late" not in page
    assert _purchases(page) == format_pence(spent)  # till 2's sale, which the office's own books have not got
    assert shop.membership.statement(shop.membership.register.get(member.id)).purchases_this_year_pence == 0

    # A consolidated report covers today; then another sale for today reaches the copy: it arrived late.
    copy = open_copy(copy_path(office.path))
    day = CLOCK().date().isoformat()
    produced(copy, "z", day, day, stamp(CLOCK()))
    copy.close()
    till = _shop(till2)
    spent += _sell_to(till, till.membership.register.get(member.id))
    till.close()
    till2.sync()
    CLOCK.moment = datetime(2026, 11, 20, 10, 20, tzinfo=UTC)  # within the session's idle time
    try:
        _pull_the_copy(office, hub_url)
        page = client.get("/statement").text
    finally:
        CLOCK.moment = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert ("Figures from every till as of 10:20. 1 record from the tills arrived late at that pull, for days "
            "already reported; they are counted in their own days.") in page
    assert _purchases(page) == format_pence(spent)
    shop.close()


def test_what_is_done_on_the_offices_web_is_in_its_own_books_and_goes_up_with_its_push(tmp_path, hub_url):  # noqa: F811
    office, till2 = society(tmp_path, hub_url, tills=1)
    shop = _shop(office)
    web = create_app(shop, WebSettings(), SECRET).app.state.web
    assert web.books.on_hub and web.books.shop is shop
    manager = shop.volunteers.by_name("Sam Ortiz").id
    slot = shop.rota.add_slot("tue", "09:00", "13:00", needed=1, label="Tuesday café", operator_id=manager)
    waiting = local.waiting(shop.db)
    # What the web's offer page does: on the books the web writes to.
    offer = Offers(web.shop.till).offer(slot.id, CLOCK().date().replace(day=24),
                                        volunteer_id=shop.volunteers.by_name("Jo Beckford").id)
    assert local.waiting(shop.db) > waiting  # journaled, waiting for the office's push
    shop.close()
    office.sync()
    till2.sync()
    till = _shop(till2)
    assert [o.id for o in Offers(till.till).waiting()] == [offer.id]
    till.close()


def test_a_volunteers_page_at_the_office_has_their_hours_at_a_till_and_the_offer_they_just_made(tmp_path,
                                                                                                   hub_url):  # noqa: F811
    office, till2 = society(tmp_path, hub_url, tills=1)
    till = _shop(till2)
    jo = till.volunteers.by_name("Jo Beckford").id
    CLOCK.moment = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    try:
        till.till.start_shift(jo)
    finally:
        CLOCK.moment = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    till.till.sign_out(jo)
    till.close()
    till2.sync()
    _pull_the_copy(office, hub_url)

    shop = _shop(office)
    books = create_app(shop, WebSettings(), SECRET).app.state.web.books
    slot = shop.rota.add_slot("tue", "09:00", "13:00", needed=1, label="Tuesday café",
                              operator_id=shop.volunteers.by_name("Sam Ortiz").id)
    offer = Offers(books.shop.till).offer(slot.id, CLOCK().date().replace(day=24), volunteer_id=jo)
    day = CLOCK().date()
    page = books.volunteer(jo, viewer_id=jo, first=day, last=day)
    assert (page.minutes, [o.id for o in page.offers]) == (90, [offer.id])
    from volunteers.summary import summary

    assert summary(shop.till, shop.till.time_credits, jo, viewer_id=jo, first=day, last=day).minutes == 0
    shop.close()


def test_at_a_till_that_is_not_the_office_the_web_will_not_start(tmp_path, hub_url, capsys, monkeypatch):  # noqa: F811
    office, till2 = society(tmp_path, hub_url, tills=1)
    shop = _shop(till2)
    with pytest.raises(TillError, match="the web back office belongs at the office"):
        create_app(shop, WebSettings(), SECRET)
    shop.close()

    def never(*args, **kwargs):
        raise AssertionError("the web started at a till")

    monkeypatch.setattr("pos.web.server.serve", never)
    assert main(["--db", str(till2.path), "web"]) == 1
    _, err = capsys.readouterr()
    assert "the web back office belongs at the office" in err and "this is till 2 of the hub" in err
    assert "web back office is at" not in err
