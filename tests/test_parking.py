"""Parking a basket under a name a volunteer will recognise ("table 4", "Amira's"), or none."""

import pytest

from core.errors import TillError
from pos.basket import Basket


def a_basket(till) -> Basket:
    basket = Basket()
    till.scan(basket, "T1")
    return basket


def test_a_parked_basket_keeps_its_name_tidied_and_an_unnamed_one_has_none(till, staff):
    till.park(a_basket(till), operator_id=staff["volunteer"].id, label="  table   4 ")
    till.park(a_basket(till), operator_id=staff["volunteer"].id, label="Amira's")
    till.park(a_basket(till), operator_id=staff["volunteer"].id)
    assert [p.label for p in till.parked()] == ["table 4", "Amira's", None]


def test_a_name_too_long_for_the_list_is_refused_and_nothing_is_parked(till, staff):
    basket = a_basket(till)
    with pytest.raises(TillError, match="at most 30 characters"):
        till.park(basket, operator_id=staff["volunteer"].id, label="x" * 31)
    assert till.parked() == [] and not basket.is_empty
