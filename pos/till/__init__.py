"""The till: open and close a session, turn baskets into sales, refund, void, and move cash.

Every method that records something writes it in one transaction; when it
returns, the record is on disk (synchronous=FULL) and the till may say "done".

Each part lives in its own module (sessions, signing_in, baskets, sales, refunds, cash, parking;
the records in models); Till puts them together.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.clock import Clock, local_date, stamp, system_clock
from inventory.products import Catalogue
from inventory.stock import Stock
from inventory.units import Units
from inventory.variable_measure import Layout
from pos.receipt_queue import ReceiptStatus
from pos.till.baskets import Baskets
from pos.till.cash import Cash
from pos.till.models import NotOpen, ParkedBasket, Sale, SaleLine, SaleRecord, Session
from pos.till.parking import Parking
from pos.till.refunds import Refunds
from pos.till.sales import Sales
from pos.till.sessions import Sessions
from pos.till.signing_in import SigningIn
from volunteers.people import Volunteers
from volunteers.shifts import Shifts
from volunteers.time_credits import TimeCredits

__all__ = ["NotOpen", "ParkedBasket", "Sale", "SaleLine", "SaleRecord", "Session", "Till"]


# Mixins rather than composed parts: the parts call one another all the time (a refund is recorded
# through the sale path, a void forgets the open basket, nearly everything needs the open session
# and writes the audit log), and callers everywhere (membership's cash, the screens, the tests) use
# till.<method> directly. One object with one `self` keeps every call site as it was, with no
# forwarding layer and no extra hop on the benchmarked sale commit.
class Till(Sessions, SigningIn, Baskets, Sales, Refunds, Cash, Parking):
    """One till (one drawer) on a shared database."""

    def __init__(
        self,
        db: Database,
        *,
        till_id: str = "till-1",
        clock: Clock = system_clock,
        zone: ZoneInfo | None = None,
        discount_limit_percent: int = 10,
        time_credits_per_hour: int = 1,
        time_credit_categories: frozenset[str] = frozenset(),
        barcode_layouts: tuple[Layout, ...] = (),
    ):
        self.db = db
        #: The largest discount (percent of the line or basket) a volunteer may give alone.
        self.discount_limit_percent = discount_limit_percent
        self.till_id = till_id
        self.clock = clock
        self.zone = zone or ZoneInfo("Europe/London")
        self.catalogue = Catalogue(db)
        self.stock = Stock(db)
        self.units = Units(db)
        #: The shop's variable-measure barcodes (weighed and price-marked goods), tried after the catalogue.
        self.barcode_layouts = list(barcode_layouts)
        self.volunteers = Volunteers(db)
        self.shifts = Shifts(db, self.zone)
        self.time_credits = TimeCredits(db, self.shifts, per_hour=time_credits_per_hour,
                                        categories=frozenset(time_credit_categories))
        self.time_credits.elsewhere = self._credits_elsewhere
        #: Where this till's receipts stand (pending, printed, failed).
        self.receipts = ReceiptStatus(db, till_id, self.now)

    def _credits_elsewhere(self, volunteer_id: int) -> int:
        from hub.balances import elsewhere

        return elsewhere(self.db, "time", volunteer_id)

    def now(self) -> str:
        return stamp(self.clock())

    def today(self) -> date:
        """Today in the shop's own time zone."""
        return local_date(self.clock(), self.zone)

    # The screens and the command line mark receipts through the till; the work is ReceiptStatus's.

    def receipts_failed(self) -> int:
        return self.receipts.failed_count()

    def receipt_printed(self, sale_id: int) -> None:
        self.receipts.printed(sale_id)

    def receipt_failed(self, sale_id: int, error: str) -> None:
        self.receipts.failed(sale_id, error)
