"""Hub schema version 10: the shop floor's suppliers, each product's supplier and cost, and each product's
measure (per kg, litre or 100 g; sold by weight) are shared records (hub/shared.py SHARED: "supplier",
"supply", "unit"), so a supplier added at goods in at one till is there at the others, every till values the
society's stock at the same cost, and a shelf label or a weighed line shows the same unit price everywhere.

None holds anything personal (a supplier's contact is a business's), so hub.share checks their data against
the journal's body as it does a price's: version 5's function re-created from its text (hub/schema_conflicts.py
`recreated`) with these kinds added to version 9's. A product's cost and measure are keyed by their product, which
any node may have made, so like a rota slot's certificate they are exempt from the check that a new record's id lies
in its till's own block. Deliveries and stocktakes stay each till's own records; their effect on stock reaches
the other tills through the office's count (hub/balances.py), which needs no new table.
"""

from __future__ import annotations

from hub.schema_conflicts import recreated
from hub.schema_offers import _BLOCK_CHECK
from hub.schema_offers import PLAIN as OFFERS_PLAIN

#: Version 9's kinds whose body is their data, and the three this version adds (core/records.py, as shipped).
PLAIN = {
    **OFFERS_PLAIN,
    "supplier": ("id", "name", "contact", "account", "lead_days", "active", "created_at", "created_by"),
    "supply": ("product_id", "supplier_id", "cost_pence", "set_at", "set_by"),
    "unit": ("product_id", "per", "content", "by_weight", "set_at"),
}

_KINDS = ", ".join(f"'{kind}'" for kind in PLAIN)
_COLUMNS = " ".join(f"when '{kind}' then array[{', '.join(repr(c) for c in columns)}]"
                    for kind, columns in PLAIN.items())

#: Keyed by another record (a slot, a product), so not made in its till's own block of ids.
_KEYED_ELSEWHERE = "'rota_need', 'supply', 'unit'"


def _share() -> str:
    text = recreated("hub.share", _KINDS, _COLUMNS)
    assert text.count(_BLOCK_CHECK) == 1, _BLOCK_CHECK
    return text.replace(_BLOCK_CHECK, f"if not known and p_data is not null and p_kind not in ({_KEYED_ELSEWHERE})"
                                      " and (p_ref < low")


MIGRATION = _share()
