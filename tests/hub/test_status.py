"""What the till says about the hub on its top bar and at the Z: plain rules, no hub needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.clock import stamp
from hub.status import ago, top_bar, z_warning

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def marks(pushed: timedelta | None = None, failing: timedelta | None = None) -> dict:
    return {"entry": 10, "pushed_at": stamp(NOW - pushed) if pushed is not None else None,
            "tried_at": stamp(NOW), "failing_since": stamp(NOW - failing) if failing is not None else None,
            "error": "the hub cannot be reached: timeout" if failing is not None else None}


@pytest.mark.parametrize(("seconds", "words"), [(0, "now"), (59, "now"), (120, "2 min"), (3599, "59 min"),
                                                (3 * 3600, "3 h"), (47 * 3600, "47 h"), (4 * 86400, "4 days")])
def test_durations_in_few_words(seconds, words):
    assert ago(seconds) == words


def test_the_top_bar_says_when_the_hub_was_last_reached():
    assert top_bar(marks(pushed=timedelta(minutes=2)), 3, NOW) == "hub ✓ 2 min"
    assert top_bar(marks(pushed=timedelta(minutes=2)), 412, NOW) == "hub ✓ 2 min · 412 waiting"


def test_the_top_bar_says_how_long_the_hub_has_been_unreachable_and_what_waits():
    assert top_bar(marks(pushed=timedelta(hours=5), failing=timedelta(hours=3)), 412, NOW) == \
        "hub unreachable 3 h · 412 waiting"
    assert top_bar(marks(failing=timedelta(minutes=5)), 7, NOW) == "hub unreachable 5 min · 7 waiting"
    assert top_bar(marks(), 7, NOW) == "hub … · 7 waiting"


def test_the_z_warns_only_after_the_hub_has_been_unreachable_longer_than_the_setting():
    assert z_warning(marks(failing=timedelta(hours=23)), 50, NOW) is None
    assert z_warning(marks(pushed=timedelta(minutes=1)), 0, NOW) is None
    assert z_warning(marks(failing=timedelta(hours=30)), 412, NOW) == (
        "The hub has not been reached for 30 h (412 records waiting). They are safe on this till and will be "
        "sent when it is reached; tell whoever looks after the hub.")
    assert z_warning(marks(failing=timedelta(hours=3)), 1, NOW, hours=2) is not None


def test_a_till_with_no_hub_loads_no_psycopg():
    # The till's start-up must not grow: psycopg is loaded only by the modules that talk to a hub.
    import subprocess
    import sys

    code = ("import sys, pos.database, pos.tui.app, hub.local, hub.status, hub.worker; "
            "sys.exit(1 if 'psycopg' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
