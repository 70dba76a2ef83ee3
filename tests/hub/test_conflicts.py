"""One shared record changed at two tills while apart: every node ends with the same answer whichever
till's network comes back first, the change that lost is listed for a manager, a retirement is never
undone by an edit made apart from it, and a change made after pulling another's simply follows it."""

from __future__ import annotations

from datetime import date

import pytest

from coop.register import MemberDetails, Register
from hub.conflicts import overruled
from hub.connect import connect
from hub.pull import pull
from tests.hub.shared_tills import AT, society
from volunteers.people import Volunteers

DAY = date(2026, 11, 2)


def _member(office, *tills):
    """A member admitted at the office, known to every till."""
    db = office.db()
    member = Register(db).admit(MemberDetails(name="Ada Smith", address="1 High St"), on=DAY, at=AT, by="test")
    db.close()
    _settle([office, *tills])
    return member


def _rename(node, member_id: int, name: str) -> None:
    db = node.db()
    try:
        register = Register(db)
        current = register.get(member_id)
        details = MemberDetails.model_validate({**current.model_dump(include=set(MemberDetails.model_fields)),
                                                "name": name})
        register.update(member_id, details, at=AT, by="test", on=DAY)
    finally:
        db.close()


def _names(nodes, member_id: int) -> dict[str, str]:
    found = {}
    for node in nodes:
        db = node.db()
        found[node.name] = Register(db).get(member_id).name
        db.close()
    return found


def _settle(nodes) -> None:
    for _ in range(2):  # the second round brings down what the first sent up
        for node in nodes:
            node.sync()


def _listed(node) -> list:
    with connect(node.conninfo) as conn:
        return overruled(conn)


@pytest.mark.parametrize("first", ["till-2", "till-3"])
def test_a_member_renamed_at_two_tills_apart_has_one_name_everywhere_whichever_syncs_first(tmp_path, hub_url, first):
    office, till2, till3 = society(tmp_path, hub_url)
    member = _member(office, till2, till3)
    _rename(till2, member.id, "Ada Byron")
    _rename(till3, member.id, "Ada King")  # the later change, by the tills' own clocks
    order = [till2, till3] if first == "till-2" else [till3, till2]
    _settle([*order, office])
    assert _names([office, till2, till3], member.id) == {"office": "Ada King", "till-2": "Ada King",
                                                         "till-3": "Ada King"}
    listed = _listed(till2)
    assert [(one.kind, one.ref_id, one.kept_till, one.lost_till) for one in listed] == [
        ("member", member.id, "till-3", "till-2")]
    assert listed[0].differences() == ['name: "Ada King" kept, "Ada Byron" overruled']
    sentence = listed[0].sentence()
    assert f"({member.number}): till-3's change" in sentence and "kept over till-2's" in sentence
    assert "address" not in sentence and "card" not in sentence  # only what differed, nothing sealed
    for node in (office, till2, till3):
        assert node.verified() == [], node.name


def test_a_change_made_after_pulling_another_follows_it_and_is_no_conflict(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    member = _member(office, till2, till3)
    _rename(till2, member.id, "Ada Byron")
    till2.sync()
    till3.sync()
    _rename(till3, member.id, "Ada King")
    _rename(till2, member.id, "Ada Lovelace")  # till 2 had not pulled till 3's: made apart from it, and later
    _settle([till2, till3, office])
    assert set(_names([office, till2, till3], member.id).values()) == {"Ada Lovelace"}
    assert [(one.kept_till, one.lost_till) for one in _listed(office)] == [("till-2", "till-3")]


def test_a_pull_never_overwrites_a_change_this_till_has_not_sent_yet(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    member = _member(office, till2, till3)
    _rename(till3, member.id, "Ada King")
    till3.sync()
    _rename(till2, member.id, "Ada Byron")
    db = till2.db()
    with connect(till2.conninfo) as conn:
        assert pull(db, conn, at=AT).applied >= 1
    assert Register(db).get(member.id).name == "Ada Byron"  # it goes up first; the hub decides
    db.close()
    _settle([till2, till3, office])
    assert set(_names([office, till2, till3], member.id).values()) == {"Ada Byron"}


@pytest.mark.parametrize("first", ["office", "till-2"])
def test_a_volunteer_who_left_is_not_brought_back_by_a_later_edit_made_apart(tmp_path, hub_url, first):
    office, till2, till3 = society(tmp_path, hub_url)
    db = office.db()
    volunteer = next(v for v in Volunteers(db).all() if v.name != "Sam Ortiz")
    Volunteers(db).retire(volunteer.id, on="2026-11-02")
    db.close()
    db = till2.db()
    Volunteers(db).update(volunteer.id, name="Robin Quayle")  # later, not knowing they had left
    db.close()
    order = [office, till2] if first == "office" else [till2, office]
    _settle([*order, till3])
    for node in (office, till2, till3):
        db = node.db()
        row = db.execute("select name, active, left_on from volunteers where id = ?", [volunteer.id]).fetchone()
        db.close()
        assert row == ("Robin Quayle", 0, "2026-11-02"), node.name
        assert node.verified() == [], node.name
    listed = _listed(till3)
    assert [(one.kept_till, one.lost_till) for one in listed] == [("till-2", "office")]
