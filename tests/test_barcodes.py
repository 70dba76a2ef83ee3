import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.barcodes import CodeError, check_digit, normalise_barcode, normalise_plu, with_check_digit


@pytest.mark.parametrize("code, stored", [
    ("5000112637922", "5000112637922"),  # EAN-13
    ("96385074", "96385074"),            # EAN-8
    ("036000291452", "0036000291452"),   # UPC-A is stored as its EAN-13 form
    ("0036000291452", "0036000291452"),
])
def test_valid_barcodes(code, stored):
    assert normalise_barcode(code) == stored


@pytest.mark.parametrize("code, words", [
    ("5000112637923", "wrong check digit"), ("96385075", "wrong check digit"),
    ("036000291453", "wrong check digit"), ("12345", "has 5 digits"), ("50001126379A2", "digits only"),
])
def test_invalid_barcodes_say_why(code, words):
    with pytest.raises(CodeError, match=words):
        normalise_barcode(code)


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@given(st.sampled_from([7, 11, 12]).flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)))
def test_a_correct_check_digit_is_always_accepted(body):
    assert normalise_barcode(with_check_digit(body)).endswith(with_check_digit(body))


@given(st.sampled_from([7, 11, 12]).flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)),
       st.data())
def test_any_single_digit_error_is_caught(body, data):
    code = with_check_digit(body)
    position = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    with pytest.raises(CodeError):
        normalise_barcode(code[:position] + wrong + code[position + 1:])


def test_check_digit_known_value():
    assert check_digit("500011263792") == 2


def test_plu_codes():
    assert normalise_plu(" t1 ") == "T1"
    with pytest.raises(CodeError, match="1 to 6 letters or digits"):
        normalise_plu("TOOLONG1")
    with pytest.raises(CodeError):
        normalise_plu("T-1")


@given(st.text(max_size=20))
def test_any_scanner_input_is_accepted_or_refused_cleanly(text):
    try:
        normalise_barcode(text)
    except CodeError as error:
        assert str(error)
