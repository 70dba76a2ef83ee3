"""The shop's database: the foundation's file handling, upgraded by every package's tables in order."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core import database


def migration_sets() -> list[Migrations]:
    """Every package's migrations, in the order they are applied. Order matters: the till's tables
    refer to products; the volunteers' and the journal's sets take over tables the till's set made
    before they had packages of their own; the centre's refer to volunteers; the web's sign-in
    (access) to members and volunteers."""
    import access.schema
    import centre.schema
    import coop.schema
    import core.schema
    import hub.local
    import inventory.schema
    import pos.schema
    import volunteers.schema

    return [inventory.schema.migrations, coop.schema.migrations, pos.schema.migrations,
            volunteers.schema.migrations, core.schema.migrations, centre.schema.migrations, hub.local.migrations,
            access.schema.migrations]


def open_database(path: Path | str, *, migrate: bool = True, create: bool = True, read_newer: bool = False) -> Database:
    """Open (creating if need be) a till database, upgraded to this version's tables.

    With `create=False` the database must already exist (NoDatabase otherwise), and
    nothing is made: not the file, not its folder.

    Before a database made by an older version is upgraded, a copy of it is
    written beside it (`till.db.before-upgrade-YYYYMMDD-HHMMSS`).

    A database a newer version has upgraded is refused (NewerDatabase, one sentence), or with
    `read_newer` opened read only, for the reports, exports and checks of the command line.
    """
    return database.open_database(path, migration_sets() if migrate else (), create=create, read_newer=read_newer)
