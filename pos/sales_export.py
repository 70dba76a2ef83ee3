"""One row per sale line for the treasurer's spreadsheets; refunds are rows with negative figures.

The columns are a contract (see the README): add to the end, never rename or remove.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import IO
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.clock import from_stamp
from core.csv_files import DictWriter
from pos.tenders import TenderKind

COLUMNS = [
    "sale_number", "till", "time", "date", "operator", "member_number", "product",
    "quantity", "unit_price_pence", "discount_pence", "line_total_pence", "vat_class",
    "kind", "refund_of_sale_number", "product_id", "category", "vat_rate_bp", "pass_through",
    "healthy_start", "eat_in", "discount_reason",
]

#: How each sale was paid, net of change and refunds, one column a tender (added after 0.1, at the end).
#: On the first line of each sale only, empty on its other lines: a column's sum over a day is that
#: day's takings by that tender, as the Z report shows them (card takings against the terminal's).
TENDER_KINDS = [kind.value for kind in TenderKind]  # a new kind of tender is a new column at the end
TENDER_COLUMNS = [f"tender_{kind}_pence" for kind in TENDER_KINDS]
COLUMNS = [*COLUMNS, *TENDER_COLUMNS]
#: Yes/no columns: booleans in the rows, "yes"/"no" in the CSV.
_FLAGS = ("pass_through", "healthy_start", "eat_in")

# Each sale's tenders summed once, by one grouped pass over the period's tenders (not a lookup per line).
_PAID = ",\n           ".join(
    f"sum(case when t.kind = '{kind}' then t.amount_pence else 0 end) as k{i}" for i, kind in enumerate(TENDER_KINDS))

_QUERY = """
with paid as (
    select t.sale_id,
           {paid}
    from tenders t join sales s on s.id = t.sale_id
    where s.business_date between ? and ? {till}
    group by t.sale_id
)
select s.sale_number, s.till_id, s.created_at, s.business_date, v.name, l.member_number,
       l.product_name, l.quantity, l.unit_price_pence, l.discount_pence, l.line_total_pence,
       l.vat_class, s.kind, o.sale_number, l.product_id, l.category, l.vat_rate_bp,
       l.pass_through, l.healthy_start, s.eat_in, l.discount_reason,
       {tenders}, s.id
from sales s
join sale_lines l on l.sale_id = s.id
join volunteers v on v.id = s.operator_id
left join sales o on o.id = s.refund_of
left join paid p on p.sale_id = s.id
where s.business_date between ? and ? {till}
order by s.business_date, s.created_at, s.id, l.line_no
"""
_TENDERS = ", ".join(f"coalesce(p.k{i}, 0)" for i in range(len(TENDER_KINDS)))


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
    cursor = db.execute(_QUERY.format(till=till, tenders=_TENDERS, paid=_PAID), [*params, *params])
    previous = None
    while batch := cursor.fetchmany(2000):
        for *row, sale_id in batch:
            record = dict(zip(COLUMNS, row))
            if sale_id == previous:  # the tenders go on a sale's first line only (ordered by line_no)
                record.update(dict.fromkeys(TENDER_COLUMNS))
            previous = sale_id
            # Shown in the shop's own time; stored in UTC.
            record["time"] = from_stamp(record["time"]).astimezone(zone).isoformat(timespec="seconds")
            for flag in _FLAGS:
                record[flag] = bool(record[flag])
            yield record


def write_csv(rows: Iterator[dict], out: IO[str]) -> int:
    writer = DictWriter(out, COLUMNS)  # names and reasons are typed by people: never a formula
    writer.writeheader()
    count = 0
    for row in rows:
        for flag in _FLAGS:
            row[flag] = "yes" if row[flag] else "no"
        writer.writerow(row)
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

