import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.basket import MAX_QUANTITY, Basket, BasketError


def test_same_product_joins_its_line(products):
    basket = Basket()
    basket.add(products["tea"])
    basket.add(products["tea"], 2)
    basket.add(products["cake"])
    assert [(line.name, line.quantity) for line in basket.lines] == [("Tea", 3), ("Slice of cake", 1)]
    assert basket.total_pence == 3 * 120 + 180


def test_quantity_limits_leave_the_basket_untouched(products):
    basket = Basket()
    basket.add(products["tea"])
    for bad in (0, -1, MAX_QUANTITY + 1):
        with pytest.raises(BasketError):
            basket.set_quantity(0, bad)
    with pytest.raises(BasketError, match="more than the till allows"):
        basket.add(products["tea"], 5000)
    assert basket.lines[0].quantity == 1


def test_remove_line_and_bad_index(products):
    basket = Basket()
    basket.add(products["tea"])
    with pytest.raises(BasketError):
        basket.remove(3)
    basket.remove(0)
    assert basket.is_empty


def test_line_discount_needs_reason_and_cannot_exceed_line(products):
    basket = Basket()
    basket.add(products["cake"])
    with pytest.raises(BasketError, match="say why"):
        basket.discount_line(0, 50, "")
    with pytest.raises(BasketError, match="more than the line costs"):
        basket.discount_line(0, 181, "damaged")
    basket.discount_line(0, 50, "damaged")
    assert basket.total_pence == 130
    basket.discount_percent(0, 10, "volunteer")
    assert basket.total_pence == 180 - 18


def test_basket_discount_is_shared_over_lines_to_the_penny(products):
    basket = Basket()
    basket.add(products["tea"])
    basket.add(products["cake"])
    basket.add(products["beans"])
    basket.discount_all(100, "loyalty")
    shares = basket.line_totals()
    assert sum(total for _, total in shares) == basket.total_pence == 395 - 100
    assert sum(discount for discount, _ in shares) == 100


def test_removing_a_line_shrinks_a_volunteers_discount_with_the_basket(products):
    basket = Basket()
    basket.add(products["tea"])
    basket.add(products["cake"])
    basket.discount_all(250, "goodwill")  # 250 of 300
    basket.remove(1)
    assert basket.discount_pence == 250 * 120 // 300 and basket.total_pence == 20


def test_removing_a_line_cannot_leave_an_approved_discount_larger_than_the_basket(products):
    basket = Basket()
    basket.add(products["tea"])
    basket.add(products["cake"], 2)
    basket.discount_line(1, 300, "dropped", approved_by=1)
    basket.discount_all(150, "goodwill", approved_by=1)
    with pytest.raises(BasketError, match="basket discount first"):
        basket.remove(1)
    with pytest.raises(BasketError, match="cost less than its discount"):
        basket.set_quantity(1, 1)
    assert [(line.quantity, line.discount_pence) for line in basket.lines] == [(1, 0), (2, 300)]
    assert basket.discount_pence == 150 and basket.total_pence == 480 - 300 - 150


def test_healthy_start_subtotal(products):
    basket = Basket()
    basket.add(products["milk"], 2)
    basket.add(products["crisps"])
    assert basket.healthy_start_pence == 290


def test_retired_products_cannot_be_sold(products):
    retired = products["tea"].model_copy(update={"active": False})
    with pytest.raises(BasketError, match="no longer sold"):
        Basket().add(retired)


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 50)), min_size=1, max_size=6), st.integers(0, 100))
def test_line_totals_always_sum_to_the_basket_total(specs, percent):
    from inventory.products import Product

    basket = Basket()
    for index, (quantity, price) in enumerate(specs):
        basket.add(Product(id=index + 1, name=f"p{index}", price_pence=price), quantity)
    basket.discount_all(basket.subtotal_pence * percent // 100, "test")
    totals = basket.line_totals()
    assert sum(t for _, t in totals) == basket.total_pence
    assert all(t >= 0 for _, t in totals)
