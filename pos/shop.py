"""Everything the till needs, opened once: settings, the database and the services over it.

The screens, the CLI and the tests build one of these and call its services; nothing
above this line writes SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from inventory.products import Catalogue
from pos.clock import Clock, system_clock
from pos.config import Settings
from pos.database import open_database
from pos.membership import Membership
from pos.reports import TillReport, session_report
from pos.till import Sale, Till
from pos.volunteers import Volunteers


@dataclass
class Shop:
    settings: Settings
    db: Database
    clock: Clock = system_clock
    #: Demo only: volunteer id → PIN, shown on the sign-in screen so newcomers can try everything.
    demo_pins: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.till = Till(self.db, till_id=self.settings.till_id, clock=self.clock, zone=self.settings.zone,
                         discount_limit_percent=self.settings.volunteer_discount_limit_percent)
        self.catalogue: Catalogue = self.till.catalogue
        self.volunteers: Volunteers = self.till.volunteers
        self.membership = Membership(self.db, self.till, self.settings.coop)

    @classmethod
    def open(cls, settings: Settings, *, clock: Clock = system_clock, db_path: Path | None = None) -> "Shop":
        return cls(settings=settings, db=open_database(db_path or settings.db), clock=clock)

    @property
    def needs_setup(self) -> bool:
        """A brand-new database: no one can sign in until the first manager is made."""
        return not self.volunteers.all(active_only=False)

    def receipt(self, sale: Sale, *, copy: bool = False):
        # Imported here: the printers package is not needed to show the sign-in screen.
        from pos.receipts import build_receipt

        original = None
        if sale.refund_of is not None:
            original = self.db.execute("select sale_number from sales where id = ?", [sale.refund_of]).fetchone()[0]
        operator = self.volunteers.get(sale.operator_id).name
        return build_receipt(sale, self.settings, operator=operator, copy=copy, original_number=original)

    def sale_by_id(self, sale_id: int) -> Sale:
        till_id, number = self.db.execute(
            "select till_id, sale_number from sales where id = ?", [sale_id]
        ).fetchone()
        return self.till.get_sale(number, till_id=till_id)

    def current_report(self) -> TillReport | None:
        session = self.till.current_session()
        if session is None:
            return None
        return session_report(self.db, [session.id], zone=self.settings.zone,
                              vat_registered=self.settings.society.vat_registered)

    def report_for(self, session_id: int) -> TillReport:
        return session_report(self.db, [session_id], zone=self.settings.zone,
                              vat_registered=self.settings.society.vat_registered)

    def close(self) -> None:
        self.db.close()
