"""Receipts a printer refused, still owed to customers: which they are, and printing them again.

Every sale's receipt is queued the moment the sale exists (Till.complete_sale); the till marks it
printed, or failed with the printer's reason (ReceiptStatus). A failed one is owed until something prints it. A
pending one is not listed: the till is printing it now, or was told not to print (auto_print off).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from core.clock import local
from core.database import transaction
from core.errors import TillError
from core.money import format_pence

if TYPE_CHECKING:
    from sqlite_utils import Database

    from pos.shop import Shop
    from printers.receipt import Receipt
    from printers.send import PrintResult
    from printers.spec import PrinterSpec

#: Prints one receipt under a file name (the preview printer's); raises PrinterUnavailable.
PrintOne = Callable[["Receipt", str], "PrintResult"]


class QueuedReceipt(BaseModel):
    id: int
    sale_id: int
    status: str
    attempts: int
    last_error: str | None


class ReceiptStatus:
    """Where each of one till's receipts stands: pending, printed, or failed with the printer's reason."""

    def __init__(self, db: Database, till_id: str, now: Callable[[], str]) -> None:
        self.db = db
        self.till_id = till_id
        self.now = now

    def waiting(self) -> list[QueuedReceipt]:
        """Receipts not yet printed (pending or failed), oldest first."""
        return [
            QueuedReceipt(id=r[0], sale_id=r[1], status=r[2], attempts=r[3], last_error=r[4])
            for r in self.db.execute(
                "select q.id, q.sale_id, q.status, q.attempts, q.last_error from receipt_queue q"
                " join sales s on s.id = q.sale_id where s.till_id = ? and q.status != 'printed'"
                " order by q.id",
                [self.till_id],
            )
        ]

    def failed_count(self) -> int:
        """How many of this till's receipts a printer has refused and still wait for a reprint."""
        return self.db.execute(
            "select count(*) from receipt_queue q join sales s on s.id = q.sale_id"
            " where q.status = 'failed' and s.till_id = ?",
            [self.till_id],
        ).fetchone()[0]

    def printed(self, sale_id: int) -> None:
        with transaction(self.db):
            self.db.execute(
                "update receipt_queue set status = 'printed', attempts = attempts + 1, printed_at = ?,"
                " last_error = null where sale_id = ? and status != 'printed'",
                [self.now(), sale_id],
            )

    def failed(self, sale_id: int, error: str) -> None:
        with transaction(self.db):
            self.db.execute(
                "update receipt_queue set status = 'failed', attempts = attempts + 1, last_error = ?"
                " where sale_id = ? and status != 'printed'",
                [error, sale_id],
            )


class OwedReceipt(BaseModel):
    sale_id: int
    till_id: str
    sale_number: int
    kind: str
    #: When the sale was made (UTC stamp).
    created_at: str
    total_pence: int
    attempts: int
    last_error: str | None

    def describe(self, zone: ZoneInfo) -> str:
        """One line for a list: 'Sale 12  20 Nov 14:03  £4.50  why it did not print'."""
        what = "Refund" if self.kind == "refund" else "Sale"
        when = local(self.created_at, zone).strftime("%d %b %H:%M")
        return f"{what} {self.sale_number}  {when}  {format_pence(self.total_pence)}  {self.last_error or ''}".rstrip()


@dataclass(frozen=True)
class PrintJob:
    """A receipt built and ready: printing it needs no database, so a worker thread can do it."""

    owed: OwedReceipt
    receipt: Receipt
    name: str


@dataclass
class Reprinted:
    printed: list[OwedReceipt] = field(default_factory=list)
    #: The receipt the printer refused, which ended the round, and why.
    failed: OwedReceipt | None = None
    error: str | None = None
    #: Receipts still owed afterwards (the refused one, and any not tried after it).
    left: int = 0
    #: The preview printer's text of each printed receipt, in order.
    previews: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Printer:
    """The configured printer as a plain callable. It holds no database, so the till screen can
    print from a worker thread while the volunteer sells on."""

    spec: PrinterSpec
    columns: int
    preview_dir: Path
    timeout: float

    def __call__(self, receipt: Receipt, name: str) -> PrintResult:
        from printers.send import print_receipt

        return print_receipt(self.spec, receipt, self.columns, preview_dir=self.preview_dir, name=name,
                             timeout=self.timeout)


def attempt(jobs: Iterable[PrintJob], printer: PrintOne) -> Iterator[tuple[PrintJob, PrintResult | None, str | None]]:
    """Print each job in turn, yielding (job, result, None) or, for the first one refused,
    (job, None, why) and stopping there: a printer that refused one receipt will refuse the next,
    and each try can take its whole timeout. Touches no database."""
    from printers.send import PrinterUnavailable

    for job in jobs:
        try:
            result = printer(job.receipt, job.name)
        except PrinterUnavailable as error:
            yield job, None, str(error)
            return
        except Exception as error:  # noqa: BLE001 - a printer fault is a failed print, never a lost round
            from core.crash_log import log_unexpected

            log_unexpected(error)
            yield job, None, f"the printer failed ({type(error).__name__})"
            return
        yield job, result, None


class ReceiptQueue:
    """This till's receipts that a printer refused."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop

    def owed(self) -> list[OwedReceipt]:
        """Receipts a printer refused and nothing has printed since, oldest first."""
        rows = self.shop.db.execute(
            "select s.id, s.till_id, s.sale_number, s.kind, s.created_at, s.total_pence, q.attempts, q.last_error"
            " from receipt_queue q join sales s on s.id = q.sale_id"
            " where q.status = 'failed' and s.till_id = ? order by q.id",
            [self.shop.till.till_id],
        ).fetchall()
        fields = list(OwedReceipt.model_fields)
        return [OwedReceipt(**dict(zip(fields, row))) for row in rows]

    def jobs(self, sale_numbers: Iterable[int] | None = None) -> list[PrintJob]:
        """The owed receipts (all, or those of the given sale numbers) built for printing, oldest
        first. They are the originals, not copies: the customer never had one. A sale whose receipt
        is not owed is refused before anything is built or printed."""
        owed = self.owed()
        if sale_numbers is not None:
            by_number = {receipt.sale_number: receipt for receipt in owed}
            wanted = list(dict.fromkeys(sale_numbers))
            for number in wanted:
                if number not in by_number:
                    raise TillError(f"sale {number}'s receipt is not waiting to print")
            owed = [receipt for receipt in owed if receipt.sale_number in wanted]
        return [
            PrintJob(receipt, self.shop.receipt(self.shop.till.get_sale(receipt.sale_number)),
                     f"{receipt.till_id}-{receipt.sale_number}")
            for receipt in owed
        ]

    def record(self, job: PrintJob, error: str | None) -> None:
        """What the printer did with a job: printed (error None) or refused."""
        if error is None:
            self.shop.till.receipts.printed(job.owed.sale_id)
        else:
            self.shop.till.receipts.failed(job.owed.sale_id, error)

    def print_owed(self, printer: PrintOne, *, sale_numbers: Iterable[int] | None = None) -> Reprinted:
        """Print the owed receipts (or the chosen ones) now, oldest first, recording each as it goes."""
        outcome = Reprinted()
        for job, result, error in attempt(self.jobs(sale_numbers), printer):
            self.record(job, error)
            if error is not None:
                outcome.failed, outcome.error = job.owed, error
                break
            outcome.printed.append(job.owed)
            if result is not None and result.text is not None:
                outcome.previews.append(result.text)
        outcome.left = len(self.owed())
        return outcome
