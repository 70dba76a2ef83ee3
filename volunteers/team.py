"""Managing the volunteers from the till or the command line: a manager's job.

Every change needs a manager (signed in, or approving on the spot with their PIN) and goes
in the audit log with who did it. Volunteers see only their own details.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.database import transaction
from core.errors import TillError
from volunteers.context import TillContext
from volunteers.people import Role, Volunteer, parse_roles
from volunteers.permissions import Action, authorise
from volunteers.pins import check_shape


class Team:
    def __init__(self, till: TillContext) -> None:
        self.till = till
        self.volunteers = till.volunteers

    def _manager(self, operator_id: int, approver_id: int | None) -> int | None:
        return authorise(self.volunteers, Action.manage_volunteers, operator_id, approver_id)

    def _log(self, operator_id: int, approver_id: int | None, detail: str) -> None:
        self.till.audit(Action.manage_volunteers, operator_id, approver_id, detail)

    def add(self, name: str, role: Role | Iterable[Role], pin: str, *, operator_id: int, approver_id: int | None = None) -> Volunteer:
        approver = self._manager(operator_id, approver_id)
        pin = check_shape(pin)
        if any(v.name.casefold() == name.strip().casefold() for v in self.volunteers.all()):
            raise TillError(f"there is already a volunteer called {name.strip()}; add a surname or initial")
        with transaction(self.till.db):
            added = self.volunteers.add(name, parse_roles(role), at=self.till.now(), pin=pin)
            self._log(operator_id, approver, f"added {added.name} as {added.roles_label.lower()}")
        return added

    def edit(self, volunteer_id: int, *, operator_id: int, approver_id: int | None = None,
             role: Role | Iterable[Role] | None = None, member_number: str | None = None,
             emergency_contact: str | None = None) -> Volunteer:
        approver = self._manager(operator_id, approver_id)
        before = self.volunteers.get(volunteer_id)
        if role is not None and Role.manager not in parse_roles(role):
            self._keep_a_manager(before, "stop being a manager")
        with transaction(self.till.db):
            after = self.volunteers.update(volunteer_id, role=role, member_number=member_number,
                                           emergency_contact=emergency_contact)
            # What changed, not the new values: the audit log is no place for phone numbers.
            changed = [name for name, value in (("role", role), ("member number", member_number),
                                                ("emergency contact", emergency_contact)) if value is not None]
            if changed:
                self._log(operator_id, approver, f"changed {after.name}'s {', '.join(changed)}")
        return after

    def set_pin(self, volunteer_id: int, pin: str, *, operator_id: int, approver_id: int | None = None) -> None:
        """A forgotten PIN: a manager gives a new one (which also lifts a lockout)."""
        approver = self._manager(operator_id, approver_id) if volunteer_id != operator_id else None
        pin = check_shape(pin)
        volunteer = self.volunteers.get(volunteer_id)
        with transaction(self.till.db):
            self.volunteers.set_pin(volunteer_id, pin)
            self._log(operator_id, approver, f"new PIN for {volunteer.name}")

    def retire(self, volunteer_id: int, *, operator_id: int, approver_id: int | None = None) -> None:
        approver = self._manager(operator_id, approver_id)
        volunteer = self.volunteers.get(volunteer_id)
        self._keep_a_manager(volunteer, "leave")
        with transaction(self.till.db):
            self.volunteers.retire(volunteer_id, on=self.till.now())
            self._log(operator_id, approver, f"{volunteer.name} left")

    def profile(self, volunteer_id: int, *, operator_id: int, approver_id: int | None = None) -> dict:
        """Personal details: a volunteer may see their own; anyone else's needs a manager."""
        if volunteer_id != operator_id:
            self._manager(operator_id, approver_id)
        return self.volunteers.profile(volunteer_id)

    def _keep_a_manager(self, volunteer: Volunteer, doing: str) -> None:
        managers = [v for v in self.volunteers.all() if v.role == Role.manager]
        if volunteer.role == Role.manager and volunteer.active and len(managers) == 1:
            raise TillError(f"{volunteer.name} is the only manager and cannot {doing}; "
                            "make someone else a manager first")
