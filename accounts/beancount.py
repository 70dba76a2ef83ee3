"""The journals as a beancount file, which beancount's own checker (`bean-check`) accepts: every account
opened on the export's first day, one transaction per journal, each posting's words as a comment."""

from __future__ import annotations

from datetime import date
from typing import IO

from accounts.chart import Chart
from accounts.journals import Export


def amount(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d} GBP"


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def write(found: Export, out: IO[str], *, chart: Chart, first: date, last: date) -> int:
    """Write the file; returns the number of journals."""
    out.write(f"; Community Till: the till's journals from {first:%d/%m/%Y} to {last:%d/%m/%Y}\n")
    for sentence in found.unfinished:
        out.write(f"; {sentence}\n")
    out.write('option "operating_currency" "GBP"\n\n')
    names = sorted({chart.name(p.account, p.category) for j in found.journals for p in j.postings})
    for name in names:
        out.write(f"{first.isoformat()} open {name} GBP\n")
    for journal in found.journals:
        out.write(f"\n{journal.day.isoformat()} * {quoted(journal.narration)}\n")
        for posting in journal.postings:
            words = posting.description.replace("\n", " ")
            out.write(f"  {chart.name(posting.account, posting.category)}  {amount(posting.amount)} ; {words}\n")
    return len(found.journals)
