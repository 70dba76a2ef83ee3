"""What the till says about the hub: the top bar's few words, and the warning at the Z.

Plain rules over the till's own marks (hub/local.py), so the screen only shows what these return
and the rules are tested without a screen or a hub.
"""

from __future__ import annotations

from datetime import datetime

from core.clock import from_stamp

#: The Z warns a shift lead when the hub has not been reached for longer than this (the setting's default).
WARN_AFTER_HOURS = 24


def ago(seconds: float) -> str:
    """A duration in the fewest words: 'now', '2 min', '3 h', '4 days'."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "now"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def unreachable_for(marks: dict, now: datetime) -> float | None:
    """Seconds since the hub was last tried and not reached, while it still is not; None when it is."""
    if not marks.get("failing_since"):
        return None
    return max(0.0, (now - from_stamp(marks["failing_since"])).total_seconds())


def top_bar(marks: dict, waiting: int, now: datetime) -> str:
    """'hub ✓ 2 min' (last reached two minutes ago), 'hub unreachable 3 h · 412 waiting'."""
    down = unreachable_for(marks, now)
    if down is not None:
        return f"hub unreachable {ago(down)} · {waiting} waiting"
    if not marks.get("pushed_at"):
        return f"hub … · {waiting} waiting" if waiting else "hub …"
    text = f"hub ✓ {ago((now - from_stamp(marks['pushed_at'])).total_seconds())}"
    return f"{text} · {waiting} waiting" if waiting > 100 else text  # a few just sold are not news


def z_warning(marks: dict, waiting: int, now: datetime, hours: int = WARN_AFTER_HOURS) -> str | None:
    """The sentence a shift lead sees at the Z when the hub has been unreachable for more than `hours`."""
    down = unreachable_for(marks, now)
    if down is None or down <= hours * 3600:
        return None
    return (f"The hub has not been reached for {ago(down)} ({waiting} records waiting). They are safe on this till "
            "and will be sent when it is reached; tell whoever looks after the hub.")


def describe(db, now: datetime) -> str:
    """The top bar's words for the till database `db`."""
    from hub import local

    return top_bar(local.marks(db), local.waiting(db), now)


#: `till hub status` flags a till's clock further than this from the hub's (the setting's default).
CLOCK_TOLERANCE_MINUTES = 2


def clock_difference(conn, now: datetime) -> float:
    """Seconds the hub's clock is ahead of `now` (this till's clock); negative when it is behind."""
    with conn.transaction():
        hub_now = conn.execute("select now()").fetchone()[0]
    return (hub_now - now).total_seconds()


def clock_warning(difference: float, minutes: int = CLOCK_TOLERANCE_MINUTES) -> str | None:
    """The sentence flagging this till's clock when it is more than `minutes` from the hub's: its sales
    would carry wrong times in the society's books (their trading day stays the till's)."""
    if abs(difference) <= minutes * 60:
        return None
    side = "behind" if difference > 0 else "ahead of"
    return (f"This till's clock is {ago(abs(difference))} {side} the hub's (more than {minutes} min): set the "
            "till's date and time, or its sales carry the wrong times.")


def overruled_sentence(count: int) -> str | None:
    """What `till hub status` says of the changes made to one record at two tills while apart and overruled
    by the other's (hub/conflicts.py lists them); None when there are none."""
    if not count:
        return None
    changes = "1 change" if count == 1 else f"{count} changes"
    return (f"{changes} made at two tills at once {'was' if count == 1 else 'were'} overruled: "
            "`till hub conflicts --by NAME` lists them for a manager.")
