"""Subject access, erasure and the retention period: the register and ledgers stay, the rest goes."""

from datetime import date

import pytest

from coop.personal_data import erase, purge_former, subject_access
from coop.register import MemberDetails
from pos.config import CoopSettings
from pos.membership import Membership


@pytest.fixture
def membership(till):
    return Membership(till.db, till, CoopSettings(min_shares=1))


def join(membership, staff, **details):
    base = dict(name="Ada Example", address="1 Green Walk", email="ada@example.org", email_purpose="newsletter",
                phone="07700 900000", phone_purpose="rota", under5_household=True, consent_contact=True)
    return membership.join(MemberDetails(**{**base, **details}), 5, operator_id=staff["manager"].id)


def test_a_subject_access_request_holds_everything_about_one_member_and_no_one_else(membership, staff, db):
    ada = join(membership, staff)
    join(membership, staff, name="Bo Other", email="bo@example.org")
    document = subject_access(db, ada.number, society="Café", made_at="2026-11-20T10:00:00Z")
    assert document["member"]["email"] == "ada@example.org" and document["share_ledger"]
    assert ada.card_code[len("MEMBER:"):] not in str(document) and "Bo Other" not in str(document)
    assert document["schema_version"] == 1


def test_erasure_keeps_the_register_and_ledgers_and_scrubs_the_history(membership, staff, db, till):
    ada = join(membership, staff)
    membership.register.update(ada.id, ada.model_copy(update={"phone": "07700 900111"}), at=till.now(), by="x",
                                 on=till.today())
    erased = erase(db, ada.number, at=till.now(), by="Morgan Test", today=date(2026, 11, 20))
    assert set(erased) >= {"email", "phone", "under5_household", "consent_contact"}
    after = membership.register.get(ada.id)
    assert (after.name, after.address, after.email, after.phone) == ("Ada Example", "1 Green Walk", None, None)
    assert membership.shares.held(ada.id) == 5
    history = str(membership.register.changes(ada.id))
    assert "07700" not in history and "(erased)" in history


def test_the_date_of_birth_stays_while_the_under_16_rule_needs_it(membership, staff, db, till):
    young = join(membership, staff, name="Young Member", date_of_birth=date(2014, 1, 1))
    erase(db, young.number, at=till.now(), by="x", today=date(2026, 11, 20))
    assert membership.register.get(young.id).date_of_birth == date(2014, 1, 1)


def test_former_members_optional_details_go_after_the_retention_period(membership, staff, db, till):
    old = join(membership, staff, name="Long Gone")
    recent = join(membership, staff, name="Just Left")
    db.execute("update members set ceased_on = '2015-03-01' where id = ?", [old.id])
    db.execute("update members set ceased_on = '2026-03-01' where id = ?", [recent.id])
    assert purge_former(db, today=date(2026, 11, 20), years=10, at=till.now()) == [old.number]
    assert membership.register.get(old.id).email is None and membership.register.get(old.id).name == "Long Gone"
    assert membership.register.get(recent.id).email == "ada@example.org"
    assert purge_former(db, today=date(2026, 11, 20), years=10, at=till.now()) == []


def test_the_purge_reaches_signposting_consent_and_leaves_a_kept_birth_date_alone(membership, staff, db, till):
    young = join(membership, staff, name="Young Leaver", email=None, email_purpose=None, phone=None,
                 phone_purpose=None, under5_household=False, consent_contact=False, date_of_birth=date(2014, 1, 1))
    gone = join(membership, staff, name="Signposted Once", email=None, email_purpose=None, phone=None,
                phone_purpose=None, under5_household=False, consent_contact=False)
    db.execute("update members set ceased_on = '2015-03-01' where id in (?, ?)", [young.id, gone.id])
    db.execute("insert into services (directory, service_id, name, status, first_seen, updated_at)"
               " values ('d', 's1', 'Stay and play', 'active', 'x', 'x')")
    db.execute("insert into signposts (at, till_id, volunteer_id, service_ref, family_under5, contact_member,"
               " consent_at) values ('x', 'till-1', ?, 1, 0, ?, 'x')", [staff["volunteer"].id, gone.number])
    assert purge_former(db, today=date(2026, 11, 20), years=10, at=till.now()) == [gone.number]
    assert db.execute("select contact_member from signposts").fetchone()[0] is None
    assert purge_former(db, today=date(2026, 11, 20), years=10, at=till.now()) == []
