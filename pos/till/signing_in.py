"""Volunteers signing in and out at the till (their shifts), and a lead's PIN approving on the spot."""

from __future__ import annotations

from core.database import transaction
from volunteers.people import Volunteer
from volunteers.permissions import Action, authorise


class SigningIn:
    """Part of Till (see pos.till): uses its db, till_id, clock and volunteers."""

    def sign_in(self, volunteer_id: int, pin: str) -> Volunteer:
        """Check the PIN and start a shift (unless one is already running on this till)."""
        volunteer = self.check_pin(volunteer_id, pin)
        if volunteer.role.sells:  # centre staff come to read the reports, not for a shift
            self.start_shift(volunteer_id)
        return volunteer

    def check_pin(self, volunteer_id: int, pin: str) -> Volunteer:
        """A PIN typed at this till: counted towards the lockout, and audited with this till's name if wrong."""
        return self.volunteers.check_pin(volunteer_id, pin, now=self.clock(), till_id=self.till_id)

    def start_shift(self, volunteer_id: int) -> None:
        """The shift part of signing in, once the PIN is checked (the simulator calls it directly)."""
        with transaction(self.db):
            running = self.db.execute(
                "select 1 from shifts where volunteer_id = ? and till_id = ? and ended_at is null",
                [volunteer_id, self.till_id],
            ).fetchone()
            if not running:
                self.db.execute(
                    "insert into shifts (volunteer_id, till_id, started_at) values (?, ?, ?)",
                    [volunteer_id, self.till_id, self.now()],
                )

    def sign_out(self, volunteer_id: int) -> None:
        from core.journal import seal

        with transaction(self.db):
            self.db.execute(
                "update shifts set ended_at = ? where volunteer_id = ? and till_id = ? and ended_at is null",
                [self.now(), volunteer_id, self.till_id],
            )
            seal(self.db, self.now(), finished=True)  # however long ago the shift began

    def approve(self, volunteer_id: int, pin: str, action: Action) -> int:
        """A shift lead or manager's PIN typed on the spot; returns their id to pass as approver_id."""
        approver = self.check_pin(volunteer_id, pin)
        return authorise(self.volunteers, action, approver.id, None) or approver.id
