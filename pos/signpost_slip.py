"""The slip a volunteer can print for a family they signposted: the service's contact details as
the directory gives them. No name, no date of the visit, nothing about the family."""

from __future__ import annotations

from centre.contact import ServiceContact
from pos.config import Settings
from printers.receipt import Receipt


def signpost_slip(contact: ServiceContact, settings: Settings) -> Receipt:
    name, *rest = contact.lines()
    return Receipt(
        header=[settings.society.name],
        title=name,
        notes=rest,
        footer=["Details from the area's service directory: check before you travel."],
    )
