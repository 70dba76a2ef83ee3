"""The hub as a witness: the chain heads it holds for this till, checked against the till's own journal.

A till that cut short or rewrote its journal after pushing cannot make the hub forget what it was sent:
each head the hub recorded must still be in the local journal with the same hash.
"""

from __future__ import annotations

from sqlite_utils import Database


def heads(conn) -> list[tuple[int, str]]:
    """The hub's heads for the connected till, oldest first, as (entry, hash) pairs."""
    with conn.transaction():
        return [(entry, chained) for entry, chained in conn.execute("select entry, hash from hub.my_heads()")]


def check(db: Database, witnessed: list[tuple[int, str]]) -> list[str]:
    """Each head the hub holds that the local journal no longer has as it was: one sentence each."""
    problems = []
    for entry, chained in witnessed:
        row = db.execute("select hash from journal where id = ?", [entry]).fetchone()
        if row is None:
            problems.append(f"journal entry #{entry}, which the hub holds, is missing here: the journal was cut short")
        elif row[0] != chained:
            problems.append(f"journal entry #{entry} is not the one the hub holds (hub {chained[:12]}, here "
                            f"{row[0][:12]}): the journal was rewritten")
    return problems
