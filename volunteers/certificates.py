"""Volunteers' certificates (food hygiene, first aid, till training): when each runs out, and
the warnings shown at sign-in when one has expired or expires within 30 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel
from sqlite_utils import Database

from core.errors import TillError
from core.ids import next_id

#: How far ahead a certificate running out is worth a warning.
WARN_AHEAD = timedelta(days=30)


class Certificate(BaseModel):
    kind: str
    certified_on: date
    expires_on: date | None

    def state(self, today: date) -> str:
        if self.expires_on is None:
            return "current"
        if self.expires_on < today:
            return "expired"
        if self.expires_on - today <= WARN_AHEAD:
            return "expiring"
        return "current"


@dataclass(frozen=True)
class Due:
    """A certificate of an active volunteer that has run out, or runs out within the days asked about."""

    name: str
    kind: str
    expires_on: date
    expired: bool


class Certificates:
    def __init__(self, db: Database):
        self.db = db

    def record(self, volunteer_id: int, kind: str, *, certified_on: date, expires_on: date | None,
               by: int, at: str) -> Certificate:
        kind = kind.strip()
        if not kind:
            raise TillError("say what the training was (food hygiene, first aid …)")
        if expires_on is not None and expires_on <= certified_on:
            raise TillError("a certificate expires after it was given")
        with self.db.atomic():
            self.db.execute(
                "insert into training (id, volunteer_id, kind, certified_on, expires_on, recorded_by, at)"
                " values (?, ?, ?, ?, ?, ?, ?)",
                [next_id(self.db, "training"), volunteer_id, kind, certified_on.isoformat(), expires_on.isoformat() if expires_on else None,
                 by, at],
            )
        return Certificate(kind=kind, certified_on=certified_on, expires_on=expires_on)

    def certificates(self, volunteer_id: int) -> list[Certificate]:
        """The newest certificate of each kind."""
        rows = self.db.execute(
            "select kind, certified_on, expires_on from training t where volunteer_id = ? and id ="
            " (select max(id) from training where volunteer_id = t.volunteer_id and kind = t.kind)"
            " order by kind",
            [volunteer_id],
        ).fetchall()
        return [Certificate(kind=k, certified_on=c, expires_on=e) for k, c, e in rows]

    def warnings(self, volunteer_id: int, today: date) -> list[str]:
        found = []
        for certificate in self.certificates(volunteer_id):
            state = certificate.state(today)
            if state == "expired":
                found.append(f"{certificate.kind} expired on {certificate.expires_on:%d/%m/%Y}")
            elif state == "expiring":
                found.append(f"{certificate.kind} expires on {certificate.expires_on:%d/%m/%Y}")
        return found

    def due(self, today: date, within_days: int) -> list[Due]:
        """Every active volunteer's newest certificate of each kind that has expired or expires within
        `within_days` of `today`, soonest first: what `till volunteers training-status` marks, for whoever
        plans the training. Names and dates only."""
        horizon = today + timedelta(days=max(within_days, 0))
        rows = self.db.execute(
            "select v.name, t.kind, t.expires_on from training t join volunteers v on v.id = t.volunteer_id"
            " where v.active = 1 and t.expires_on is not null and t.expires_on <= ? and t.id ="
            " (select max(id) from training where volunteer_id = t.volunteer_id and kind = t.kind)"
            " order by t.expires_on, v.name, t.kind",
            [horizon.isoformat()],
        ).fetchall()
        return [Due(name=name, kind=kind, expires_on=date.fromisoformat(ends), expired=date.fromisoformat(ends) < today)
                for name, kind, ends in rows]
