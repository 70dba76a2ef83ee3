"""Managing volunteers: managers only, audited, and never leaving the society without a manager."""

import pytest

from core.errors import TillError
from volunteers.people import Role
from volunteers.permissions import NeedsApproval
from volunteers.team import Team


@pytest.fixture
def team(till):
    return Team(till)


def audit(db):
    return [row[0] for row in db.execute("select detail from audit_log where action = 'manage_volunteers' order by id")]


def test_a_manager_adds_edits_and_retires_and_each_is_audited(team, staff, db):
    boss = staff["manager"].id
    kim = team.add("Kim Newcomer", Role.volunteer, "5678", operator_id=boss)
    assert team.till.volunteers.check_pin(kim.id, "5678", now=team.till.clock()).name == "Kim Newcomer"
    team.edit(kim.id, role=Role.shift_lead, emergency_contact="Pat 07700 900123", operator_id=boss)
    assert team.profile(kim.id, operator_id=boss)["emergency_contact"] == "Pat 07700 900123"
    team.retire(kim.id, operator_id=boss)
    assert kim.id not in [v.id for v in team.till.volunteers.all()]
    assert audit(db) == ["added Kim Newcomer as volunteer", "changed Kim Newcomer's role, emergency contact",
                         "Kim Newcomer left"]
    assert not any("07700" in detail for detail in audit(db))


def test_a_volunteer_cannot_manage_or_see_others_details(team, staff, db):
    val = staff["volunteer"].id
    with pytest.raises(NeedsApproval):
        team.add("Someone", Role.volunteer, "5678", operator_id=val)
    with pytest.raises(NeedsApproval):
        team.profile(staff["manager"].id, operator_id=val)
    assert team.profile(val, operator_id=val)["name"] == "Val Test"  # their own, yes
    # With a manager's PIN approval on the spot, it is allowed and the approver is recorded.
    team.edit(val, member_number="m0001", operator_id=val, approver_id=staff["manager"].id)
    assert db.execute("select approver_id from audit_log").fetchone()[0] == staff["manager"].id
    assert audit(db) == ["changed Val Test's member number"]


def test_the_only_manager_cannot_leave_or_be_demoted(team, staff):
    boss = staff["manager"].id
    with pytest.raises(TillError, match="only manager"):
        team.retire(boss, operator_id=boss)
    with pytest.raises(TillError, match="only manager"):
        team.edit(boss, role=Role.volunteer, operator_id=boss)
    team.edit(staff["volunteer"].id, role=Role.manager, operator_id=boss)
    team.retire(boss, operator_id=boss)


def test_bad_pins_and_duplicate_names_change_nothing(team, staff, db):
    boss = staff["manager"].id
    with pytest.raises(TillError):
        team.add("Kim", Role.volunteer, "12", operator_id=boss)
    with pytest.raises(TillError, match="already a volunteer"):
        team.add("val test", Role.volunteer, "5678", operator_id=boss)
    assert len(team.till.volunteers.all()) == 2 and audit(db) == []


def test_someone_holds_several_roles_and_the_main_one_is_the_most_senior(team, staff, db):
    from volunteers.people import parse_roles
    from volunteers.permissions import Action, may, may_approve

    boss = staff["manager"].id
    ruth = team.add("Ruth Adebayo", (Role.board_member, Role.treasurer, Role.volunteer), "5678", operator_id=boss)
    assert ruth.role == Role.volunteer and ruth.roles_label == "Volunteer, Treasurer, Board member"
    assert db.execute("select role from volunteers where id = ?", [ruth.id]).fetchone()[0] == \
        "volunteer,treasurer,board_member"
    assert may(ruth.roles, Action.dividend) and may(ruth.roles, Action.view_takings)
    assert not may(ruth.roles, Action.refund) and not may_approve(ruth.roles, Action.dividend)  # nobody to approve
    assert audit(db)[-1] == "added Ruth Adebayo as volunteer, treasurer, board member"
    with pytest.raises(TillError, match="no role called 'chair'"):
        parse_roles("treasurer,chair")
    with pytest.raises(TillError, match="needs a role"):
        parse_roles(" , ")


def test_the_last_manager_keeps_the_manager_role_when_given_another(team, staff):
    boss = staff["manager"].id
    with pytest.raises(TillError, match="only manager"):
        team.edit(boss, role=(Role.shift_lead, Role.board_member), operator_id=boss)
    assert team.edit(boss, role=(Role.manager, Role.board_member), operator_id=boss).roles == {
        Role.manager, Role.board_member}


def test_the_offices_approvals_word_several_roles_as_people_read_them():
    from datetime import datetime

    from hub.approvals import Waiting

    both = Waiting(7, "till-2", 3, "Sam Ortiz", "manager,board_member", False, datetime(2026, 12, 1, 9, 30))
    assert "Sam Ortiz (volunteer 3), roles manager, board member, from till till-2 on 01/12/2026 09:30" in both.sentence()
    one = Waiting(8, "till-2", 4, "Priya Kell", "shift_lead", True, datetime(2026, 12, 1, 9, 30))
    assert "role shift lead and a new PIN" in one.sentence()
