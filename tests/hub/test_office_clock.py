"""A till whose clock is minutes from the hub's is flagged by `till hub status` (hub/status.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from hub.status import clock_difference, clock_warning


def test_clocks_minutes_apart_are_flagged_and_seconds_apart_are_not(hub_url):
    with psycopg.connect(hub_url, autocommit=True) as conn:
        fast = clock_difference(conn, datetime.now(UTC) + timedelta(minutes=5))
        slow = clock_difference(conn, datetime.now(UTC) - timedelta(minutes=7))
        right = clock_difference(conn, datetime.now(UTC))
    assert clock_warning(fast, 2).startswith("This till's clock is 4 min ahead of the hub's") or \
        clock_warning(fast, 2).startswith("This till's clock is 5 min ahead of the hub's")
    assert "behind the hub's" in clock_warning(slow, 2)
    assert clock_warning(right, 2) is None
    assert clock_warning(fast, 10) is None  # the setting decides
