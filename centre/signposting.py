"""Signposting: a volunteer records that a family was pointed to a service, in two keystrokes.

The record keeps the time, the volunteer, the service (its id and directory) and optionally
"family with under-5s". No name: only when the family asks to be contacted and a member is
attached is the member number kept, with the time they agreed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from centre.directory import Directory, Service
from centre.footfall import _working
from core.clock import Clock, stamp, system_clock
from core.database import transaction
from core.errors import TillError


@dataclass
class Signpost:
    id: int
    service: Service
    family_under5: bool
    contact_member: str | None


class Signposting:
    def __init__(self, db: Database, *, till_id: str, clock: Clock = system_clock) -> None:
        self.db = db
        self.till_id = till_id
        self.clock = clock
        self.directory = Directory(db)

    def record(self, service_ref: int, *, volunteer_id: int, family_under5: bool = False,
               contact_member: str | None = None) -> Signpost:
        _working(self.db, volunteer_id)
        service = self.directory.get(service_ref)
        if not service.offered:
            raise TillError(f"{service.name} is no longer in the directory as an active service")
        if contact_member is not None:
            from coop.register import Register

            contact_member = Register(self.db).by_number(contact_member).number  # must be a real member
        now = stamp(self.clock())
        with transaction(self.db):
            signpost_id = self.db.execute(
                "insert into signposts (at, till_id, volunteer_id, service_ref, family_under5, contact_member,"
                " consent_at) values (?, ?, ?, ?, ?, ?, ?)",
                [now, self.till_id, volunteer_id, service_ref, int(family_under5), contact_member,
                 now if contact_member else None],
            ).lastrowid
        return Signpost(id=signpost_id, service=service, family_under5=family_under5, contact_member=contact_member)

    def undo_last(self, *, volunteer_id: int) -> Service:
        """Take back this volunteer's last signposting at this till (a wrong pick)."""
        row = self.db.execute(
            "select id, service_ref from signposts where till_id = ? and volunteer_id = ? and undone_at is null"
            " order by id desc limit 1", [self.till_id, volunteer_id]).fetchone()
        if row is None:
            raise TillError("there is nothing of yours to undo")
        with transaction(self.db):
            self.db.execute("update signposts set undone_at = ? where id = ?", [stamp(self.clock()), row[0]])
        return self.directory.get(row[1])

    def choices(self, search: str = "", *, recent: int = 5) -> list[Service]:
        """Offered services matching the search, the ones this till used most recently first."""
        offered = self.directory.offered(search)
        order = [row[0] for row in self.db.execute(
            "select service_ref from signposts where till_id = ? and undone_at is null"
            " group by service_ref order by max(id) desc limit ?", [self.till_id, recent])]
        rank = {ref: n for n, ref in enumerate(order)}
        return sorted(offered, key=lambda s: (rank.get(s.ref, len(rank)), s.name.casefold()))
