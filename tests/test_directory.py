"""Importing the service directory from Open Referral UK JSON and the HSDS CSV layout."""

import json
from pathlib import Path

import pytest

from centre.directory import Directory, DirectoryError, parse_services

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
