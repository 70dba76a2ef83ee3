"""The co-op package's tables. Members and shares arrive with their own issue; the set exists now
so every package upgrades the same way."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("coop")
