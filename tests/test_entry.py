"""The entry box's text read as the till reads it: products, quick keys, quantities, members, receipts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.entry import MemberRef, QuickKey, ReceiptRef, Scan, parse_entry, wants_live_search


@pytest.mark.parametrize(("text", "expected"), [
    ("", None),
    ("   ", None),
    ("5000157024671", Scan("5000157024671")),
    ("  T1 ", Scan("T1")),
    ("oat milk", Scan("oat milk")),
    ("3*T1", Scan("T1", 3)),
    ("3 * T1", Scan("T1", 3)),
    ("12x5000157024671", Scan("5000157024671", 12)),
    ("2X beans", Scan("beans", 2)),
    ("3*", Scan("3*")),  # nothing to count: looked up as it is, and not found
    ("1234567*T1", Scan("1234567*T1")),  # a quantity has at most six digits
    ("0*T1", Scan("T1", 0)),  # the basket refuses it, in its own words
    ("4", QuickKey(4)),
    ("2*7", QuickKey(7, 2)),
    ("0", Scan("0")),
    ("12", Scan("12")),
    ("M0001", MemberRef("M0001")),
    ("m0001", MemberRef("m0001")),
    ("2*M0001", MemberRef("M0001", 2)),
    ("M001", Scan("M001")),  # too short for a member number
    ("MEMBER:abc123", MemberRef("MEMBER:abc123")),
    ("member:abc123", MemberRef("member:abc123")),
    ("MEMBER:", MemberRef("MEMBER:")),
    ("till-1/2721", ReceiptRef("till-1/2721")),
    (" till-2/5 ", ReceiptRef("till-2/5")),
    ("3*till-1/5", Scan("till-1/5", 3)),
    ("till 1/5", Scan("till 1/5")),
])
def test_what_the_entry_box_means(text, expected):
    assert parse_entry(text) == expected


def test_a_card_proves_the_member_is_here_a_number_does_not():
    assert MemberRef("MEMBER:abc").by_card and MemberRef("member:abc").by_card
    assert not MemberRef("M0001").by_card


def test_only_digits_are_a_barcode():
    assert Scan("5000157024671").is_barcode
    assert not Scan("T1").is_barcode


@pytest.mark.parametrize(("text", "searched"), [
    ("oat", True),
    ("  oa ", True),
    ("o", False),
    ("5000157024671", False),
    ("3*oat", False),
    ("till-1/5", False),
    ("M0001", True),
    ("T1", True),
])
def test_live_results_only_for_words(text, searched):
    assert wants_live_search(text) is searched


@given(st.text())
def test_any_text_is_read_without_raising(text):
    entry = parse_entry(text)
    wants_live_search(text)
    if entry is None:
        assert not text.strip()
    elif isinstance(entry, ReceiptRef):
        assert entry.reference == text.strip()
    else:
        assert entry.quantity >= 0
        assert (entry.code if not isinstance(entry, QuickKey) else str(entry.number)).strip()
