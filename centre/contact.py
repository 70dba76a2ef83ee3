"""What a volunteer can pass on about a service: where it is, its phone, when it is open, its link.

Read from the Open Referral UK service object, in either of the shapes councils publish:
API v3 (`phones`, `schedules`, `service_at_locations[].location.addresses`) and API v1
(`contacts[].phones`, `regular_schedules`, `...location.physical_addresses`). These details are
optional: anything that cannot be read is left out, never a reason to refuse the import. Only
the service's own details are kept, never a contact person's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

_MAX = 120
_DAYS = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass(frozen=True)
class ContactDetails:
    address: str | None = None
    phones: tuple[str, ...] = ()
    email: str | None = None
    opening: tuple[str, ...] = ()

    def to_json(self) -> str | None:
        if self == ContactDetails():
            return None
        return json.dumps({"address": self.address, "phones": list(self.phones), "email": self.email,
                           "opening": list(self.opening)}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> ContactDetails:
        if not text:
            return cls()
        data = json.loads(text)
        return cls(address=data.get("address"), phones=tuple(data.get("phones") or ()), email=data.get("email"),
                   opening=tuple(data.get("opening") or ()))


@dataclass
class ServiceContact:
    """A service as a volunteer passes it on (to read out, or printed on a slip)."""

    name: str
    organization: str | None
    url: str | None
    details: ContactDetails = field(default_factory=ContactDetails)

    def lines(self) -> list[str]:
        d = self.details
        lines = [self.name] + ([f"by {self.organization}"] if self.organization else [])
        if d.address:
            lines.append(f"Where: {d.address}")
        lines += [f"Phone: {phone}" for phone in d.phones]
        if d.opening:
            lines.append("Open: " + d.opening[0])
            lines += [f"      {more}" for more in d.opening[1:]]
        if d.email:
            lines.append(f"Email: {d.email}")
        if self.url:
            lines.append(f"Web: {self.url}")
        if len(lines) == 1 + bool(self.organization):
            lines.append("The directory gives no address, phone, opening times or link for this service.")
        return lines


def _soft(value: object, limit: int = _MAX) -> str | None:
    """Text, or None for anything that is not text (details are optional, never a reason to refuse)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = " ".join(str(value).split())
    return text[:limit] or None


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _unique(items, most: int = 3) -> tuple[str, ...]:
    found: list[str] = []
    for item in items:
        if item and item not in found:
            found.append(item)
    return tuple(found[:most])


def _time(value: object) -> str | None:
    text = _soft(value, 8)
    return text[:5] if text and len(text) >= 5 and text[2] == ":" else text


def _schedule(entry: dict) -> str | None:
    opens, closes = _time(entry.get("opens_at")), _time(entry.get("closes_at"))
    hours = f"{opens}-{closes}" if opens and closes else None
    days = None
    byday = _soft(entry.get("byday"))
    if byday:  # v3: iCalendar days, "TH,FR"
        days = ", ".join(_DAYS.get(d.strip().upper()[-2:], d.strip()) for d in byday.split(",") if d.strip())
    weekday = entry.get("weekday")  # v1: "Monday" or 1 to 7
    if isinstance(weekday, int) and not isinstance(weekday, bool) and 1 <= weekday <= 7:
        days = _WEEKDAYS[weekday - 1]
    elif _soft(weekday):
        days = _soft(weekday)[:3].capitalize()
    if hours:
        return f"{days} {hours}" if days else hours
    return _soft(entry.get("description"))


def _address(location: dict) -> str | None:
    for key in ("addresses", "physical_addresses"):  # v3, v1
        addresses = _dicts(location.get(key))
        physical = [a for a in addresses if a.get("address_type") in (None, "physical")] or addresses
        for address in physical:
            parts = [_soft(address.get(k)) for k in ("address_1", "address_2", "city", "postal_code")]
            if any(parts):
                name = _soft(location.get("name"))
                return ", ".join(([name] if name else []) + [p for p in parts if p])[:200]
    return None


def read_contact(raw: dict) -> ContactDetails:
    """The contact details in one ORUK service object (v1 or v3); empty when it gives none."""
    locations = [item["location"] for item in _dicts(raw.get("service_at_locations"))
                 if isinstance(item.get("location"), dict)]
    phones = [_soft(p.get("number"), 40) for p in _dicts(raw.get("phones"))]
    for contact in _dicts(raw.get("contacts")):
        phones += [_soft(p.get("number"), 40) for p in _dicts(contact.get("phones"))]
    for location in locations:
        phones += [_soft(p.get("number"), 40) for p in _dicts(location.get("phones"))]
    schedules = _dicts(raw.get("schedules")) + _dicts(raw.get("regular_schedules"))
    for item in _dicts(raw.get("service_at_locations")):
        schedules += _dicts(item.get("schedules")) + _dicts(item.get("regular_schedules"))
    address = next((a for a in map(_address, locations) if a), None)
    return ContactDetails(address=address, phones=_unique(phones), email=_soft(raw.get("email")),
                          opening=_unique(map(_schedule, schedules), 7))
