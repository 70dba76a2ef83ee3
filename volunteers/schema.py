"""The volunteers' tables: people and PINs, shifts and their corrections, certificates, the rota.

They were made by the till's own migration set ("pos": m001 volunteers, m002 shifts, m003 shift
corrections, m004 certificates in `training`, m007 profiles, m010 the rota) before volunteers had a
package of their own. Those migrations have shipped and stay where they are; this set takes the
tables over from here on, so every later change to them is a migration of this set.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("volunteers")

#: The tables this package owns (tests check each is in the database and on the journal's lists).
TABLES = ("volunteers", "shifts", "shift_corrections", "training", "rota_slots", "rota_entries")


@migrations()
def m001_take_over_from_the_till(db: Database) -> None:
    """Nothing to change: the tables exist already (made by the "pos" set); from now on they are ours."""
