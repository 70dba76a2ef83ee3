"""Everything the till needs, opened once: settings, the database and the services over it.

The screens, the CLI and the tests build one of these and call its services; nothing
above this line writes SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from core.clock import Clock, system_clock
from core.errors import TillError
from inventory.products import Catalogue
from pos.config import Settings, society_settings
from pos.database import open_database
from pos.till import Sale, Till
from volunteers.people import Role, Volunteer, Volunteers

if TYPE_CHECKING:
    from centre.footfall import Footfall
    from centre.signposting import Signposting
    from pos.membership import Membership
    from pos.reports import TillReport
    from volunteers.certificates import Certificates
    from volunteers.rota import Rota


@dataclass
class AfterZ:
    #: The former members whose optional details were removed.
    purged: list[str]
    #: Makes the automatic backup and says where; a TillError if it could not. None: no backup.
    backup: Callable[[], Path] | None
    #: Why the Z's journal head could not be written to the head log, to be said; None when it was.
    unwitnessed: str | None = None


@dataclass
class Shop:
    settings: Settings
    db: Database
    clock: Clock = system_clock
    #: Demo only: volunteer id → PIN, shown on the sign-in screen so newcomers can try everything.
    demo_pins: dict[int, str] = field(default_factory=dict)
    #: Training mode: this shop is a throwaway copy of the real one, so nothing done here counts.
    practising: bool = False

    def __post_init__(self) -> None:
        self.settings = society_settings(self.settings, self.db)  # on a hub, the society's rules win
        self.till = Till(self.db, till_id=self.settings.till_id, clock=self.clock, zone=self.settings.zone,
                         discount_limit_percent=self.settings.volunteer_discount_limit_percent,
                         time_credits_per_hour=self.settings.time_credits_per_hour,
                         time_credit_categories=frozenset(self.settings.time_credit_categories),
                         barcode_layouts=tuple(self.settings.barcodes.variable))
        self.catalogue: Catalogue = self.till.catalogue
        self.volunteers: Volunteers = self.till.volunteers

    # The other services are made when first used, and their modules imported then: the sign-in
    # screen needs none of them, and importing them (the co-op's and the centre's models) would
    # add to every start. Their constructors only keep what they are given, so making them later
    # changes nothing.

    @cached_property
    def membership(self) -> Membership:
        from pos.membership import Membership

        return Membership(self.db, self.till, self.settings.coop)

    @cached_property
    def certificates(self) -> Certificates:
        from volunteers.certificates import Certificates

        return Certificates(self.db)

    @cached_property
    def rota(self) -> Rota:
        from volunteers.rota import Rota

        return Rota(self.till)

    @cached_property
    def footfall(self) -> Footfall:
        from centre.footfall import Footfall

        return Footfall(self.db, till_id=self.settings.till_id, zone=self.settings.zone, clock=self.clock)

    @cached_property
    def signposting(self) -> Signposting:
        from centre.signposting import Signposting

        return Signposting(self.db, till_id=self.settings.till_id, clock=self.clock)

    @classmethod
    def open(cls, settings: Settings, *, clock: Clock = system_clock, db_path: Path | None = None) -> Shop:
        from coop.cards import use_key_file

        use_key_file(settings.card_key_file)  # before the database opens: an upgrade may hash cards with it
        return cls(settings=settings, db=open_database(db_path or settings.db), clock=clock)

    @property
    def needs_setup(self) -> bool:
        """A brand-new database: no one can sign in until the first manager is made."""
        return not self.volunteers.all(active_only=False)

    def receipt(self, sale: Sale, *, copy: bool = False):
        # Imported here: the printers package is not needed to show the sign-in screen.
        from pos.receipts import build_receipt, training_receipt

        original = None
        if sale.refund_of is not None:
            original = self.db.execute("select sale_number from sales where id = ?", [sale.refund_of]).fetchone()[0]
        operator = self.volunteers.get(sale.operator_id).name
        receipt = build_receipt(sale, self.settings, operator=operator, copy=copy, original_number=original)
        return training_receipt(receipt) if self.practising else receipt

    @property
    def receipt_queue(self):
        """The receipts a printer refused, to list and print again."""
        from pos.receipt_queue import ReceiptQueue

        return ReceiptQueue(self)

    def printer(self, spec: str | None = None):
        """The settings' printer (or the one `spec` names) as a callable that prints a receipt;
        a spec that cannot be used is a TillError saying why."""
        from pos.printing import printer

        return printer(self.settings, spec)

    def send_receipt(self, receipt, name: str):
        """Print a receipt or slip on this shop's printer (pos.printing.send_receipt); touches no
        database, so a worker thread may call it."""
        from pos.printing import send_receipt

        return send_receipt(self.settings, receipt, name)

    def sale_by_id(self, sale_id: int) -> Sale:
        till_id, number = self.db.execute(
            "select till_id, sale_number from sales where id = ?", [sale_id]
        ).fetchone()
        return self.till.get_sale(number, till_id=till_id)

    def current_report(self) -> TillReport | None:
        from pos.reports import session_report

        session = self.till.current_session()
        if session is None:
            return None
        return session_report(self.db, [session.id], zone=self.settings.zone,
                              vat_registered=self.settings.society.vat_registered)

    def report_for(self, session_id: int) -> TillReport:
        from pos.reports import session_report

        return session_report(self.db, [session_id], zone=self.settings.zone,
                              vat_registered=self.settings.society.vat_registered)

    def report_notes(self, report: TillReport) -> list[str]:
        """What an X or Z ends with: the VAT registration threshold's warning, when the society nears it."""
        from datetime import date

        from pos.vat_turnover import report_warning

        found = report_warning(self.db, self.settings, date.fromisoformat(report.date))
        return [found] if found else []

    def today(self):
        return self.till.today()

    def sign_in_warnings(self, volunteer: Volunteer) -> list[str]:
        """Everything said on signing in: certificates first, then the rota's gaps."""
        gap = self.rota_gap_warning(volunteer)
        return self.certificate_warnings(volunteer) + ([f"Rota: {gap}"] if gap else [])

    def certificate_warnings(self, volunteer: Volunteer) -> list[str]:
        """Certificates that have run out or soon will: the volunteer's own, and for a shift lead or
        manager, that of everyone else on shift at this till."""
        today = self.today()
        found = [f"Your {w[0].lower()}{w[1:]}" for w in self.certificates.warnings(volunteer.id, today)]
        if volunteer.role != Role.volunteer:
            for other in self.till.shifts.on_shift(self.till.till_id):
                if other != volunteer.id:
                    name = self.volunteers.get(other).name
                    found += [f"{name}: {w}" for w in self.certificates.warnings(other, today)]
        return found

    def rota_gap_warning(self, volunteer: Volunteer) -> str | None:
        """For a shift lead or manager: the shifts of the coming week that still need people."""
        if volunteer.role == Role.volunteer:
            return None
        gaps = self.rota.gaps(self.today(), days=7)
        if not gaps:
            return None
        return (f"{len(gaps)} shift{'s' if len(gaps) != 1 else ''} in the next 7 days "
                f"still need people, first {gaps[0].on:%a %d %b} {gaps[0].slot.starts} (F10 then F5)")

    def my_volunteering(self, volunteer: Volunteer) -> str:
        """What a signed-in volunteer may see about themselves: hours, credits, training."""
        from datetime import date

        today = self.today()
        mine = self.till.shifts.hours(date(2000, 1, 1), today, volunteer_id=volunteer.id,
                                      credits_per_hour=self.settings.time_credits_per_hour)
        this_month = sum(r.minutes for r in mine if r.month == today.strftime("%Y-%m"))
        total = sum(r.minutes for r in mine)
        credits = sum(r.credits for r in mine)
        spent = self.till.time_credits.spent(volunteer.id)
        lines = [
            f"{volunteer.name} ({volunteer.role.label})",
            "",
            f"This month      {this_month // 60:>4}:{this_month % 60:02d} hours",
            f"In total        {total // 60:>4}:{total % 60:02d} hours",
            f"Time credits    {credits:>7} earned, {spent} spent, {credits - spent} to spend",
            "",
            "Training:",
        ]
        certificates = self.certificates.certificates(volunteer.id)
        for c in certificates:
            ends = f"until {c.expires_on:%d/%m/%Y}" if c.expires_on else "no expiry"
            lines.append(f"  {c.kind:<20} {ends:<18} {c.state(today)}")
        if not certificates:
            lines.append("  none recorded yet: ask a manager")
        return "\n".join(lines)

    def after_z(self) -> AfterZ:
        """What follows every Z, at the till screen or the command line. Former members' optional
        details past the retention period are removed now; the automatic backup is handed back to run
        (it opens its own connection, so the screen runs it in a worker thread). A training copy
        does neither, and writes no witness: its journal is not the shop's.

        First the Z's journal head goes into the head log in the backup folder (core/witness.py), a
        witness outside the database; if it cannot be written the Z still stands and this says why."""
        if self.practising:
            return AfterZ(purged=[], backup=None)
        from datetime import timedelta

        from access.accounts import forget_old_views
        from coop.personal_data import purge_former
        from core.clock import stamp
        from core.witness import witness_z

        unwitnessed = witness_z(self.db, self.settings.backup.dir, self.settings.till_id)
        purged = purge_former(self.db, today=self.today(), years=self.settings.coop.retention_years,
                              at=stamp(self.clock()))
        self.membership.applications().purge_unpaid(self.settings.web.application_days)
        forget_old_views(self.db, before=stamp(self.clock() - timedelta(days=self.settings.web.views_days)))
        return AfterZ(purged=purged, backup=self.backup_after_z, unwitnessed=unwitnessed)

    def backup_after_z(self) -> Path:
        """The automatic backup after a Z, into the rotating set (settings: backup.dir, backup.keep).
        A training copy is never backed up."""
        from core.backups import after_z

        if self.practising:
            raise TillError("training mode keeps no backups")
        # Its own connection: this may run in a background thread while the till sells on.
        own = open_database(self.settings.db, migrate=False)
        try:
            return after_z(own, self.settings.backup.dir, self.settings.backup.keep,
                           now=self.clock().astimezone(self.settings.zone))
        finally:
            own.close()

    def practice_copy(self) -> Shop:
        """Training mode: the same till on a copy of today's database, in a throwaway folder.

        A copy, not a flag on each record: whatever a trainee does (sales, refunds, the Z, and
        anything added later) cannot reach the real takings, stock, reports, dividend or footfall.
        """
        import tempfile

        from core.database import backup

        folder = Path(tempfile.mkdtemp(prefix="community-till-training-"))
        path = backup(self.db, folder / "training.db")
        # Its own till id: a training receipt's "training #3" can never be taken for a real sale.
        settings = self.settings.model_copy(update={"db": path, "receipts_dir": folder / "receipts",
                                                    "till_id": "training"})
        practice = Shop(settings=settings, db=open_database(path), clock=self.clock, demo_pins=self.demo_pins,
                        practising=True)
        practice.volunteers.pins_from = self.volunteers
        return practice

    def close(self) -> None:
        self.db.close()
        folder = self.settings.db.parent
        if self.practising and folder.name.startswith("community-till-training-"):
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
