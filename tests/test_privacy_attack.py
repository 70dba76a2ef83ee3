"""The centre's figures against an exact attacker (tests/privacy_attacker.py): no count of 1 to 4
may be worked out, from one long export or from many overlapping ones.

BEFORE: the exports as the till made them up to schema version 1 (rounding to 5, "<5", exact
secondary suppression), kept in tests/data/centre-published-before.json.gz: one export of the
whole 57-week demo history (tests/data/centre-history.json) and 21 overlapping four-week exports
ending on each of its last 21 days. The attacker pins small counts in both; these tests keep
proving that it can.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests import privacy_attacker as attacker
from tests.privacy_history import load

BEFORE = Path(__file__).parent / "data" / "centre-published-before.json.gz"


@pytest.fixture(scope="module")
def history():
    return load()


@pytest.fixture(scope="module")
def before():
    with gzip.open(BEFORE, "rt") as kept:
        return json.load(kept)


def test_before_one_long_export_gave_small_counts_away(history, before):
    found = attacker.attack(attacker.pool([before["single"]]), history, attacker.rules_before())
    assert found.checked == 1441
    assert len(found.pinned) == 12
    # Each one pinned really is that count: the attacker is exact, not lucky.
    assert all(1 <= value <= 4 for _, value in found.pinned)


def test_before_overlapping_exports_gave_more_away(history, before):
    found = attacker.attack(attacker.pool(before["windows"]), history, attacker.rules_before())
    assert found.checked == 347
    assert len(found.pinned) == 15
