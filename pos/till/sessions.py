"""Opening the till with a float and closing it with the Z: the session every sale belongs to."""

from __future__ import annotations

from core.clock import local_date, stamp
from core.database import transaction
from core.errors import TillError
from core.money import format_pence
from pos.till.models import NotOpen, Session
from volunteers.people import Volunteer
from volunteers.permissions import Action, authorise

_SESSION_COLUMNS = ", ".join(Session.model_fields)


class Sessions:
    """Part of Till (see pos.till): uses its db, till_id, clock, zone, volunteers, shifts and audit."""

    def current_session(self) -> Session | None:
        row = self.db.execute(
            f"select {_SESSION_COLUMNS} from till_sessions where till_id = ? and closed_at is null",
            [self.till_id],
        ).fetchone()
        return Session(**dict(zip(Session.model_fields, row))) if row else None

    def session(self, session_id: int) -> Session:
        row = self.db.execute(
            f"select {_SESSION_COLUMNS} from till_sessions where id = ?", [session_id]
        ).fetchone()
        if row is None:
            raise TillError(f"there is no till session {session_id}")
        return Session(**dict(zip(Session.model_fields, row)))

    def seller(self, volunteer_id: int) -> Volunteer:
        return self.volunteers.working(volunteer_id)

    def open_session(self, float_pence: int, *, operator_id: int) -> Session:
        """Start the day: the float is the cash put in the drawer before the first sale."""
        if float_pence < 0:
            raise TillError("the float cannot be negative")
        self.seller(operator_id)
        moment = self.clock()
        with transaction(self.db):
            if self.current_session() is not None:
                raise TillError("the till is already open; close it with a Z report first")
            self.db.execute(
                "insert into till_sessions (till_id, business_date, opened_at, opened_by, float_pence)"
                " values (?, ?, ?, ?, ?)",
                [self.till_id, local_date(moment, self.zone).isoformat(), stamp(moment),
                 operator_id, float_pence],
            )
        return self.current_session()

    def reopen_session(self, float_pence: int, *, operator_id: int, approver_id: int | None = None) -> Session:
        """The till was closed with a Z while someone was still selling at the screen (the Z run on
        the command line, or at another till on the same file): a shift lead opens a new session
        with a float, so the sale in hand, and any money already taken for it, can be finished."""
        approver = authorise(self.volunteers, Action.reopen_till, operator_id, approver_id)
        session = self.open_session(float_pence, operator_id=operator_id)
        with transaction(self.db):
            self.audit(Action.reopen_till, operator_id, approver,
                       f"session {session.id}, float {format_pence(float_pence)}")
        return session

    def close_session(self, counted_pence: int, *, operator_id: int, approver_id: int | None = None) -> Session:
        """The Z: record the counted cash and close the session. Its report never changes again. The head log
        in the backup folder is written after it commits, by Shop.after_z."""
        if counted_pence < 0:
            raise TillError("the counted cash cannot be negative")
        approver = authorise(self.volunteers, Action.z_report, operator_id, approver_id)
        with transaction(self.db):
            session = self._require_session()
            self.audit(Action.z_report, operator_id, approver, f"counted {format_pence(counted_pence)}")
            z_number = self.db.execute(
                "select coalesce(max(z_number), 0) + 1 from till_sessions where till_id = ?",
                [self.till_id],
            ).fetchone()[0]
            self.db.execute(
                "update till_sessions set closed_at = ?, closed_by = ?, counted_pence = ?, z_number = ?"
                " where id = ?",
                [self.now(), operator_id, counted_pence, z_number, session.id],
            )
            self.shifts.close_forgotten(self.till_id, at=self.now(), session_id=session.id,
                                        closing_volunteer=operator_id)
            # However long this session stayed open, its Z goes into the journal now, and the head the
            # journal reached is kept as the Z's seal (core/witness.py) in the same transaction.
            from core.journal import seal
            from core.witness import record_seal

            seal(self.db, self.now(), finished=True)
            record_seal(self.db, session_id=session.id, till_id=self.till_id, z_number=z_number, at=self.now())
        return self.session(session.id)

    def _require_session(self) -> Session:
        session = self.current_session()
        if session is None:
            raise NotOpen()
        return session
