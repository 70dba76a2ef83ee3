"""Offers to cover a gap in the rota: a volunteer says "I can do Tuesday morning", and a shift lead or
manager accepts it onto the rota or declines it.

An offer is not cover yet: the lead knows who works well together, and two people may offer for the
one place left. A volunteer cannot offer for a shift that is full, that has started or gone, or that
needs a certificate (food hygiene for the café) they will not hold in date that day. Accepting checks
all of that again, since the rota may have filled in between. Offers, decisions and the certificate a
slot needs are journaled rota records (core/records.py: "rota_offer", "rota_need").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.clock import from_stamp, monday_of
from core.database import transaction
from core.errors import TillError
from core.ids import next_id
from volunteers.certificates import Certificates
from volunteers.context import TillContext
from volunteers.permissions import Action, authorise
from volunteers.rota import PlannedShift, Rota, RotaError, Slot

#: How an offer ended; an offer with none is waiting for a shift lead.
ACCEPTED, DECLINED, WITHDRAWN = "accepted", "declined", "withdrawn"


class OfferError(RotaError):
    pass


#: How far ahead an offer may be made: the shift leads' list holds what is coming, not shifts years away
#: (the rota itself repeats every week for ever).
FURTHEST_AHEAD = timedelta(weeks=12)

@dataclass
class Offer:
    id: int
    slot: Slot
    on: date
    volunteer_id: int
    name: str
    at: str
    decision: str | None
    decided_by: int | None

    @property
    def waiting(self) -> bool:
        return self.decision is None

    def describe(self) -> str:
        state = "waiting for a shift lead" if self.waiting else self.decision
        return (f"offer {self.id}: {self.name} for {self.on:%a %d %b} {self.slot.starts}-{self.slot.ends} "
                f"{self.slot.label} ({state})")


@dataclass
class RotaLine:
    """One planned shift as a volunteer's page shows it: who is on, the gap, what it needs, the offers
    waiting, and whether this volunteer may offer (None) or why not."""

    shift: PlannedShift
    needs: str | None
    offers: int
    cannot_offer: str | None


class Offers:
    def __init__(self, till: TillContext) -> None:
        self.till = till
        self.db = till.db
        self.rota = Rota(till)
        self.certificates = Certificates(till.db)

    # A volunteer, for themselves ------------------------------------------------------------------

    def offer(self, slot_id: int, on: date, *, volunteer_id: int) -> Offer:
        """'I can cover that': recorded for a shift lead to accept or decline."""
        problem = self.why_not(slot_id, on, volunteer_id)
        if problem:
            raise OfferError(problem)
        if self._waiting(slot_id, on, volunteer_id):
            raise OfferError("you have already offered for that shift; a shift lead will answer")
        with transaction(self.db):
            offer_id = self.db.execute(
                "insert into rota_offers (id, slot_id, volunteer_id, on_date, at) values (?, ?, ?, ?, ?)",
                [next_id(self.db, "rota_offers"), slot_id, volunteer_id, on.isoformat(), self.till.now()],
            ).lastrowid
        return self.get(offer_id)

    def withdraw(self, offer_id: int, *, volunteer_id: int) -> Offer:
        """Someone who can no longer come takes back their own offer, before it is answered."""
        offer = self._open(offer_id)
        if offer.volunteer_id != volunteer_id:
            raise OfferError("only the volunteer who made an offer can take it back")
        return self._decide(offer, WITHDRAWN, volunteer_id)

    def why_not(self, slot_id: int, on: date, volunteer_id: int) -> str | None:
        """Why this volunteer cannot cover `slot_id` on `on`, in a sentence; None if they can."""
        try:
            slot = self.rota._live(slot_id)
            volunteer = self.till.volunteers.working(volunteer_id)
        except TillError as refused:
            return str(refused)
        if not volunteer.active:
            return f"{volunteer.name} has left"
        if on.weekday() != slot.weekday:
            return f"that shift is on {slot.day}s"
        if self._started(slot, on):
            return "that shift has already started" if on == self.till.today() else "that day has gone"
        if on > self.till.today() + FURTHEST_AHEAD:
            return f"offers are for the next {FURTHEST_AHEAD.days // 7} weeks: offer nearer the day"
        shift = self._shift(slot_id, on)
        if volunteer_id in [v for v, _ in shift.covering]:
            return f"{volunteer.name} is already on that shift"
        if not shift.gap:
            return "that shift is full"
        needs = self.needs(slot_id)
        if needs and not self._holds(volunteer_id, needs, on):
            return f"that shift needs a {needs} certificate in date on {on:%d/%m/%Y}; ask a manager about training"
        return None

    # Shift leads and managers ------------------------------------------------------------------

    def accept(self, offer_id: int, *, operator_id: int, approver_id: int | None = None) -> Offer:
        """Onto the rota for that week, if it is still possible (the shift may have filled since)."""
        approver = authorise(self.till.volunteers, Action.manage_rota, operator_id, approver_id)
        offer = self._open(offer_id)
        problem = self.why_not(offer.slot.id, offer.on, offer.volunteer_id)
        if problem:
            raise OfferError(f"{problem}: decline the offer instead")
        with transaction(self.db):
            self.rota._one_week(offer.slot.id, offer.volunteer_id, monday_of(offer.on), operator_id)
            self.till.audit(Action.manage_rota, operator_id, approver,
                            f"accepted offer {offer.id}: {offer.name} on slot {offer.slot.id} for {offer.on}")
            return self._decide(offer, ACCEPTED, operator_id)

    def decline(self, offer_id: int, *, operator_id: int, approver_id: int | None = None) -> Offer:
        approver = authorise(self.till.volunteers, Action.manage_rota, operator_id, approver_id)
        offer = self._open(offer_id)
        with transaction(self.db):
            self.till.audit(Action.manage_rota, operator_id, approver,
                            f"declined offer {offer.id}: {offer.name} on slot {offer.slot.id} for {offer.on}")
            return self._decide(offer, DECLINED, operator_id)

    def require(self, slot_id: int, certificate: str | None, *, operator_id: int,
                approver_id: int | None = None) -> None:
        """The certificate everyone covering a slot must hold in date (None: no longer needed)."""
        approver = authorise(self.till.volunteers, Action.manage_rota, operator_id, approver_id)
        slot = self.rota._live(slot_id)
        certificate = (certificate or "").strip()
        with transaction(self.db):
            if certificate:
                self.db.execute("insert or replace into rota_slot_needs (slot_id, certificate, set_at, set_by)"
                                " values (?, ?, ?, ?)", [slot_id, certificate[:40], self.till.now(), operator_id])
            else:
                self.db.execute("delete from rota_slot_needs where slot_id = ?", [slot_id])
            self.till.audit(Action.manage_rota, operator_id, approver,
                            f"slot {slot.day} {slot.starts}-{slot.ends} {slot.label} needs "
                            f"{certificate or 'no certificate'}")

    # Reading ----------------------------------------------------------------------------------

    def waiting(self) -> list[Offer]:
        """Offers still to answer for shifts not yet started, soonest first: what a shift lead sees."""
        found = self._offers("o.decision is null and o.on_date >= ?", [self.till.today().isoformat()])
        return [offer for offer in found if not self._started(offer.slot, offer.on)]

    def of(self, volunteer_id: int, since: date | None = None) -> list[Offer]:
        """A volunteer's own offers (from `since`), soonest first, answered or not."""
        since = since or self.till.today()
        return self._offers("o.volunteer_id = ? and o.on_date >= ?", [volunteer_id, since.isoformat()])

    def get(self, offer_id: int) -> Offer:
        found = self._offers("o.id = ?", [offer_id])
        if not found:
            raise OfferError(f"there is no offer number {offer_id}")
        return found[0]

    def needs(self, slot_id: int) -> str | None:
        row = self.db.execute("select certificate from rota_slot_needs where slot_id = ?", [slot_id]).fetchone()
        return row[0] if row else None

    def ahead(self, volunteer_id: int, weeks: int = 4, *, first: date | None = None) -> list[RotaLine]:
        """The rota from `first` (today) for `weeks` weeks as `volunteer_id` sees it: each shift, its gap,
        what it needs, how many offers wait, and whether they may offer."""
        first = first or self.till.today()
        needs = dict(self.db.execute("select slot_id, certificate from rota_slot_needs").fetchall())
        counts: dict[tuple[int, str], int] = {}
        for slot_id, on_date in self.db.execute(
                "select slot_id, on_date from rota_offers where decision is null and on_date >= ?", [first.isoformat()]):
            counts[(slot_id, on_date)] = counts.get((slot_id, on_date), 0) + 1
        lines = []
        for shift in self.rota.planned(first, first + timedelta(days=7 * weeks - 1)):
            problem = self.why_not(shift.slot.id, shift.on, volunteer_id)
            if problem is None and self._waiting(shift.slot.id, shift.on, volunteer_id):
                problem = "you have offered; a shift lead will answer"
            lines.append(RotaLine(shift=shift, needs=needs.get(shift.slot.id),
                                  offers=counts.get((shift.slot.id, shift.on.isoformat()), 0), cannot_offer=problem))
        return lines

    # Inside -----------------------------------------------------------------------------------

    def _offers(self, where: str, params: list) -> list[Offer]:
        rows = self.db.execute(
            "select o.id, o.slot_id, o.on_date, o.volunteer_id, v.name, o.at, o.decision, o.decided_by"
            f" from rota_offers o join volunteers v on v.id = o.volunteer_id where {where}"
            " order by o.on_date, o.id", params).fetchall()
        return [Offer(id=i, slot=self.rota.slot(s), on=date.fromisoformat(d), volunteer_id=v, name=n, at=at,
                      decision=decision, decided_by=by) for i, s, d, v, n, at, decision, by in rows]

    def _open(self, offer_id: int) -> Offer:
        offer = self.get(offer_id)
        if not offer.waiting:
            raise OfferError(f"offer {offer_id} was {offer.decision} already")
        return offer

    def _decide(self, offer: Offer, decision: str, by: int) -> Offer:
        with transaction(self.db):
            self.db.execute("update rota_offers set decision = ?, decided_at = ?, decided_by = ? where id = ?",
                            [decision, self.till.now(), by, offer.id])
        return self.get(offer.id)

    def _waiting(self, slot_id: int, on: date, volunteer_id: int) -> bool:
        return self.db.execute(
            "select 1 from rota_offers where slot_id = ? and on_date = ? and volunteer_id = ? and decision is null",
            [slot_id, on.isoformat(), volunteer_id]).fetchone() is not None

    def _shift(self, slot_id: int, on: date) -> PlannedShift:
        return next(p for p in self.rota.planned(on, on) if p.slot.id == slot_id)

    def _started(self, slot: Slot, on: date) -> bool:
        now = from_stamp(self.till.now()).astimezone(self.till.zone)
        starts = datetime.combine(on, datetime.strptime(slot.starts, "%H:%M").time(), tzinfo=self.till.zone)
        return starts <= now

    def _holds(self, volunteer_id: int, kind: str, on: date) -> bool:
        """Whether their newest certificate of this kind is in date on the day of the shift."""
        return any(c.kind.casefold() == kind.casefold() and c.certified_on <= on
                   and (c.expires_on is None or c.expires_on >= on)
                   for c in self.certificates.certificates(volunteer_id))
