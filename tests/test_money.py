import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import MAX_PENCE, MoneyError, format_pence, format_plain, parse_pence


@pytest.mark.parametrize("text, pence", [
    ("1.20", 120), ("£1.20", 120), ("£1,234.56", 123456), ("2", 200), (" 0.5 ", 50),
    (".5", 50), ("1.", 100), ("0", 0), ("£0.05", 5), ("1,000", 100000),
])
def test_parses_what_people_type(text, pence):
    assert parse_pence(text) == pence


@pytest.mark.parametrize("text, words", [
    ("1.234", "more than two figures"), ("abc", "not an amount"), ("1,23", "comma"),
    ("", "no amount"), ("£", "not an amount"), ("1e3", "not an amount"), ("-1", "negative"),
    ("nan", "not an amount"), ("2000000", "more than £1,000,000"), ("١٢", "not an amount"),
])
def test_refuses_what_is_not_money_with_a_reason(text, words):
    with pytest.raises(MoneyError, match=words):
        parse_pence(text)


def test_negative_only_when_asked():
    assert parse_pence("-£1.50", allow_negative=True) == -150


@pytest.mark.parametrize("pence, text", [
    (0, "£0.00"), (5, "£0.05"), (120, "£1.20"), (123456, "£1,234.56"), (-5, "-£0.05"),
    (100000000, "£1,000,000.00"),
])
def test_formats_in_one_place(pence, text):
    assert format_pence(pence) == text


def test_format_refuses_floats():
    with pytest.raises(TypeError):
        format_pence(1.2)  # type: ignore[arg-type]


@given(st.integers(min_value=-MAX_PENCE, max_value=MAX_PENCE))
def test_format_then_parse_round_trips(pence):
    assert parse_pence(format_pence(pence), allow_negative=True) == pence
    assert parse_pence(format_plain(pence), allow_negative=True) == pence


@given(st.text(max_size=20))
def test_any_text_parses_or_says_why(text):
    try:
        assert isinstance(parse_pence(text), int)
    except MoneyError as error:
        assert str(error)
