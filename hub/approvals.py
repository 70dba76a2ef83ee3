"""The office's approvals: a volunteer's role or PIN changed at a till other than the office waits at
the hub until a manager at the office approves it (`till hub approve`). Until then the other tills keep
the role and PIN they had, so a till that is lost, stolen or misused cannot make someone a manager
everywhere. The hub's functions check that the caller is the office (the database that started it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub import HubError


@dataclass(frozen=True)
class Waiting:
    id: int
    till_id: str
    volunteer_id: int
    name: str
    role: str
    pin_changed: bool
    at: datetime

    def sentence(self) -> str:
        # The column holds "manager,board_member"; hub imports nothing of volunteers, so it is worded here.
        roles = [part.strip().replace("_", " ") for part in self.role.split(",") if part.strip()]
        what = (f"role{'s' if len(roles) > 1 else ''} {', '.join(roles)}"
                + (" and a new PIN" if self.pin_changed else ""))
        return f"{self.id}: {self.name} (volunteer {self.volunteer_id}), {what}, from till {self.till_id} on {self.at:%d/%m/%Y %H:%M}"


def waiting(conn) -> list[Waiting]:
    """The changes waiting for the office, oldest first."""
    rows = _call(conn, "select id, till_id, ref_id, name, role, pin_changed, at from hub.pending_changes()", [])
    return [Waiting(*row) for row in rows]


def decide(conn, change: int, *, approve: bool, by: str) -> str:
    """Approve (a new revision every till pulls) or refuse a change; the volunteer's name."""
    return _call(conn, "select hub.decide(%s, %s, %s)", [change, approve, by])[0][0]


def _call(conn, query: str, params: list) -> list[tuple]:
    from psycopg import errors

    try:
        with conn.transaction():
            return conn.execute(query, params).fetchall()
    except (errors.InsufficientPrivilege, errors.NoDataFound) as error:
        raise HubError(str(error).strip().splitlines()[0]) from None
