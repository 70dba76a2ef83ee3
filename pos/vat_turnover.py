"""The rolling 12 months' taxable turnover of a society that is not VAT registered, against the registration
threshold in the settings ([vat]), and the warning the X and Z give once it passes the settings' share of it.

Taxable turnover is what HMRC counts: standard, reduced and zero-rated sales, refunds taken off; never exempt
sales nor money collected for others (pass-through lines, outside the scope of VAT). Days are trading days
(the till session's), as on the Zs; the session still open counts too, as the X shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlite_utils import Database

from core.errors import TillError
from core.ids import OFFICE, node_number
from core.money import format_pence
from inventory.products import VatClass

if TYPE_CHECKING:
    from pos.config import Settings

#: What a figure from the office's consolidated copy, or a till's own file on a hub, covers.
ALL_TILLS = "every till"
THIS_TILL = "this till's own sales only (the society's figure is at the office: `till vat turnover` there)"


class Turnover(BaseModel):
    first: date
    last: date
    taxable_pence: int
    threshold_pence: int
    warn_at_percent: int
    #: Whose sales: every till's, or (a till of a hub away from the office) this till's alone.
    covers: str

    @property
    def percent(self) -> int:
        """Of the threshold, rounded down: 79.99% is not yet 80%."""
        return self.taxable_pence * 100 // self.threshold_pence

    @property
    def near(self) -> bool:
        return self.percent >= self.warn_at_percent


def twelve_months_to(last: date) -> date:
    """The first day of the rolling 12 months that end on `last` (29 February counts from 1 March)."""
    try:
        return last.replace(year=last.year - 1) + timedelta(days=1)
    except ValueError:
        return date(last.year - 1, 3, 1)


def taxable_pence(db: Database, first: date, last: date) -> int:
    """Standard, reduced and zero-rated sales less refunds, on trading days `first` to `last` (both in)."""
    return db.execute(
        "select coalesce(sum(l.line_total_pence), 0) from sale_lines l join sales s on s.id = l.sale_id"
        " where s.business_date between ? and ? and not l.pass_through and l.vat_class in (?, ?, ?)",
        [first.isoformat(), last.isoformat(), VatClass.standard.value, VatClass.reduced.value, VatClass.zero.value],
    ).fetchone()[0]


def turnover(db: Database, settings: Settings, last: date, *, covers: str = ALL_TILLS) -> Turnover:
    first = twelve_months_to(last)
    return Turnover(first=first, last=last, taxable_pence=taxable_pence(db, first, last),
                    threshold_pence=settings.vat.registration_threshold_pence,
                    warn_at_percent=settings.vat.warn_at_percent, covers=covers)


@contextmanager
def society_books(db: Database, settings: Settings, what: str) -> Iterator[Database]:
    """The books that hold every till's sales: the shared file on one box, the office's consolidated copy
    at the office of a hub (`till office pull`). A till of a hub elsewhere holds only its own: refused,
    with `what` ("the VAT return") named, since its figures would be wrong without saying so."""
    number = node_number(db)
    if number is None:
        yield db
        return
    if number != OFFICE:
        raise TillError(f"{what} is made at the office (node {OFFICE} of the hub), from every till's records: this "
                        f"is till {number}, whose file holds only its own sales")
    from pos.consolidated import copy_path, open_copy

    path = copy_path(settings.db)
    if not path.exists():
        raise TillError("the office has no consolidated copy of every till's sales yet: run "
                        "`till office pull --admin URL` first")
    copy = open_copy(path, create=False)
    try:
        yield copy
    finally:
        copy.close()


def society_turnover(db: Database, settings: Settings, last: date) -> Turnover:
    """Every till's turnover where it is known (`society_books`). A till of a hub away from the office knows
    its own sales only, a floor of the society's: the figure says so, and a warning from it is still true."""
    number = node_number(db)
    if number is not None and number != OFFICE:
        return turnover(db, settings, last, covers=THIS_TILL)
    with society_books(db, settings, "the taxable turnover") as books:
        return turnover(books, settings, last)


def warning(found: Turnover) -> str | None:
    """The X's and Z's line once the turnover passes the warning share of the threshold."""
    if not found.near:
        return None
    whose = "" if found.covers == ALL_TILLS else ", this till's own sales alone"
    return (f"VAT: taxable sales in the 12 months to {found.last:%d/%m/%Y} are {format_pence(found.taxable_pence)}"
            f"{whose}, {found.percent}% of the {format_pence(found.threshold_pence)} registration threshold. "
            "Tell the treasurer: once past it, the society has 30 days from the end of that month to register.")


def report_warning(db: Database, settings: Settings, day: date) -> str | None:
    """The warning for an X or Z of trading day `day`, or None (a registered society, or below the share).
    Never stops a report: figures the office has not gathered yet leave the warning out."""
    if settings.society.vat_registered:
        return None
    try:
        return warning(society_turnover(db, settings, day))
    except TillError:
        return None


def render(found: Turnover) -> str:
    """`till vat turnover` for people."""
    lines = [
        f"Taxable turnover, {found.first:%d/%m/%Y} to {found.last:%d/%m/%Y} (rolling 12 months, {found.covers}):",
        f"  {format_pence(found.taxable_pence)}: standard, reduced and zero-rated sales, less refunds",
        f"  {found.percent}% of the registration threshold of {format_pence(found.threshold_pence)}",
        "Not counted: exempt sales, and money collected for others (stamps, top-ups).",
    ]
    said = warning(found)
    if said:
        lines.append(said)
    return "\n".join(lines) + "\n"
