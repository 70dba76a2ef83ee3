"""`till hub conflicts --by NAME` and the CONFLICTS line of `till hub status`, run from the command line at
tills of a real hub: nothing said while nothing was overruled; once a member is renamed at two tills while
apart, the status says so and the list names the record and the change kept, for a shift lead or manager
only."""

from __future__ import annotations

import io

import pytest

from hub.connect import write_credentials
from pos.cli import main
from tests.hub.shared_tills import society
from tests.hub.test_conflicts import _member, _rename, _settle
from volunteers.people import Volunteers

MANAGER, MANAGER_PIN = "Sam Ortiz", "1111"
VOLUNTEER, VOLUNTEER_PIN = "Jo Beckford", "3333"


@pytest.fixture
def run(monkeypatch, capsys, tmp_path):
    """Run `till …` at a node of the hub, its credentials in a file as `till hub join` leaves them:
    (exit code, standard output, standard error)."""
    monkeypatch.setattr("pos.cli.context.WRONG_PIN_PAUSE", 0)

    def till(node, *args: str, pin: str | None = None) -> tuple[int, str, str]:
        credentials = tmp_path / f"{node.name}-credentials"
        if not credentials.exists():
            write_credentials(credentials, node.conninfo)
        monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(credentials))
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{pin}\n" if pin else ""))
        capsys.readouterr()
        code = main(["--db", str(node.path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return till


def _society(tmp_path, hub_url):
    """An office and two tills, a manager's and a volunteer's PIN set at the office (so every till has them)
    and a member every till knows."""
    office, till2, till3 = society(tmp_path, hub_url)
    db = office.db()
    volunteers = Volunteers(db)
    for name, pin in ((MANAGER, MANAGER_PIN), (VOLUNTEER, VOLUNTEER_PIN)):
        volunteers.set_pin(volunteers.by_name(name).id, pin)
    db.close()
    member = _member(office, till2, till3)
    return office, till2, till3, member


def test_status_and_the_list_say_nothing_was_overruled_until_two_tills_change_one_member_apart(tmp_path, hub_url,
                                                                                              run):
    office, till2, till3, member = _society(tmp_path, hub_url)
    code, out, err = run(till2, "hub", "status")
    assert code == 0, out + err
    assert "Hub: reachable" in out and "CONFLICTS" not in out
    code, out, err = run(till2, "hub", "conflicts", "--by", MANAGER, pin=MANAGER_PIN)
    assert (code, out, err) == (0, "No change made at two tills at once has been overruled.\n", "")

    _rename(till2, member.id, "Ada Byron")
    _rename(till3, member.id, "Ada King")  # the later change
    _settle([till2, till3, office])

    for node in (till2, till3, office):
        code, out, err = run(node, "hub", "status")
        assert code == 0, out + err
        assert ("CONFLICTS: 1 change made at two tills at once was overruled: `till hub conflicts --by NAME` lists "
                "them for a manager.\n") in out, node.name
    code, out, err = run(till2, "hub", "conflicts", "--by", MANAGER, pin=MANAGER_PIN)
    assert code == 0, err
    [line] = out.splitlines()
    assert line.startswith(f"1. register entry of member id {member.id} ({member.number}): till-3's change (")
    assert "was kept over till-2's (" in line and line.endswith('name: "Ada King" kept, "Ada Byron" overruled.')
    assert "address" not in line and "card" not in line


def test_only_a_shift_lead_or_manager_sees_the_changes_overruled(tmp_path, hub_url, run):
    office, till2, till3, member = _society(tmp_path, hub_url)
    _rename(till2, member.id, "Ada Byron")
    _rename(till3, member.id, "Ada King")
    _settle([till2, till3, office])
    code, out, err = run(till3, "hub", "conflicts", "--by", VOLUNTEER, pin=VOLUNTEER_PIN)
    assert code == 1 and out == ""
    assert "conflicts" in err and "Ada" not in err
    code, out, err = run(till3, "hub", "conflicts", "--by", MANAGER, pin="9999")  # the right name, a wrong PIN
    assert code == 1 and out == ""
    code, out, _ = run(till3, "hub", "conflicts", "--by", MANAGER, pin=MANAGER_PIN)
    assert code == 0 and "Ada King" in out
