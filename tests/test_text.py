"""Names and details people type or import: the tricks a determined insider would try.

A second manager 'Sаm Ortiz' with a Cyrillic а, a name with a newline or a right-to-left
override, a CSV whose header names a column twice, NaN as a service id, an email that is not
one, a 100,000-character emergency contact."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from centre.directory import DirectoryError, parse_services
from coop.register import MemberDetails, Register, RegisterError
from core.clock import stamp
from core.errors import TillError
from core.text import TextError, clean_name, skeleton
from inventory.product_csv import ImportFailed, import_products
from inventory.products import Catalogue, ProductDetails
from tests.conftest import LONDON
from volunteers.people import Role, Volunteers

AT = stamp(datetime(2026, 1, 1, tzinfo=LONDON))
CYRILLIC_A = "\u0430"


@pytest.mark.parametrize("text, why", [
    ("Sam\nOrtiz", "one line"), ("Sam\x00Ortiz", "control character"), ("Sam\u202eztirO", "writing direction"),
    ("Sam\u200bOrtiz", "invisible"), ("Sam\u2066Ortiz", "writing direction"), ("Sam\tOrtiz", "control character"),
    ("x" * 81, "at most 80"), ("   ", "empty"),
])
def test_clean_name_refuses_what_no_name_needs(text, why):
    with pytest.raises(TextError, match=why):
        clean_name(text, 80)


def test_clean_name_keeps_real_names_in_one_form():
    assert clean_name("  Zoe\u0308 O\u2019Brien ", 80) == "Zoë O\u2019Brien"  # NFC: one ë, not e + ¨
    assert clean_name("Siobhán Nguyễn-Łukasz", 80) == "Siobhán Nguyễn-Łukasz"
    assert skeleton(f"S{CYRILLIC_A}m Ortiz") == skeleton("Sam Ortiz") == skeleton("SAM ORTIZ")
    assert skeleton("Sam Ortiz") != skeleton("Sam Ortega")


def test_a_look_alike_manager_cannot_be_added(db):
    volunteers = Volunteers(db)
    volunteers.add("Sam Ortiz", Role.manager, at=AT)
    with pytest.raises(TillError, match="looks the same as 'Sam Ortiz'"):
        volunteers.add(f"S{CYRILLIC_A}m Ortiz", Role.manager, at=AT)
    with pytest.raises(TillError, match="already on the till"):
        volunteers.add("Sam Ortiz", Role.volunteer, at=AT)
    with pytest.raises(TillError, match="writing direction"):
        volunteers.add("Sam \u202eOrtiz", Role.volunteer, at=AT)
    assert [v.name for v in volunteers.all()] == ["Sam Ortiz"]


def test_an_emergency_contact_is_bounded_and_clean(db):
    volunteers = Volunteers(db)
    val = volunteers.add("Val Test", Role.volunteer, at=AT)
    with pytest.raises(TillError, match="at most 200"):
        volunteers.update(val.id, emergency_contact="x" * 100_000)
    with pytest.raises(TillError, match="control character"):
        volunteers.update(val.id, emergency_contact="Mum\x00 07700 900000")
    volunteers.update(val.id, emergency_contact="Mum\n07700 900000")
    assert volunteers.profile(val.id)["emergency_contact"] == "Mum\n07700 900000"


@pytest.mark.parametrize("fields, why", [
    ({"name": "Ada\nExample"}, "the name must be on one line"),
    ({"name": "Ada\u200dExample"}, "invisible"),
    ({"address": "1 Green Walk\x00"}, "control character"),
    ({"email": "not an email", "email_purpose": "AGM"}, "is not an email address"),
    ({"phone": "call me maybe", "phone_purpose": "rota"}, "is not a phone number"),
    ({"phone": "1" * 40, "phone_purpose": "rota"}, "at most 30"),
])
def test_member_details_are_checked(fields, why):
    with pytest.raises(RegisterError, match=why):
        MemberDetails.checked(**{"name": "Ada Example", "address": "1 Green Walk", **fields})


def test_a_look_alike_member_name_is_found_for_a_warning(db):
    register = Register(db)
    ada = register.admit(MemberDetails(name="Ada Example", address="1 Green Walk"), on=date(2026, 1, 1), at=AT,
                         by="Sam")
    assert register.look_alike(f"Ad{CYRILLIC_A} Example").number == ada.number
    assert register.look_alike("Ada Example") is None  # the very same name: two real people may share it
    assert register.look_alike("Bo Example") is None
    details = MemberDetails.checked(name="Ada Example", address="1 Green Walk\n  Leeds ", email="ada@example.org",
                                    email_purpose="AGM", phone="+44 (0)7700 900000", phone_purpose="rota")
    assert details.address == "1 Green Walk\nLeeds"


def test_a_product_name_is_one_clean_line(db):
    with pytest.raises(ValueError, match="one line"):
        ProductDetails(name="Tea\nFREE")
    with pytest.raises(ValueError, match="writing direction"):
        ProductDetails(name="Tea \u202e05.0£")
    assert ProductDetails(name="Cafe\u0301 au lait").name == "Café au lait"
    assert Catalogue(db).all() == []


def test_a_csv_header_naming_a_column_twice_is_refused(db):
    data = b"name,category,price,price\nTea,Hot drinks,1.20,0.01\n"
    with pytest.raises(ImportFailed) as raised:
        import_products(db, data, at=AT)
    assert "line 1" in str(raised.value) and "price" in str(raised.value) and "twice" in str(raised.value)
    assert Catalogue(db).all() == []


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_or_infinity_as_a_service_id_is_refused(constant):
    data = f'[{{"id": {constant}, "name": "A", "status": "active"}}]'.encode()
    with pytest.raises(DirectoryError, match=f"holds {constant}"):
        parse_services([("bad.json", data)])
