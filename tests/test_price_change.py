"""A price changed from the back office (pos/pricing.py): a new price record, never an edited one, by someone
whose roles may, confirmed against the price they saw, and in the audit log with who changed it."""

from __future__ import annotations

import pytest

from core.errors import TillError
from inventory.listing import listing
from inventory.stock import Stock
from pos.pricing import change_price, proposed
from volunteers.people import Role
from volunteers.permissions import NotAllowed

AT = "2026-01-01T00:00:00+00:00"


def _prices(db) -> list[tuple]:
    return db.execute("select id, product_id, price_pence, created_at from prices order by id").fetchall()


def test_a_treasurer_changes_a_price_as_a_new_record_and_it_is_audited(till, products):
    tom = till.volunteers.add("Tomasz Nowicki", {Role.shift_lead, Role.treasurer}, at=AT)
    before = _prices(till.db)
    shown = proposed(till.catalogue, products["milk"].id, "£1.55")
    assert (shown.name, shown.old, shown.new) == ("Milk 2 pints", "£1.45", "£1.55")
    assert _prices(till.db) == before  # proposing changes nothing
    done = change_price(till, products["milk"].id, "1.55", was_pence=145, operator_id=tom.id)
    assert done == shown
    after = _prices(till.db)
    assert after[: len(before)] == before and len(after) == len(before) + 1  # the old row is untouched
    assert till.catalogue.get(products["milk"].id).price_pence == 155
    assert till.catalogue.price_history(products["milk"].id)[-1] == (till.now(), 155)
    assert till.db.execute("select action, operator_id, detail from audit_log where action = 'change_price'"
                           ).fetchall() == [("change_price", tom.id, "Milk 2 pints: £1.45 to £1.55")]


@pytest.mark.parametrize("typed, says", [("£1.2.3", "not an amount of money"), ("-1", "is negative"),
                                         ("9999999", "more than £1,000,000"), ("", "no amount was given"),
                                         ("1.45", "Milk 2 pints is £1.45 already"), ("2.005", "two figures")])
def test_a_bad_price_is_a_sentence_and_changes_nothing(till, products, staff, typed, says):
    before = _prices(till.db)
    with pytest.raises(TillError, match=says):
        change_price(till, products["milk"].id, typed, was_pence=145, operator_id=staff["manager"].id)
    assert _prices(till.db) == before


def test_a_price_over_the_products_limit_is_refused(till, products, staff):
    with pytest.raises(TillError, match="more than a product's price may be"):
        proposed(till.catalogue, products["milk"].id, "£999,999.99")


def test_a_volunteer_may_not_change_a_price_even_by_calling_the_core(till, products, staff):
    before = _prices(till.db)
    with pytest.raises(NotAllowed, match="Changing a price in the catalogue needs a shift lead, a manager or a "
                                         "treasurer; Val Test is a volunteer"):
        change_price(till, products["milk"].id, "1.55", was_pence=145, operator_id=staff["volunteer"].id)
    assert _prices(till.db) == before


def test_a_price_changed_by_someone_else_meanwhile_is_not_overwritten(till, products, staff):
    boss = staff["manager"].id
    change_price(till, products["tea"].id, "1.30", was_pence=120, operator_id=boss)
    with pytest.raises(TillError, match="has changed to £1.30 since you looked"):
        change_price(till, products["tea"].id, "1.40", was_pence=120, operator_id=boss)
    assert till.catalogue.get(products["tea"].id).price_pence == 130


def test_no_such_product_and_a_retired_one(till, products, staff):
    with pytest.raises(TillError, match="There is no product number 999999"):
        proposed(till.catalogue, 999999, "1.00")
    till.catalogue.retire(products["crisps"].id)
    with pytest.raises(TillError, match="Crisps is not on sale any more"):
        proposed(till.catalogue, products["crisps"].id, "1.00")


def test_the_listing_groups_by_category_with_stock_where_tracked_and_finds_by_name_or_code(till, products):
    Stock(till.db).goods_in(products["beans"].id, 12, at=AT)
    shelves = listing(till.catalogue, Stock(till.db))
    assert [s.category for s in shelves] == ["Cakes", "Cupboard", "Dairy", "Hot drinks", "Services", "Treats"]
    lines = {line.product.name: line for shelf in shelves for line in shelf.lines}
    assert lines["Baked beans"].on_hand == 12 and lines["Milk 2 pints"].on_hand == 0
    assert lines["Tea"].on_hand is None  # not tracked: no count to show
    assert [line.product.name for s in listing(till.catalogue, Stock(till.db), "bean") for line in s.lines] == [
        "Baked beans"]
    assert [line.product.name for s in listing(till.catalogue, Stock(till.db), " T1 ") for line in s.lines] == [
        "Tea"]
    assert listing(till.catalogue, Stock(till.db), "zzz") == []
    till.catalogue.retire(products["crisps"].id)
    assert "Treats" not in [s.category for s in listing(till.catalogue, Stock(till.db))]
