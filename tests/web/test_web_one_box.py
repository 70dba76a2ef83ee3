"""On one box (no hub) the web reads the till's own books and says nothing of a copy."""

from __future__ import annotations

from pos.web_books import WebBooks
from tests.web.conftest import sign_in


def test_on_one_box_the_statement_says_nothing_of_a_copy(shop, client, member_a):
    sign_in(client, member_a.number)
    page = client.get("/statement").text
    assert "Purchases this year" in page and "Figures from every till" not in page and "gathered" not in page
    assert WebBooks(shop).as_of() is None and WebBooks(shop).membership is shop.membership
