"""The journals as Xero manual journal CSV files: at most 300 lines a file (the header included), never a
journal split across two, so each file imports on its own and each journal balances in it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import IO

from accounts.chart import Chart
from accounts.journals import Export, Journal
from core.csv_files import Writer
from core.errors import TillError

COLUMNS = ["*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount"]
#: Lines a file may have, its header included.
MOST_LINES = 300


def batches(found: Export) -> list[list[Journal]]:
    """The journals shared into files, in order, each file as full as it may be."""
    files: list[list[Journal]] = []
    room = 0
    for journal in found.journals:
        lines = len(journal.postings)
        if lines > MOST_LINES - 1:
            raise TillError(f"the journal '{journal.narration}' has {lines} lines, more than a Xero file of "
                            f"{MOST_LINES} lines holds: export it as beancount or csv")
        if lines > room:
            files.append([])
            room = MOST_LINES - 1
        files[-1].append(journal)
        room -= lines
    return files or [[]]


def names(path: Path, count: int) -> list[Path]:
    """`journals.csv`, then `journals-2.csv`, `journals-3.csv` …"""
    return [path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}") for n in range(1, count + 1)]


def write(journals: list[Journal], out: IO[str], *, chart: Chart) -> int:
    """One file's journals; returns its number of lines, the header included."""
    writer = Writer(out)
    writer.writerow(COLUMNS)
    lines = 1
    for journal in journals:
        for posting in journal.postings:
            writer.writerow([journal.narration, f"{journal.day:%d/%m/%Y}", posting.description,
                             chart[posting.account].code, chart.tax_rates.get(posting.vat_class, chart.tax_rates["none"]),
                             Decimal(posting.amount).scaleb(-2)])
            lines += 1
    return lines
