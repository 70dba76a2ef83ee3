"""What the volunteers' services need from the till they run on, without importing the till.

The till (pos.till.Till) is one of these: it knows the database, the time, its zone and how to
write the audit log. Team and Rota take one, so the volunteers package depends only downward.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from sqlite_utils import Database

if TYPE_CHECKING:
    from volunteers.people import Volunteers
    from volunteers.permissions import Action


class TillContext(Protocol):
    db: Database
    zone: ZoneInfo
    volunteers: Volunteers

    def now(self) -> str: ...

    def today(self) -> date: ...

    def audit(self, action: Action, operator_id: int, approver_id: int | None, detail: str) -> None: ...
