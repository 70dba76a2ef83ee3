"""The society's figures from the hub: each till's sales, refunds and net sales, from the records
its tills pushed (held records, after a break in a chain, are not counted)."""

from __future__ import annotations

#: Where the sale record's fields sit in a version-1 body (core.journal's column list for sales,
#: lines); tests/hub/test_two_tills.py checks these figures against each till's own Z reports.
_TILL, _NUMBER, _KIND, _LINE_TOTAL = 1, 2, 3, 9

_TOTALS = f"""
select s ->> {_TILL}, count(*) filter (where s ->> {_KIND} = 'sale'), count(*) filter (where s ->> {_KIND} = 'refund'),
       coalesce(sum(net), 0)
from (select (body::jsonb) as b from hub.records where kind = 'sale' and not held and body is not null) r
cross join lateral (select r.b -> 'sale' as s) sale
cross join lateral (select sum((l ->> {_LINE_TOTAL})::bigint) as net from jsonb_array_elements(r.b -> 'lines') l) lines
group by 1 order by 1
"""


def till_totals(conn) -> dict[str, dict[str, int]]:
    """till id → sales, refunds (counts) and net_pence (every line total, sales less refunds)."""
    with conn.transaction():
        rows = conn.execute(_TOTALS).fetchall()
    return {till: {"sales": sales, "refunds": refunds, "net_pence": int(net)} for till, sales, refunds, net in rows}
