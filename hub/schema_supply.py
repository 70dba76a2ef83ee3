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

from hub.schema_offers import PLAIN as OFFERS_PLAIN
from hub.schema_offers import share_function

#: Version 9's kinds whose body is their data, and the three this version adds (core/records.py, as shipped).
PLAIN = {
    **OFFERS_PLAIN,
    "supplier": ("id", "name", "contact", "account", "lead_days", "active", "created_at", "created_by"),
    "supply": ("product_id", "supplier_id", "cost_pence", "set_at", "set_by"),
    "unit": ("product_id", "per", "content", "by_weight", "set_at"),
}

# Keyed by another record (a slot, a product), so not made in its till's own block of ids.
MIGRATION = share_function(PLAIN, ("rota_need", "supply", "unit"))
