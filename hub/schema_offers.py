"""Hub schema version 9: volunteers' offers to cover a gap in the rota, and the certificate a slot needs,
are shared records like the rota itself (hub/shared.py SHARED: "rota_offer", "rota_need").

An offer made on the office's web must reach the tills' shift leads, and an answer given at a till must come
back to everyone (an acceptance also puts a rota entry, shared since version 2). Both kinds hold nothing
personal, so hub.share checks their data against the journal's body as it does a price's: it is version 5's
function, re-created from that text (hub/schema_conflicts.py `recreated`) with the two kinds added, never
copied here. Two answers given apart (accepted at a till, declined at the office) are decided like any two
changes: the later stamp wins and the other is listed by `till hub conflicts`. One thing differs: a slot's
certificate is keyed by its slot, which any node may have made, so the check that a new record's id lies in
its till's own block does not apply to it (a shift lead at a till sets one for the office's slot).
"""

from __future__ import annotations

from hub.schema_conflicts import recreated
from hub.schema_shared import _PLAIN

#: Version 2's kinds whose body is their data, and the two this version adds (core/records.py, as shipped).
PLAIN = {
    **_PLAIN,
    "rota_offer": ("id", "slot_id", "volunteer_id", "on_date", "at", "decision", "decided_at", "decided_by"),
    "rota_need": ("slot_id", "certificate", "set_at", "set_by"),
}

_BLOCK_CHECK = "if not known and p_data is not null and (p_ref < low"


def share_function(plain: dict[str, tuple[str, ...]], keyed_elsewhere: tuple[str, ...]) -> str:
    """hub.share re-created for the kinds `plain` (their body is their data), with `keyed_elsewhere` (kinds
    keyed by another record, such as a slot) exempt from the check that a new record's id lies in its till's
    block. Each later version that shares more kinds calls this with its own lists."""
    kinds = ", ".join(f"'{kind}'" for kind in plain)
    columns = " ".join(f"when '{kind}' then array[{', '.join(repr(c) for c in names)}]"
                       for kind, names in plain.items())
    exempt = ", ".join(f"'{kind}'" for kind in keyed_elsewhere)
    text = recreated("hub.share", kinds, columns)
    assert text.count(_BLOCK_CHECK) == 1, _BLOCK_CHECK
    return text.replace(_BLOCK_CHECK, f"if not known and p_data is not null and p_kind not in ({exempt})"
                                      " and (p_ref < low")


# A slot's certificate is keyed by its slot, so not made in its till's own block of ids.
MIGRATION = share_function(PLAIN, ("rota_need",))
