"""Which books the web back office reads and writes: the one place that chooses (pos/web/web.py keeps
what this gives on `Web.books`; no page chooses for itself).

One box, no hub: the till's own database, for everything.

On a hub the web runs at the office (node 1), and nowhere else: a till's own file holds only its own
sales, so a member's purchases or a volunteer's hours read there would be wrong without saying so.
There, what people do on the web (a sign-in, an offer to cover a shift, a contact change) is written to
the office's own database, journaled like the office's other records, so it goes up with the office's next
push and reaches the tills as any change made at the office does. The figures that come from every till's
sales and shifts (a member's purchases and dividend estimate, their credit, a volunteer's hours and time
credits) are read from the office's consolidated copy (`till office pull`), which is as fresh as its
last pull: every signed-in page says "as of 14:05", and how many records that pull brought late (for days a
consolidated report had already covered).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from core.clock import from_stamp, local_date
from core.errors import TillError
from core.ids import OFFICE, node_number

if TYPE_CHECKING:
    from sqlite_utils import Database

    from pos.membership import Membership
    from pos.shop import Shop
    from pos.till import Till
    from volunteers.summary import VolunteerSummary

@dataclass(frozen=True)
class AsOf:
    """How fresh the figures a personal page shows are: the copy's last pull (None: never pulled)."""

    at: str | None
    late: int = 0

    def sentence(self) -> str:
        if self.at is None:
            return ("Figures from the other tills have not been gathered here yet (`till office pull --admin URL` at "
                    "the office): these are the office's own.")
        late = "" if not self.late else (
            f" {self.late} record{'s' if self.late != 1 else ''} from the tills arrived late at that pull, for "
            "days already reported; they are counted in their own days.")
        return f"Figures from every till as of {self.at}.{late}"


def refuse_away_from_the_office(shop: Shop) -> None:
    """TillError, in one sentence, when this database is a till of a hub but not its office."""
    number = node_number(shop.db)
    if number is not None and number != OFFICE:
        raise TillError(f"the web back office belongs at the office, the computer that started the society's hub: "
                        f"this is till {number} of the hub, whose own file holds only its own sales; run `till web` "
                        "at the office")


class WebBooks:
    """The web's books: `shop` for everything people do and see that is not a till's figure, `figures`
    (a Till over the copy at the office of a hub, else the shop's own) for what comes from sales and shifts."""

    def __init__(self, shop: Shop):
        refuse_away_from_the_office(shop)
        self.shop = shop
        #: At the office of a hub (anywhere else on a hub was refused just now).
        self.on_hub = node_number(shop.db) is not None
        self._copy: Database | None = None

    @property
    def copy(self) -> Database | None:
        """The office's consolidated copy, once `till office pull` has made it (looked for again until then)."""
        if self._copy is None and self.on_hub:
            from pos.consolidated import copy_path, open_copy

            path = copy_path(self.shop.settings.db)
            if Path(path).exists():
                self._copy = open_copy(path, create=False)
        return self._copy

    @property
    def figures(self) -> Till:
        """A till over the books figures are read from: its shifts, time credits and sales."""
        return self._copy_till if self.copy is not None else self.shop.till

    @property
    def membership(self) -> Membership:
        """The co-op's register, shares, dividends and purchases, as the figures' books hold them."""
        return self._copy_membership if self.copy is not None else self.shop.membership

    def other_tills(self) -> dict[int, str]:
        """The tills other than the office in the consolidated copy, by their number there (none without one)."""
        if self.copy is None:
            return {}
        from core.node import node_id
        from hub.board import other_tills

        return other_tills(self.copy, node_id(self.shop.db))

    def volunteer(self, volunteer_id: int, *, viewer_id: int, first: date, last: date) -> VolunteerSummary:
        """A volunteer's page (volunteers/summary.py): their hours and time credits from every till's shifts
        and sales (the figures' books); their certificates, coming shifts and offers from the books the web
        writes to, so an offer made here shows at once."""
        from volunteers.summary import summary, worked

        here = summary(self.shop.till, self.shop.till.time_credits, volunteer_id, viewer_id=viewer_id,
                       first=first, last=last)
        if self.copy is None:
            return here
        # Only the shifts and credits again, from the copy: its certificates and offers would be the older.
        every = worked(self.figures, self.figures.time_credits, volunteer_id, first=first, last=last)
        return replace(here, shifts=every.shifts, minutes=every.minutes, to_check=every.to_check,
                       credits=every.credits, credit_history=every.credit_history)

    def as_of(self) -> AsOf | None:
        """What a signed-in page says of its figures' freshness; None on one box (they are the till's own)."""
        if not self.on_hub:
            return None
        if self.copy is None:
            return AsOf(None)
        from hub.office import last_pull

        found = last_pull(self.copy)
        if found is None:
            return AsOf(None)
        at, late = found
        zone = self.shop.settings.zone
        moment = from_stamp(at).astimezone(zone)
        today = local_date(self.shop.clock(), zone)
        when = f"{moment:%H:%M}" if moment.date() == today else f"{moment:%H:%M} on {moment:%d/%m/%Y}"
        return AsOf(when, late)

    @cached_property
    def _copy_till(self) -> Till:
        from pos.consolidated import ALL_TILLS
        from pos.till import Till

        settings = self.shop.settings
        return Till(self.copy, till_id=ALL_TILLS, clock=self.shop.clock, zone=settings.zone,
                    time_credits_per_hour=settings.time_credits_per_hour,
                    time_credit_categories=frozenset(settings.time_credit_categories))

    @cached_property
    def _copy_membership(self) -> Membership:
        from pos.membership import Membership

        return Membership(self.copy, self._copy_till, self.shop.settings.coop)

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()
            self._copy = None
