"""The journals as one CSV a spreadsheet opens: one posting a row, debits positive, credits negative."""

from __future__ import annotations

from typing import IO

from accounts.chart import Chart
from accounts.journals import Export
from core.csv_files import DictWriter

COLUMNS = ["journal", "date", "till", "narration", "account_code", "account", "account_name", "category",
           "description", "vat_class", "debit_pence", "credit_pence", "amount_pence"]


def write(found: Export, out: IO[str], *, chart: Chart) -> int:
    """Write the file; returns the number of journals."""
    writer = DictWriter(out, COLUMNS)
    writer.writeheader()
    for number, journal in enumerate(found.journals, 1):
        for posting in journal.postings:
            account = chart[posting.account]
            writer.writerow({
                "journal": number, "date": journal.day.isoformat(), "till": journal.till or "society",
                "narration": journal.narration, "account_code": account.code, "account": posting.account,
                "account_name": chart.name(posting.account, posting.category), "category": posting.category,
                "description": posting.description, "vat_class": posting.vat_class,
                "debit_pence": max(posting.amount, 0), "credit_pence": max(-posting.amount, 0),
                "amount_pence": posting.amount,
            })
    return len(found.journals)
