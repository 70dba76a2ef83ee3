"""The society's settings at a till: the rules every till and the office share (which ones is
`pos.config.SOCIETY_WIDE`), as the office last set them at the hub.

The office sets them (`set_at_hub`, its role only); each change is a revision of one shared record,
kind 'settings', that every node pulls with the rest (hub/pull.py) and keeps in `hub_settings`. The
till then uses the society's value over its own settings file's (pos/config.py), and says so. What is
kept is the office's decision, not a record of this till's: it is not journalled or sent back up.

Which keys are the society's, and whether a value is good, is pos/config.py's to say: this module only
carries and keeps them, so it imports nothing above core.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from hub import HubError

#: The kind of the one shared record the settings are, and its key.
KIND = "settings"
REF = 0
#: Who set them, in the record's data beside the settings themselves.
SET_BY = "_set_by"


@dataclass(frozen=True)
class Kept:
    """One setting as the society set it: its value, the revision that set it, and the manager who did."""

    value: object
    revision: int
    set_by: str | None


def apply(db: Database, data: dict | None, revision: int, at: str) -> None:
    """Keep the society's settings as the hub's revision says, inside the pull's transaction: a key set
    again to the same value keeps the revision that first set it; a key gone goes back to the file's."""
    values = {key: value for key, value in (data or {}).items() if key != SET_BY}
    by = (data or {}).get(SET_BY)
    db.execute("delete from hub_settings where key not in (select value from json_each(?))", [json.dumps(list(values))])
    for key, value in values.items():
        text = json.dumps(value, sort_keys=True)
        db.execute("insert into hub_settings (key, value, revision, set_by, pulled_at) values (?, ?, ?, ?, ?) "
                   "on conflict (key) do update set value = excluded.value, revision = excluded.revision, "
                   "set_by = excluded.set_by, pulled_at = excluded.pulled_at where value is not excluded.value",
                   [key, text, revision, by, at])


def kept(db: Database) -> dict[str, Kept]:
    """The society's settings this till has pulled (none: no hub, or the office has set none)."""
    try:
        rows = db.execute("select key, value, revision, set_by from hub_settings order by key").fetchall()
    except sqlite3.OperationalError:  # a database opened read only from before the society's settings
        return {}
    return {key: Kept(json.loads(value), revision, by) for key, value, revision, by in rows}


def set_at_hub(conn, changes: dict, *, by: str) -> int:
    """At the office: change the society's settings at the hub (a value None: back to each till's file).
    The values are checked before (pos/config.py). Returns the revision every till will pull."""
    import psycopg
    from psycopg.types.json import Jsonb

    try:
        with conn.transaction():
            return conn.execute("select hub.set_settings(%s, %s)", [Jsonb(changes), by]).fetchone()[0]
    except psycopg.errors.InsufficientPrivilege:
        raise HubError("only the office (the database that started the hub) sets the society's settings; "
                       "nothing was changed") from None
