"""The year end page at the office of a real PostgreSQL hub reads what `till year-end` reads there
(pos/vat_turnover.py `society_books`): nothing until the office has pulled a consolidated copy, said in a
sentence, then every till's figures, the page "as of" that pull and its downloads what the command writes from
that copy (pos/year_end_text.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.money import format_pence
from pos.config import Settings, WebSettings
from pos.consolidated import copy_path, open_copy
from pos.shop import Shop
from pos.web.app import create_app
from pos.year_end import year_end
from pos.year_end_text import render
from tests.hub.shared_tills import society
from tests.hub.test_web_takings import CLOCK, _pull, _sell, _text
from tests.web.conftest import SECRET, client_for, sign_in, sign_up

LAST = datetime(2026, 11, 20, tzinfo=UTC).date()
QUERY = f"?year_ending={LAST.isoformat()}"


def test_at_the_office_the_year_end_is_every_tills_from_the_consolidated_copy_as_the_command_reads_it(
        tmp_path, hub_url):
    office, till2 = society(tmp_path, hub_url, tills=1)
    till = Shop.open(Settings(db=till2.path, till_id=till2.name), clock=CLOCK)
    taken = _sell(till)
    till.close()
    till2.sync()

    shop = Shop.open(Settings(db=office.path, till_id=office.name), clock=CLOCK)
    try:
        app = create_app(shop, WebSettings(), SECRET)
        treasurer = client_for(app)
        sign_up(treasurer, app.app.state.web.access, shop.volunteers.by_name("Tomasz Nowicki"), "Tomasz Nowicki")
        sign_in(treasurer, "Tomasz Nowicki")
        before = treasurer.get("/books/year-end" + QUERY)
        assert "The office has no consolidated copy of every till&#39;s sales yet" in before.text
        assert "<caption>" not in before.text  # no figures from the office's own file, which lacks till 2's sales
        refused = treasurer.get("/books/year-end.csv" + QUERY)
        assert refused.headers["content-type"].startswith("text/html") and "no consolidated copy" in refused.text

        _pull(office, hub_url)
        page = treasurer.get("/books/year-end" + QUERY)
        copy = open_copy(copy_path(office.path), create=False)
        try:
            found = year_end(copy, shop.settings, LAST)
        finally:
            copy.close()
        assert found.trading.takings_pence >= taken  # till 2's sale, which the office's own file has not
        own = year_end(shop.db, shop.settings, LAST).trading.takings_pence
        assert own != found.trading.takings_pence
        text = _text(page.text)
        assert "Figures from every till as of 10:00." in text
        assert f"Trading Takings {format_pence(found.trading.takings_pence)} " in text
        download = treasurer.get("/books/year-end.csv" + QUERY)
        assert download.text == render(found, "csv")

        assert treasurer.get("/books/year-end.json" + QUERY).text == render(found, "json")
    finally:
        shop.close()
