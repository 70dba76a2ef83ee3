"""The society's shared records as they travel between tills: which records, which of their columns,
and applying a revision pulled from the hub to this till's SQLite file.

Shared: the catalogue (products, prices, codes; a product's VAT class is one of its columns), the
register as a till needs it (number, name, card, when admitted and ceased; never the address, phone,
email or date of birth, which stay where they were entered), volunteers (name, role, PIN hash, when
they left; not their emergency contact), certificates, the rota, volunteers' offers to cover a gap in it
and the certificate a slot needs, the shop floor's suppliers and each product's supplier, cost and measure. Stock
movements, deliveries, stocktakes, tallies, signposts, the audit log, sales and money stay each till's own
(what stock came to across the tills reaches every till through the office's count, hub/balances.py). The service directory is shared too: on a hub only the
office imports the directory's feed (centre/directory.py), so each service has one id everywhere.

A pulled revision is applied as the till's own change would be: by row, never by emptying a table, so
the journal's triggers record it and `till verify` passes here as anywhere.

Two tills changing one record while apart get one answer, whatever order the hub receives them in. Each
change goes up with its stamp (the till's time of it, then its node number and journal entry) and its
base (the hub revision of that record the till last had). A change based on what the hub holds comes
after it; two made apart are decided by the later stamp, except that a retirement or removal either made
stays (RETIRED); the change that lost is kept at the hub and listed (`till hub conflicts`). A revision
pulled for a record this till has changed since its last push is not applied over that change: the change
goes up first, and the hub's answer comes back (hub/schema_conflicts.py).
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from core import records

#: kind → the columns a till sends up and applies from a pull (the record's key first).
SHARED: dict[str, tuple[str, ...]] = {
    "product": records.CHANGING["product"].columns,
    "price": records.CHANGING["price"].columns,
    "codes": ("codes",),
    "member": ("id", "number", "name", "under5_household", "consent_contact", "admitted_on", "ceased_on",
               "card_hash", "created_at", "dividend_payout"),
    "volunteer": ("id", "name", "role", "active", "created_at", "pin_hash", "member_number", "left_on"),
    "training": records.CHANGING["training"].columns,
    "rota_slot": records.CHANGING["rota_slot"].columns,
    "rota_entry": records.CHANGING["rota_entry"].columns,
    # Since hub schema 9 (hub/schema_offers.py): an offer made on the office's web reaches the tills'
    # shift leads, and their answer comes back.
    "rota_offer": records.CHANGING["rota_offer"].columns,
    "rota_need": records.CHANGING["rota_need"].columns,
    # Since hub schema 10 (hub/schema_supply.py): a supplier added at goods in at one till is offered at the
    # others, a product's cost (keyed by the product, which any till may have made) values stock alike, and
    # its measure gives the same unit price on every till's labels and weighed lines.
    "supplier": records.CHANGING["supplier"].columns,
    "supply": records.CHANGING["supply"].columns,
    "unit": records.CHANGING["unit"].columns,
    # A directory's services are public: nothing in them stays where it was entered.
    "service": records.CHANGING["service"].columns,
}

#: kind → the columns that retire a record ("off": 0 when retired; "set": a date once retired). None of
#: them is ever undone by the till but a product's `active`, so a retirement made at one till is never
#: undone by an edit made at another that had not heard of it.
RETIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "member": (("ceased_on", "set"),),
    "volunteer": (("active", "off"), ("left_on", "set")),
    "product": (("active", "off"),),
    "rota_slot": (("active", "off"),),
    "rota_entry": (("removed_at", "set"),),
}

#: What a row made from a pull holds in a column it is not sent (the details that stay where entered).
ADDRESS_ELSEWHERE = "(kept where they joined)"
_UNSENT = {"member": {"address": ADDRESS_ELSEWHERE}}

#: The data of a shared record the till removed.
REMOVED = {"_removed": True}


def data(db: Database, kind: str, ref_id: int) -> dict:
    """The record's shared columns as it is now (REMOVED if it is gone): what a push sends as `data`."""
    one = records.CHANGING[kind]
    if kind == "codes":
        rows = db.execute("select code, kind from product_codes where product_id = ? order by code", [ref_id]).fetchall()
        return {"codes": [list(row) for row in rows]} if rows else dict(REMOVED)
    columns = SHARED[kind]
    row = db.execute(f"select {', '.join(columns)} from {one.table} where {one.key} = ?", [ref_id]).fetchone()
    return dict(REMOVED) if row is None else dict(zip(columns, row))


def base(db: Database, kind: str, ref_id: int) -> int:
    """The hub revision of the record this till last applied (0: none): what its next change follows."""
    row = db.execute("select revision from hub_bases where kind = ? and ref_id = ?", [kind, ref_id]).fetchone()
    return row[0] if row else 0


def changed_here(db: Database, kind: str, ref_id: int) -> bool:
    """Whether this till changed the record since its last push (a change of its own, not a pull's)."""
    from hub.local import mark

    return db.execute("select 1 from journal j where j.kind = ? and j.ref_id = ? and j.id > ? and not exists "
                      "(select 1 from hub_applied a where j.id between a.first_entry and a.last_entry) limit 1",
                      [kind, ref_id, mark(db)]).fetchone() is not None


def apply(db: Database, kind: str, ref_id: int, found: dict | None, revision: int = 0) -> None:
    """Make this till's record of `kind` `ref_id` what the hub says (None: removed) at `revision`. Inside
    the caller's transaction; a column the hub sends that is not shared is refused, never written. Left
    as it is when this till changed it since its last push: that change goes up and the hub decides."""
    one = records.CHANGING[kind]
    if changed_here(db, kind, ref_id):
        return
    db.execute("insert into hub_bases (kind, ref_id, revision) values (?, ?, ?) on conflict (kind, ref_id) "
               "do update set revision = excluded.revision", [kind, ref_id, revision])
    if found is None or found.get("_removed"):
        if kind == "codes":
            db.execute("delete from product_codes where product_id = ?", [ref_id])
        else:
            db.execute(f"delete from {one.table} where {one.key} = ?", [ref_id])
        return
    if kind == "codes":
        codes = [code for code, _ in found["codes"]]
        # Deleting (never `insert or replace`) lets the journal's triggers see a code that moved products.
        db.execute("delete from product_codes where product_id = ? or code in (select value from json_each(?))",
                   [ref_id, json.dumps(codes)])
        for code, code_kind in found["codes"]:
            db.execute("insert into product_codes (code, product_id, kind) values (?, ?, ?)", [code, ref_id, code_kind])
        return
    unknown = set(found) - set(SHARED[kind])
    if unknown or found.get(one.key) != ref_id:
        raise ValueError(f"the hub sent {kind} {ref_id} with columns this till does not share: {sorted(unknown)}")
    if kind == "service":
        _set_aside_own(db, ref_id, found)
    row = {**_UNSENT.get(kind, {}), **found}
    names = ", ".join(row)
    updates = ", ".join(f"{column} = excluded.{column}" for column in found if column != one.key)
    db.execute(f"insert into {one.table} ({names}) values ({', '.join('?' * len(row))}) "
               f"on conflict ({one.key}) do update set {updates}", list(row.values()))


def _set_aside_own(db: Database, ref_id: int, found: dict) -> None:
    """A till that imported its own feed before it joined the hub holds the same service under an id of
    its own: that row steps aside (retired, its directory marked) rather than fork the directory, and the
    signposts made to it keep it."""
    db.execute("update services set directory = directory || ' (this till''s own)', "
               "retired_at = coalesce(retired_at, ?) where directory = ? and service_id = ? and id <> ?",
               [found.get("updated_at"), found.get("directory"), found.get("service_id"), ref_id])
