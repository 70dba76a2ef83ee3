"""The centre's tables: the service directory, people counted in without buying, signposting."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("centre")


@migrations()
def m001_directory_footfall_signposting(db: Database) -> None:
    # Services as the area's Open Referral UK directory publishes them. A service that leaves the
    # directory is retired, never deleted, so old signposting records still name it.
    db["services"].create(
        {"id": int, "directory": str, "service_id": str, "name": str, "organization_id": str,
         "organization_name": str, "description": str, "url": str, "status": str,
         "first_seen": str, "updated_at": str, "retired_at": str},
        pk="id",
        not_null=["directory", "service_id", "name", "status", "first_seen", "updated_at"],
        strict=True,
    )
    db["services"].create_index(["directory", "service_id"], unique=True)
    # One row per tap of the tally key: a person who came in without buying. Undo marks the row.
    db["tallies"].create(
        {"id": int, "at": str, "till_id": str, "volunteer_id": int, "kind": str,
         "family_under5": int, "first_visit": int, "undone_at": str},
        pk="id",
        not_null=["at", "till_id", "volunteer_id", "kind", "family_under5", "first_visit"],
        defaults={"family_under5": 0, "first_visit": 0},
        foreign_keys=[("volunteer_id", "volunteers", "id")],
        strict=True,
    )
    db["tallies"].create_index(["at"])
    # A family pointed to a service. No name: only when the family asks to be contacted and a
    # member is attached is the member number kept, with when they agreed.
    db["signposts"].create(
        {"id": int, "at": str, "till_id": str, "volunteer_id": int, "service_ref": int,
         "family_under5": int, "contact_member": str, "consent_at": str, "undone_at": str},
        pk="id",
        not_null=["at", "till_id", "volunteer_id", "service_ref", "family_under5"],
        defaults={"family_under5": 0},
        foreign_keys=[("volunteer_id", "volunteers", "id"), ("service_ref", "services", "id")],
        strict=True,
    )
    db["signposts"].create_index(["at"])


@migrations()
def m002_service_contact_details(db: Database) -> None:
    # What a volunteer can pass on about a service (address, phones, email, opening times), as the
    # directory gives it: JSON, null when it gives none (centre.contact.ContactDetails).
    db["services"].add_column("details", str)


@migrations()
def m003_released_figures(db: Database) -> None:
    # The secret that picks each figure's noise (centre.cellkey): made on first use, never exported.
    db["disclosure_key"].create({"id": int, "secret": str}, pk="id", not_null=["secret"], strict=True)
    # What has left the till for the centre, export or screen, and each figure as it was shown:
    # a figure shown once is shown the same ever after (centre.release).
    db["centre_releases"].create(
        {"id": int, "at": str, "first": str, "last": str, "kind": str, "threshold": int},
        pk="id", not_null=["at", "first", "last", "kind", "threshold"], strict=True)
    db["centre_released_cells"].create(
        {"cell": str, "kind": str, "first": str, "last": str, "subject": str, "value": str, "release_id": int},
        pk="cell", not_null=["kind", "first", "last", "subject", "value", "release_id"],
        foreign_keys=[("release_id", "centre_releases", "id")], strict=True)
    db["centre_released_cells"].create_index(["first"])
