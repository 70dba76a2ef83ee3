"""Variable-measure barcodes: each layout, GS1's check digits, layouts refused at load, and the round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from inventory.barcodes import CodeError, check_digit
from inventory.variable_measure import Layout, Measure, decode, encode, stub, value_check_digit, weighed_price

PRICE_CHECKED = Layout(prefix="02", measure="price", item_digits=5, value_digits=4, value_check=True)
PRICE_FIVE = Layout(prefix="22", measure="price", item_digits=4, value_digits=5, value_check=True)
PRICE_PLAIN = Layout(prefix="20", measure="price", item_digits=5, value_digits=5)
WEIGHT = Layout(prefix="21", measure="weight", item_digits=5, value_digits=5)
WEIGHT_CHECKED = Layout(prefix="29", measure="weight", item_digits=4, value_digits=5, value_check=True)
LAYOUTS = [PRICE_CHECKED, PRICE_FIVE, PRICE_PLAIN, WEIGHT, WEIGHT_CHECKED]


def test_the_price_check_digits_are_gs1s_own_worked_examples():
    # GS1 General Specifications: 4-digit price 2875 has check digit 9; 5-digit price 14685 has 6.
    assert value_check_digit("2875") == 9
    assert value_check_digit("14685") == 6
    assert value_check_digit("0000") == value_check_digit("00000") == 0


def test_a_price_with_its_check_digit_reads_back_as_pence():
    code = encode(PRICE_CHECKED, "12345", 2875)
    assert code == "0212345" + "9" + "2875" + str(check_digit("021234592875"))
    assert decode(code, LAYOUTS) == (stub(PRICE_CHECKED, "12345"), Measure.price, 2875)
    five = encode(PRICE_FIVE, "0042", 14685)
    assert five[:12] == "22" + "0042" + "6" + "14685"
    assert decode(five, LAYOUTS).value == 14685


def test_a_weight_reads_back_as_grams():
    code = encode(WEIGHT, "00017", 254)
    assert code[:12] == "21" + "00017" + "00254"
    assert decode(code, LAYOUTS) == (stub(WEIGHT, "00017"), Measure.weight, 254)


def test_a_wrong_ean_check_digit_is_refused_not_misread():
    code = encode(PRICE_PLAIN, "12345", 350)
    bad = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(CodeError, match="wrong check digit"):
        decode(bad, LAYOUTS)


def test_a_price_that_does_not_match_its_check_digit_is_refused():
    code = encode(PRICE_CHECKED, "12345", 2875)
    # The price smudged from 2875 to 2876, with the EAN-13 check digit made right again: only the price's
    # own check digit can catch it.
    body = code[:8] + "2876"
    with pytest.raises(CodeError, match="does not match its check digit"):
        decode(body + str(check_digit(body)), LAYOUTS)


def test_codes_no_layout_names_are_left_for_the_catalogue():
    assert decode("5000000000012", LAYOUTS) is None
    assert decode("96385074", LAYOUTS) is None
    assert decode(encode(WEIGHT, "00017", 254), [PRICE_CHECKED]) is None


def test_the_stub_is_an_ordinary_ean13_with_a_value_of_nought():
    code = stub(WEIGHT_CHECKED, "0420")
    assert code[:12] == "29" + "0420" + "0" + "00000"
    assert check_digit(code[:-1]) == int(code[-1])


@pytest.mark.parametrize(("layout", "said"), [
    (dict(prefix="19", measure="price", item_digits=5, value_digits=5), "02 or 20 to 29"),
    (dict(prefix="02", measure="price", item_digits=5, value_digits=4), "make 9"),
    (dict(prefix="02", measure="weight", item_digits=5, value_digits=5, value_check=True), "make 11"),
    (dict(prefix="23", measure="price", item_digits=3, value_digits=6, value_check=True), "4 or 5 digits"),
    (dict(prefix="23", measure="volume", item_digits=5, value_digits=5), "price"),
    (dict(prefix="23", measure="price", item_digits=5, value_digits=5, check=True), "xtra"),
])
def test_a_layout_that_cannot_be_is_refused_in_words(layout, said):
    with pytest.raises(ValidationError, match=said):
        Layout(**layout)


def test_weighed_price_rounds_half_up_to_the_penny():
    assert weighed_price(254, 1200) == 305  # 304.8p
    assert weighed_price(125, 1000) == 125
    assert weighed_price(1, 500) == 1  # 0.5p rounds up
    assert weighed_price(1, 499) == 0  # 0.499p rounds down
    assert weighed_price(333, 1001) == 333  # 333.333p


@given(layout=st.sampled_from(LAYOUTS), data=st.data())
def test_every_value_round_trips_through_its_code(layout, data):
    item = data.draw(st.text("0123456789", min_size=layout.item_digits, max_size=layout.item_digits))
    value = data.draw(st.integers(0, layout.largest))
    code = encode(layout, item, value)
    assert len(code) == 13 and check_digit(code[:-1]) == int(code[-1])
    assert decode(code, LAYOUTS) == (stub(layout, item), layout.measure, value)


@given(grams=st.integers(1, 99_999), per_kg=st.integers(0, 10_000_000))
def test_weighed_price_is_the_nearest_penny_half_up(grams, per_kg):
    from fractions import Fraction

    exact = Fraction(grams * per_kg, 1000)
    price = weighed_price(grams, per_kg)
    assert price - Fraction(1, 2) <= exact < price + Fraction(1, 2)
