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
TABLES = ("volunteers", "shifts", "shift_corrections", "training", "rota_slots", "rota_entries", "rota_offers",
          "rota_slot_needs")


@migrations()
def m001_take_over_from_the_till(db: Database) -> None:
    """Nothing to change: the tables exist already (made by the "pos" set); from now on they are ours."""


@migrations()
def m002_rota_offers(db: Database) -> None:
    """A volunteer's offer to cover one day of a slot, until a shift lead accepts or declines it (or they
    withdraw it); and the certificate a slot needs (food hygiene for the café), in a table of its own so the
    slot's record, as the journal and the hub know it, is unchanged."""
    db["rota_offers"].create(
        {"id": int, "slot_id": int, "volunteer_id": int, "on_date": str, "at": str, "decision": str,
         "decided_at": str, "decided_by": int},
        pk="id",
        not_null=["slot_id", "volunteer_id", "on_date", "at"],
        foreign_keys=[("slot_id", "rota_slots", "id"), ("volunteer_id", "volunteers", "id"),
                      ("decided_by", "volunteers", "id")],
        strict=True,
    )
    db["rota_offers"].create_index(["slot_id", "on_date"])
    db["rota_offers"].create_index(["volunteer_id"])
    db["rota_slot_needs"].create(
        {"slot_id": int, "certificate": str, "set_at": str, "set_by": int},
        pk="slot_id",
        not_null=["certificate", "set_at", "set_by"],
        foreign_keys=[("slot_id", "rota_slots", "id"), ("set_by", "volunteers", "id")],
        strict=True,
    )
