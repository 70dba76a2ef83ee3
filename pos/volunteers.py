"""The people who work the till, and what their role lets them do."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel
from sqlite_utils import Database

from pos.errors import TillError


class Role(StrEnum):
    volunteer = "volunteer"
    shift_lead = "shift_lead"
    manager = "manager"


class Volunteer(BaseModel):
    id: int
    name: str
    role: Role
    active: bool


class Volunteers:
    def __init__(self, db: Database):
        self.db = db

    def add(self, name: str, role: Role, *, at: str) -> Volunteer:
        name = name.strip()
        if not name:
            raise TillError("a volunteer needs a name")
        with self.db.atomic():
            cursor = self.db.execute(
                "insert into volunteers (name, role, active, created_at) values (?, ?, 1, ?)",
                [name, Role(role).value, at],
            )
        return self.get(cursor.lastrowid)

    def get(self, volunteer_id: int) -> Volunteer:
        row = self.db.execute(
            "select id, name, role, active from volunteers where id = ?", [volunteer_id]
        ).fetchone()
        if row is None:
            raise TillError(f"there is no volunteer number {volunteer_id}")
        return Volunteer(id=row[0], name=row[1], role=row[2], active=bool(row[3]))

    def all(self, *, active_only: bool = True) -> list[Volunteer]:
        where = "where active = 1" if active_only else ""
        return [
            Volunteer(id=r[0], name=r[1], role=r[2], active=bool(r[3]))
            for r in self.db.execute(f"select id, name, role, active from volunteers {where} order by name")
        ]

    def by_name(self, name: str) -> Volunteer:
        """The active volunteer with this name (any case)."""
        matches = [v for v in self.all() if v.name.casefold() == name.strip().casefold()]
        if not matches:
            raise TillError(f"no active volunteer is called '{name.strip()}'")
        return matches[0]
