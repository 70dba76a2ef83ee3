"""The treasurer's and the board's pages with a hub, on a real PostgreSQL hub: a price changed on the office's
web is a new price record journaled at the office that reaches a till at its next round, and the volunteers'
hours at the office count the shifts given at every till, as of the copy's last pull, which every signed-in
page says (the catalogue too, not only the personal pages)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from pos.config import WebSettings
from pos.web.app import create_app
from tests.hub.shared_tills import society
from tests.hub.test_web_office import CLOCK, _pull_the_copy, _shop
from tests.web.conftest import SECRET, client_for, csrf, sign_in, sign_up
from volunteers.shifts import as_hours


def _signed_in(app, shop, name: str):
    client = client_for(app)
    sign_up(client, app.app.state.web.access, shop.volunteers.by_name(name), name)
    sign_in(client, name)
    return client


def test_a_price_changed_on_the_offices_web_reaches_a_till(tmp_path, hub_url):
    office, till2 = society(tmp_path, hub_url, tills=1)
    shop = _shop(office)
    app = create_app(shop, WebSettings(), SECRET)
    tomasz = _signed_in(app, shop, "Tomasz Nowicki")  # a shift lead and the treasurer
    product = next(p for p in shop.catalogue.all(active_only=True) if not p.pass_through and p.price_pence)
    new = product.price_pence + 25
    asked = tomasz.post(f"/catalogue/{product.id}/price",
                        data={"csrf": csrf(tomasz.get(f"/catalogue/{product.id}").text), "price": f"{new / 100:.2f}"})
    assert asked.status_code == 200
    done = tomasz.post(f"/catalogue/{product.id}/price/confirm",
                       data={"csrf": csrf(asked.text), "price": f"{new / 100:.2f}", "was": str(product.price_pence)})
    assert done.status_code == 303
    price_id = shop.db.execute("select id from prices where product_id = ? order by created_at desc, id desc limit 1",
                               [product.id]).fetchone()[0]
    assert price_id < 2_000_000_000  # made at the office, in its own block
    shop.close()
    office.sync()
    till2.sync()
    till = _shop(till2)
    assert till.catalogue.get(product.id).price_pence == new
    assert till.db.execute("select count(*) from prices where id = ?", [price_id]).fetchone()[0] == 1
    till.close()
    for node in (office, till2):
        assert node.verified() == [], node.name


def test_the_board_reads_every_tills_hours_at_the_office_as_of_the_last_pull(tmp_path, hub_url):
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

    shop = _shop(office)
    app = create_app(shop, WebSettings(), SECRET)
    sam = _signed_in(app, shop, "Sam Ortiz")  # a manager and a board member
    assert "have not been gathered here yet" in sam.get("/catalogue").text  # no copy yet: said on every page
    _pull_the_copy(office, hub_url)
    own = sum(row.minutes for row in shop.till.shifts.hours(date(2026, 11, 1), date(2026, 11, 30), volunteer_id=jo))
    page = sam.get("/team/hours").text
    assert "Figures from every till as of 10:00." in page
    row = re.search(r'<td data-label="Volunteer">Jo Beckford</td><td data-label="Month">2026-11</td>.*?'
                    r'<td data-label="Hours">([0-9:]+)', page, re.S)
    assert row and row.group(1) == as_hours(own + 90)  # the office's own shifts and till 2's 1:30
    for path in ("/catalogue", "/team/training", "/team/rota", "/"):
        assert "Figures from every till as of 10:00." in sam.get(path).text, path
    shop.close()
