from datetime import date

import pytest

from core.errors import TillError
from volunteers.certificates import Certificates

AT = "2026-11-20T10:00:00.000000Z"


def test_warnings_for_expired_and_soon_expiring_certificates(db, staff):
    training = Certificates(db)
    vol, boss = staff["volunteer"].id, staff["manager"].id
    training.record(vol, "Food hygiene", certified_on=date(2023, 11, 1), expires_on=date(2026, 11, 1), by=boss, at=AT)
    training.record(vol, "First aid", certified_on=date(2024, 1, 1), expires_on=date(2026, 12, 10), by=boss, at=AT)
    training.record(vol, "Till training", certified_on=date(2026, 1, 1), expires_on=None, by=boss, at=AT)
    assert training.warnings(vol, date(2026, 11, 20)) == [
        "First aid expires on 10/12/2026", "Food hygiene expired on 01/11/2026"]
    # Renewed: the newest certificate of a kind is the one that counts; the old one stays on record.
    training.record(vol, "Food hygiene", certified_on=date(2026, 11, 20), expires_on=date(2029, 11, 20), by=boss, at=AT)
    assert training.warnings(vol, date(2026, 11, 20)) == ["First aid expires on 10/12/2026"]
    assert db.execute("select count(*) from training").fetchone()[0] == 4


def test_bad_certificates_are_refused(db, staff):
    with pytest.raises(TillError, match="expires after"):
        Certificates(db).record(staff["volunteer"].id, "First aid", certified_on=date(2026, 1, 1),
                            expires_on=date(2025, 1, 1), by=staff["manager"].id, at=AT)
    with pytest.raises(TillError, match="say what"):
        Certificates(db).record(staff["volunteer"].id, " ", certified_on=date(2026, 1, 1), expires_on=None,
                            by=staff["manager"].id, at=AT)
