"""Importing the service directory from Open Referral UK JSON and the HSDS CSV layout."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centre.directory import Directory, DirectoryError, parse_services, read_services

DATA = Path(__file__).parent / "data" / "oruk"
SHARED = DATA / "service_full.json"
AT = "2026-11-20T10:00:00.000000Z"


def load(*names):
    return [(name, (DATA / name).read_bytes()) for name in names]


def test_a_services_page_and_a_csv_import_and_only_active_ones_are_offered(db):
    directory = Directory(db)
    summary = directory.import_services(parse_services(load("page.json", "services.csv")), directory="green-lane",
                                        at=AT)
    assert (summary.created, summary.updated, summary.retired) == (7, 0, 0)
    offered = [s.name for s in directory.offered()]
    assert offered == ["Citizens Advice, Green Lane", "Estate Credit Union", "Food bank", "Health visitor drop-in",
                       "Stay and play"]
    assert [s.name for s in directory.offered("stay")] == ["Stay and play"]
    assert [s.name for s in directory.offered("children's centre")] == ["Stay and play"]  # by organisation too


def test_reimport_updates_by_id_and_retires_what_disappeared(db):
    directory = Directory(db)
    directory.import_services(parse_services(load("page.json")), directory="green-lane", at=AT)
    page = json.loads((DATA / "page.json").read_text())
    page["contents"] = page["contents"][:2]
    page["contents"][1]["name"] = "Stay and play (Tuesdays)"
    summary = directory.import_services(parse_services([("p.json", json.dumps(page).encode())]),
                                        directory="green-lane", at=AT)
    assert (summary.created, summary.updated, summary.unchanged, summary.retired) == (0, 1, 1, 2)
    assert [s.name for s in directory.offered()] == ["Health visitor drop-in", "Stay and play (Tuesdays)"]
    retired = [s for s in directory.all() if s.retired]
    assert {s.name for s in retired} == {"Estate Credit Union", "Toy library"}  # kept, not deleted


def test_the_standards_own_full_example_and_a_bare_list(db):
    records = parse_services([("service_full.json", SHARED.read_bytes())])
    assert records[0].name == "Community Counselling" and records[0].organization_name == "Example Organization Inc."
    listed = parse_services([("list.json", json.dumps([json.loads(SHARED.read_text())]).encode())])
    assert listed == records


@pytest.mark.parametrize("name, data, expected", [
    ("bad.json", b'{"contents": [{"id": "a", "name": "A", "status": "active"}, {"name": "B", "status": "active"}]}',
     "bad.json item 2, id: is missing"),
    ("bad.json", b'{"contents": [{"id": "a", "name": "A", "status": "open"}]}', "status: 'open' is not one of"),
    ("bad.json", b'{"contents": [{"id": "a", "name": "A",', "bad.json line 1: not valid JSON"),
    ("bad.json", b'{"services": []}', "not an Open Referral UK services page"),
    ("bad.json", b'[{"id": "a", "name": "A", "status": "active"}, {"id": "a", "name": "B", "status": "active"}]',
     "service id a appears 2 times"),
    ("bad.csv", b"id,title,status\nx,Y,active\n", "line 1: the header needs the columns id, name and status"),
    ("bad.csv", b"id,name,status\nx,Y,active\n,Z,active\n", "bad.csv line 3, id: is missing"),
    ("bad.csv", b"\xff\xfe", "is not UTF-8"),
    ("bad.json", b'{"contents": [{"id": {"x": 1}, "name": "A", "status": "active"}]}', "id: is not text"),
])
def test_malformed_files_say_where_and_why_and_change_nothing(db, name, data, expected):
    directory = Directory(db)
    directory.import_services(parse_services(load("page.json")), directory="green-lane", at=AT)
    before = [(s.name, s.retired) for s in directory.all()]
    with pytest.raises(DirectoryError) as raised:
        directory.import_services(parse_services(load("services.csv") + [(name, data)]), directory="green-lane",
                                  at=AT)
    assert expected in str(raised.value)
    assert [(s.name, s.retired) for s in directory.all()] == before


def test_api_v1_and_v3_pages_both_import_and_say_which_was_read(db):
    parsed = read_services(load("page_v1.json", "page.json"))
    assert parsed.read == [
        "page_v1.json: an Open Referral UK API v1 services page, 3 services",
        "page.json: an Open Referral UK API v3 services page, 4 services",
    ]
    directory = Directory(db)
    directory.import_services(parsed.records, directory="borough", at=AT)
    assert "Family hub: Saturday fun club" in [s.name for s in directory.offered()]
    first_page = json.loads((DATA / "page_v1.json").read_text())
    first_page.update(last=False, totalElements=60)
    said = read_services([("p1.json", json.dumps(first_page).encode())]).read[0]
    assert said.startswith("p1.json: an Open Referral UK API v1 services page, 3 services of the feed's 60")
    assert "give every page" in said


def test_contact_details_are_kept_from_v1_and_v3_but_no_persons_name(db):
    directory = Directory(db)
    directory.import_services(parse_services(load("page_v1.json", "page.json", "services.csv")),
                              directory="borough", at=AT)
    by_name = {s.name: s.ref for s in directory.all()}
    hub = directory.contact(by_name["Family hub: Saturday fun club"])
    assert hub.lines() == [
        "Family hub: Saturday fun club", "by Example Borough Council",
        "Where: Green Lane Family Hub, 12 Green Lane, Exampleton, EX1 2AB", "Phone: 01632 960001",
        "Open: Sat 10:00-12:30", "Email: familyhub@example.org", "Web: https://example.org/family-hub"]
    visitor = directory.contact(by_name["Health visitor drop-in"]).lines()
    assert "Phone: 01632 960123" in visitor and "Open: Tue, Thu 09:30-11:30" in visitor
    assert "Where: Green Lane Children's Centre, 1 Green Lane, Exampleton, EX1 2AA" in visitor
    assert directory.contact(by_name["Debt advice line"]).lines()[-1].startswith("The directory gives no address")
    stored = " ".join(str(v) for row in db.execute("select * from services") for v in row)
    assert "Alex Example" not in stored  # a contact person's name is never kept
    full = parse_services([("service_full.json", SHARED.read_bytes())])[0]
    assert full.contact.opening == ("Thu, Fri 10:00-18:00",) and full.contact.email == "email@example.com"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(["active", "inactive", "10:00:00", "MO,TU", "Monday"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["contents", "content", "id", "name", "status", "organization", "url", "email", "phones",
                         "number", "contacts", "schedules", "regular_schedules", "byday", "weekday", "opens_at",
                         "closes_at", "service_at_locations", "location", "addresses", "physical_addresses",
                         "address_1", "postal_code", "total_items", "totalElements", "last"]) | st.text(max_size=4),
        inner, max_size=6),
    max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_either_parses_or_is_refused_in_plain_sentences(value):
    try:
        parsed = read_services([("feed.json", json.dumps(value).encode())])
    except DirectoryError as error:
        assert error.problems and all(p.strip() and "\n" not in p and "Traceback" not in p for p in error.problems)
        assert str(error).startswith("the directory was not imported")
    else:
        assert parsed.records and len(parsed.read) == 1 and "\n" not in parsed.read[0]
        for record in parsed.records:
            assert all(isinstance(line, str) and "\n" not in line for line in [*record.contact.phones,
                                                                                 *record.contact.opening])


def test_a_number_too_long_to_read_is_a_sentence_not_a_crash():
    with pytest.raises(DirectoryError, match="a number too long to read"):
        parse_services([("big.json", b'{"contents": [{"id": ' + b"9" * 5000 + b"}]}")])
