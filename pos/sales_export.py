"""One row per sale line for the treasurer's spreadsheets; refunds are rows with negative figures.

The columns are a contract (see the README): add to the end, never rename or remove.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from typing import IO
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.clock import from_stamp

COLUMNS = [
    "sale_number", "till", "time", "date", "operator", "member_number", "product",
    "quantity", "unit_price_pence", "discount_pence", "line_total_pence", "vat_class",
    "kind", "refund_of_sale_number", "product_id", "category", "vat_rate_bp", "pass_through",
    "healthy_start", "eat_in", "discount_reason",
]

_QUERY = """
select s.sale_number, s.till_id, s.created_at, s.business_date, v.name, l.member_number,
       l.product_name, l.quantity, l.unit_price_pence, l.discount_pence, l.line_total_pence,
       l.vat_class, s.kind, o.sale_number, l.product_id, l.category, l.vat_rate_bp,
       l.pass_through, l.healthy_start, s.eat_in, l.discount_reason
from sales s
join sale_lines l on l.sale_id = s.id
join volunteers v on v.id = s.operator_id
left join sales o on o.id = s.refund_of
where s.business_date between ? and ? {till}
order by s.business_date, s.created_at, s.id, l.line_no
"""


def _where(first: date, last: date, till_id: str | None) -> tuple[str, list]:
    params: list = [first.isoformat(), last.isoformat()]
    if till_id:
        return "and s.till_id = ?", [*params, till_id]
    return "", params


def count_lines(db: Database, first: date, last: date, *, till_id: str | None = None) -> int:
    till, params = _where(first, last, till_id)
    return db.execute(
        "select count(*) from sales s join sale_lines l on l.sale_id = s.id"
        f" where s.business_date between ? and ? {till}",
        params,
    ).fetchone()[0]


def sale_lines(
    db: Database, first: date, last: date, *, zone: ZoneInfo, till_id: str | None = None
) -> Iterator[dict]:
    """Rows for trading days first..last inclusive (the day a sale's till session opened)."""
    till, params = _where(first, last, till_id)
    cursor = db.execute(_QUERY.format(till=till), params)
    while batch := cursor.fetchmany(2000):
        for row in batch:
            record = dict(zip(COLUMNS, row))
            # Shown in the shop's own time; stored in UTC.
            record["time"] = from_stamp(record["time"]).astimezone(zone).isoformat(timespec="seconds")
            for flag in ("pass_through", "healthy_start", "eat_in"):
                record[flag] = bool(record[flag])
            yield record


def write_csv(rows: Iterator[dict], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: ("yes" if v is True else "no" if v is False else v) for k, v in row.items()})
        count += 1
    return count


def write_json(rows: Iterator[dict], out: IO[str]) -> int:
    """A JSON array written as it goes, so a year of sales never sits in memory at once."""
    out.write("[")
    count = 0
    for row in rows:
        out.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count

