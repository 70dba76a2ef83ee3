"""A volunteer's own page, as one object: their shifts and hours over a period, their time credits (the
balance and how it came about), their certificates and what runs out soon, their coming shifts on the
rota and their offers to cover. The web's volunteer pages and anything else that shows a volunteer
their record call `summary`, so no page adds hours up itself.

Whose summary: a volunteer's own; someone else's only for a shift lead or manager (Action.see_hours,
as `till volunteers hours`), checked here, not by hiding a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.clock import from_stamp
from volunteers.certificates import Certificate, Certificates
from volunteers.context import TillContext
from volunteers.offers import Offer, Offers
from volunteers.people import Volunteers
from volunteers.permissions import Action, authorise
from volunteers.rota import PlannedShift
from volunteers.shifts import HoursRow, Shift, Shifts, as_hours
from volunteers.time_credits import TimeCredits


@dataclass
class CreditLine:
    """One change to a volunteer's time credits: earned in a month, or spent (or given back) at a sale."""

    on: date
    what: str
    credits: int


@dataclass
class CertificateLine:
    certificate: Certificate
    #: "current", "expiring" (within 30 days) or "expired".
    state: str


@dataclass
class VolunteerSummary:
    volunteer_id: int
    name: str
    first: date
    last: date
    shifts: list[Shift]
    minutes: int
    to_check: int
    credits: int
    credit_history: list[CreditLine]
    certificates: list[CertificateLine]
    #: The warnings the till shows at sign-in: what has expired or runs out within 30 days.
    expiring: list[str]
    coming: list[PlannedShift] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)

    @property
    def hours(self) -> str:
        return as_hours(self.minutes)


@dataclass
class Worked:
    """What a volunteer's shifts and time credits add up to, from one set of books."""

    shifts: list[Shift]
    minutes: int
    to_check: int
    credits: int
    credit_history: list[CreditLine]


def worked(till: TillContext, credits: TimeCredits, volunteer_id: int, *, first: date, last: date) -> Worked:
    """`volunteer_id`'s ended shifts from `first` to `last` (both included) and their time credits, as `till`'s
    books hold them (at the office of a hub: every till's, from the consolidated copy)."""
    mine = [s for s in Shifts(till.db, till.zone).for_volunteer(volunteer_id) if s.ended_at is not None
            and first <= from_stamp(s.started_at).astimezone(till.zone).date() <= last]
    return Worked(shifts=mine, minutes=sum(s.minutes for s in mine), to_check=sum(s.needs_check for s in mine),
                  credits=credits.balance(volunteer_id, till.today()),
                  credit_history=credit_history(till, credits, volunteer_id))


def summary(till: TillContext, credits: TimeCredits, volunteer_id: int, *, viewer_id: int,
            first: date, last: date, weeks_ahead: int = 4) -> VolunteerSummary:
    """`volunteer_id`'s record from `first` to `last` (both included), as `viewer_id` may see it."""
    if viewer_id != volunteer_id:
        authorise(till.volunteers, Action.see_hours, viewer_id, None)
    volunteer = till.volunteers.get(volunteer_id)
    today = till.today()
    held = Certificates(till.db)
    offers = Offers(till)
    coming = [p for p in offers.rota.planned(today, today + timedelta(days=7 * weeks_ahead - 1))
              if volunteer_id in [v for v, _ in p.covering]]
    done = worked(till, credits, volunteer_id, first=first, last=last)
    return VolunteerSummary(
        volunteer_id=volunteer_id, name=volunteer.name, first=first, last=last, shifts=done.shifts,
        minutes=done.minutes, to_check=done.to_check, credits=done.credits, credit_history=done.credit_history,
        certificates=[CertificateLine(c, c.state(today)) for c in held.certificates(volunteer_id)],
        expiring=held.warnings(volunteer_id, today), coming=coming, offers=offers.of(volunteer_id))


def credit_history(till: TillContext, credits: TimeCredits, volunteer_id: int) -> list[CreditLine]:
    """Every change to the balance this till knows, oldest first: a line per month earned, and per sale."""
    today = till.today()
    found = [CreditLine(on=date.fromisoformat(f"{row.month}-01"), what=f"earned for {row.hours} given in {row.month}",
                        credits=row.credits)
             for row in credits.shifts.hours(date(2000, 1, 1), today, credits_per_hour=credits.per_hour,
                                             volunteer_id=volunteer_id) if row.credits]
    for at, spent, sale in till.db.execute(
            "select t.at, t.credits, s.sale_number from time_credit_spends t join sales s on s.id = t.sale_id"
            " where t.volunteer_id = ? order by t.at, t.id", [volunteer_id]):
        day = from_stamp(at).astimezone(till.zone).date()
        what = f"spent at sale {sale}" if spent > 0 else f"given back by refund {sale}"
        found.append(CreditLine(on=day, what=what, credits=-spent))
    return sorted(found, key=lambda line: line.on)


def everyones_hours(volunteers: Volunteers, shifts: Shifts, *, viewer_id: int, first: date, last: date,
                    credits_per_hour: int) -> list[HoursRow]:
    """Hours and time credits per volunteer per month from `first` to `last`, as `till volunteers hours`
    shows them, for someone who may see everyone's (Action.see_hours; checked here, not only by the page).
    `volunteers` is who may look (the books people sign in to); `shifts` where the hours are (at the office
    of a hub, the consolidated copy of every till's)."""
    authorise(volunteers, Action.see_hours, viewer_id, None)
    return shifts.hours(first, last, credits_per_hour=credits_per_hour)
