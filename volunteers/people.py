"""The people who work the till: their roles, PINs and the lockout after wrong PINs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel
from sqlite_utils import Database

from core.audit import audit
from core.clock import from_stamp, stamp
from core.database import transaction
from core.errors import TillError
from core.ids import next_id
from core.text import clean_name, skeleton
from volunteers.pins import check_shape, hash_pin, pin_matches

#: Wrong PINs in a row before a person is locked out, and for how long.
MAX_WRONG_PINS = 5
LOCKOUT = timedelta(minutes=5)


def _clean_name(name: str) -> str:
    return clean_name(name, 60, what="a name", required=False)


class Role(StrEnum):
    volunteer = "volunteer"
    shift_lead = "shift_lead"
    manager = "manager"
    #: Children's centre staff: they read the Reports area and nothing else; they do not sell.
    centre_staff = "centre_staff"
    #: The society's officers, who may never stand at the till: they read the books and decide from the web.
    treasurer = "treasurer"
    board_member = "board_member"

    @property
    def label(self) -> str:
        return {"volunteer": "Volunteer", "shift_lead": "Shift lead", "manager": "Manager",
                "centre_staff": "Centre staff", "treasurer": "Treasurer", "board_member": "Board member"}[self.value]

    @property
    def rank(self) -> int:
        # Below a volunteer: centre staff and officers may approve nothing at the till.
        return {"volunteer": 0, "shift_lead": 1, "manager": 2}.get(self.value, -1)

    @property
    def sells(self) -> bool:
        return self in (Role.volunteer, Role.shift_lead, Role.manager)


#: Most senior first: someone's main role (the one the till goes by, and shows by their name) is the
#: first of theirs in this order.
ORDER = (Role.manager, Role.shift_lead, Role.volunteer, Role.centre_staff, Role.treasurer, Role.board_member)


def parse_roles(text: str | Role | Iterable[Role | str]) -> frozenset[Role]:
    """The roles written as "manager,treasurer" (how the volunteers table keeps them), one Role, or several."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    try:
        roles = frozenset(Role(str(part).strip()) for part in parts if str(part).strip())
    except ValueError as error:
        raise TillError(f"there is no role called {str(error).split()[0]}; the roles are "
                        + ", ".join(role.value for role in ORDER)) from None
    if not roles:
        raise TillError("a volunteer needs a role")
    return roles


def roles_text(roles: Iterable[Role]) -> str:
    """The roles as one column's text. One column, not a table: the journal, the hub's rule that a role
    given at a till waits for the office's approval, and the office's approvals all see a change of any of
    them as the change of role it is, with nothing new to share."""
    held = set(roles)
    return ",".join(role.value for role in ORDER if role in held)


class WrongPin(TillError):
    pass


class LockedOut(TillError):
    pass


class NoPin(TillError):
    """Enter with nothing typed: a prompt, not a wrong PIN."""


class Volunteer(BaseModel):
    id: int
    name: str
    roles: frozenset[Role]
    active: bool
    has_pin: bool = False

    @property
    def role(self) -> Role:
        """The main role: the most senior the till knows them by."""
        return next(role for role in ORDER if role in self.roles)

    @property
    def roles_label(self) -> str:
        return ", ".join(role.label for role in ORDER if role in self.roles)


_COLUMNS = "id, name, role, active, pin_hash is not null"


def _volunteer(row) -> Volunteer:
    return Volunteer(id=row[0], name=row[1], roles=parse_roles(row[2]), active=bool(row[3]), has_pin=bool(row[4]))


class Volunteers:
    def __init__(self, db: Database):
        self.db = db
        #: In training mode, PINs are checked against the real shop's volunteers, so wrong
        #: PINs typed in practice count towards the real lockout (a copy would forget them).
        self.pins_from: Volunteers | None = None

    def add(self, name: str, role: Role | Iterable[Role], *, at: str, pin: str | None = None) -> Volunteer:
        name = _clean_name(name)
        if not name:
            raise TillError("a volunteer needs a name")
        self._no_look_alike(name)
        pin_hash = hash_pin(pin) if pin is not None else None
        with self.db.atomic():
            cursor = self.db.execute(
                "insert into volunteers (id, name, role, active, created_at, pin_hash) values (?, ?, ?, 1, ?, ?)",
                [next_id(self.db, "volunteers"), name, roles_text(parse_roles(role)), at, pin_hash],
            )
        return self.get(cursor.lastrowid)

    def _no_look_alike(self, name: str) -> None:
        """Names pick people at sign-in and in every approval and audit line: two that look alike
        ('Sam Ortiz' and 'Sаm Ortiz' with a Cyrillic а) could not be told apart, so one is refused."""
        others = [v.name for v in self.all()]
        twin = next((other for other in others if skeleton(other) == skeleton(name)), None)
        if twin is not None:
            same = "is already on the till" if twin == name else f"looks the same as '{twin}', already on the till"
            raise TillError(f"'{name}' {same}; add a surname or an initial to tell them apart")

    def get(self, volunteer_id: int) -> Volunteer:
        row = self.db.execute(f"select {_COLUMNS} from volunteers where id = ?", [volunteer_id]).fetchone()
        if row is None:
            raise TillError(f"there is no volunteer number {volunteer_id}")
        return _volunteer(row)

    def all(self, *, active_only: bool = True) -> list[Volunteer]:
        where = "where active = 1" if active_only else ""
        return [_volunteer(r) for r in self.db.execute(f"select {_COLUMNS} from volunteers {where} order by name")]

    def working(self, volunteer_id: int) -> Volunteer:
        """Someone who may work the till (sell, count, signpost): not the centre's staff, who
        read the reports only."""
        volunteer = self.get(volunteer_id)
        if not volunteer.role.sells:
            raise TillError(f"{volunteer.name} is {volunteer.roles_label.lower()}: the till is worked by volunteers, shift leads and managers")
        return volunteer

    def by_name(self, name: str) -> Volunteer:
        """The active volunteer with this name (any case)."""
        matches = [v for v in self.all() if v.name.casefold() == name.strip().casefold()]
        if not matches:
            raise TillError(f"no active volunteer is called '{name.strip()}'")
        return matches[0]

    def profile(self, volunteer_id: int) -> dict:
        """The personal details a manager may see (volunteers never see each other's)."""
        self.get(volunteer_id)
        return next(self.db.query(
            "select id, name, role, active, member_number, emergency_contact, left_on, created_at"
            " from volunteers where id = ?", [volunteer_id]))

    def update(self, volunteer_id: int, *, role: Role | Iterable[Role] | None = None, member_number: str | None = None,
               emergency_contact: str | None = None, name: str | None = None) -> Volunteer:
        current = self.get(volunteer_id)
        changes = {}
        if name is not None and _clean_name(name) != current.name:
            changes["name"] = _clean_name(name)
            if not changes["name"]:
                raise TillError("a volunteer needs a name")
            self._no_look_alike(changes["name"])
        if role is not None:
            changes["role"] = roles_text(parse_roles(role))
        if member_number is not None:
            changes["member_number"] = member_number.strip().upper() or None
        if emergency_contact is not None:
            changes["emergency_contact"] = clean_name(emergency_contact, 200, what="the emergency contact",
                                                      lines=True, required=False) or None
        if changes:
            with self.db.atomic():
                self.db.execute(f"update volunteers set {', '.join(f'{k} = ?' for k in changes)} where id = ?",
                                [*changes.values(), volunteer_id])
        return self.get(volunteer_id)

    def retire(self, volunteer_id: int, *, on: str) -> None:
        """Someone who has moved on: they can no longer sign in; their shifts and sales stay."""
        volunteer = self.get(volunteer_id)
        if not volunteer.active:
            raise TillError(f"{volunteer.name} has already left")
        with self.db.atomic():
            self.db.execute("update volunteers set active = 0, left_on = ? where id = ?", [on, volunteer_id])

    def set_pin(self, volunteer_id: int, pin: str) -> None:
        self.get(volunteer_id)
        with self.db.atomic():
            self.db.execute(
                "update volunteers set pin_hash = ?, failed_pins = 0, locked_until = null where id = ?",
                [hash_pin(pin), volunteer_id],
            )

    def check_pin(self, volunteer_id: int, pin: str, *, now: datetime, till_id: str = "unknown") -> Volunteer:
        """The volunteer, if the PIN is theirs; otherwise WrongPin, or LockedOut after too many.
        Nothing typed is NoPin and uses no try: a stray Enter must not lock anyone out.

        The try is counted under the write lock before the PIN is compared with its hash, and the
        fifth locks the person out there and then (lifted again if it was right): however many tries
        arrive at once, from however many tills, at most five are ever compared. Wrong PINs, the
        lockout and tries while locked out go in the audit log, naming `till_id`."""
        if self.pins_from is not None:
            return self.pins_from.check_pin(volunteer_id, pin, now=now, till_id=till_id)
        if not (pin or "").strip():
            raise NoPin("Type the PIN, then press Enter")
        volunteer = self.get(volunteer_id)
        if not volunteer.active:
            raise TillError(f"{volunteer.name} is no longer on the till")
        pin_hash, tries, locked_until = self._count_the_try(volunteer, now, till_id)
        if locked_until is not None:
            minutes = max(1, round((from_stamp(locked_until) - now).total_seconds() / 60))
            raise LockedOut(f"Too many wrong PINs: {volunteer.name} can try again in {minutes} minute"
                            f"{'s' if minutes != 1 else ''}, or ask a manager")
        try:
            shaped = check_shape(pin)
        except TillError:
            shaped = None
        if shaped is not None and pin_matches(shaped, pin_hash):
            with transaction(self.db):
                self.db.execute("update volunteers set failed_pins = 0, locked_until = null where id = ?",
                                [volunteer_id])
            return volunteer
        left = MAX_WRONG_PINS - tries
        with transaction(self.db):
            self._audit(volunteer, now, till_id, "wrong_pin",
                        f"wrong PIN for {volunteer.name}" + (f" ({left} more before a lockout)" if left else ""))
            if not left:
                self._audit(volunteer, now, till_id, "pin_lockout",
                            f"{volunteer.name} locked out for {int(LOCKOUT.total_seconds() // 60)} minutes after {tries} wrong PINs")
        if not left:
            raise LockedOut(f"Too many wrong PINs: {volunteer.name} is locked out for "
                            f"{int(LOCKOUT.total_seconds() // 60)} minutes")
        raise WrongPin(f"That PIN is not right ({left} more tr{'ies' if left != 1 else 'y'} before a lockout)")

    def _count_the_try(self, volunteer: Volunteer, now: datetime, till_id: str) -> tuple[str, int, str | None]:
        """Under the write lock: (the PIN hash, this try's number, None), the fifth try locking the
        person out at once; or (…, 0, when the lockout ends) if they are locked out already."""
        with transaction(self.db):
            pin_hash, locked_until = self.db.execute(
                "select pin_hash, locked_until from volunteers where id = ?", [volunteer.id]).fetchone()
            if locked_until and from_stamp(locked_until) > now:
                self._audit(volunteer, now, till_id, "pin_locked_out",
                            f"PIN tried for {volunteer.name} while locked out")
                return pin_hash, 0, locked_until
            if pin_hash is None:
                raise WrongPin(f"{volunteer.name} has no PIN yet; a manager can set one")
            (tries,) = self.db.execute(
                "update volunteers set failed_pins = failed_pins + 1, locked_until = null where id = ?"
                " returning failed_pins", [volunteer.id]).fetchone()
            if tries >= MAX_WRONG_PINS:
                self.db.execute("update volunteers set failed_pins = 0, locked_until = ? where id = ?",
                                [stamp(now + LOCKOUT), volunteer.id])
        return pin_hash, min(tries, MAX_WRONG_PINS), None

    def _audit(self, volunteer: Volunteer, now: datetime, till_id: str, action: str, detail: str) -> None:
        """A PIN event in the audit log, naming who was signed in at that till (the likely typist)."""
        (there,) = self.db.execute(
            "select group_concat(name, ', ') from (select distinct v.name from shifts s"
            " join volunteers v on v.id = s.volunteer_id where s.till_id = ? and s.ended_at is null"
            " order by v.name)", [till_id]).fetchone()
        audit(self.db, at=stamp(now), till_id=till_id, action=action, operator_id=volunteer.id,
              detail=f"{detail}; signed in at {till_id}: {there or 'nobody'}")
