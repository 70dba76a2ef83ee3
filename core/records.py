"""Records that change in place (a member's address, a volunteer's role, a price, a tally undone):
the journal gets an entry each time the till changes one, with the digest of the row as it is
then (a row deleted: the digest REMOVED), and `till verify` checks the newest entry of each row
against the row as it is now.

How a change is noticed: TEMP triggers, made on each of the till's own connections when it opens
the database (`watch`), note (kind, key) into a TEMP table; `core.journal.seal` turns the notes
into entries as the transaction commits. They are TEMP on purpose: someone editing the file with
the sqlite3 shell has no such triggers, so their edit is never quietly sealed by the till's next
commit; it stays a difference `verify` names. Working fields (a volunteer's failed PIN count) are
left out of the `update of` lists: they are not records.

Personal details are in a digest only as sha256(salt + value), with a random salt per person kept
in `person_salts` (machinery, not a record). The journal's old digests then cannot be tried
against guessed phone numbers, and once a member is erased (`forget`) and their salt deleted,
nothing in the journal can be matched to what they were.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

#: The digest of a row the till deleted.
REMOVED = "removed"


@dataclass(frozen=True)
class Changing:
    table: str
    #: The record's columns, in the digest's order; an `update of` these is a change.
    columns: tuple[str, ...]
    #: What a sentence calls one ("volunteer 3").
    label: str
    #: Columns whose values are in the digest only salted.
    personal: tuple[str, ...] = ()
    #: SQL over the row (alias t) naming whose salt that is, e.g. 'member 12'.
    person: str = "null"
    #: The column naming the record: a product's codes are one record, keyed by the product.
    key: str = "id"
    #: A column that, when set, names the record a row is part of instead: the kind covers only the rows
    #: where it is empty (a sale's stock movements are in the sale's journal record, core/journal.py).
    part_of: str | None = None

    def where(self, alias: str) -> str:
        """SQL true for the rows of the table this kind covers, the row being `alias`."""
        return "1" if self.part_of is None else f"{alias}.{self.part_of} is null"


def _all(*names: str) -> tuple[str, ...]:
    return names


CHANGING: dict[str, Changing] = {
    "member": Changing("members", _all(
        "id", "number", "name", "address", "email", "email_purpose", "phone", "phone_purpose", "under5_household",
        "consent_contact", "date_of_birth", "admitted_on", "ceased_on", "card_hash", "created_at", "dividend_payout"),
        "register entry of member id",
        personal=("name", "address", "email", "email_purpose", "phone", "phone_purpose", "under5_household",
                  "consent_contact", "date_of_birth"),
        person="'member ' || t.id"),
    "member_change": Changing("member_changes", _all(
        "id", "member_id", "at", "changed_by", "field", "old_value", "new_value"), "register change",
        personal=("old_value", "new_value"), person="'member ' || t.member_id"),
    "volunteer": Changing("volunteers", _all(
        "id", "name", "role", "active", "created_at", "pin_hash", "member_number", "emergency_contact", "left_on"),
        "volunteer", personal=("name", "emergency_contact"), person="'volunteer ' || t.id"),
    "product": Changing("products", _all(
        "id", "name", "category", "vat_class", "served_hot", "catering", "healthy_start", "stock_tracked",
        "reorder_level", "pass_through", "active", "created_at"), "product"),
    "price": Changing("prices", _all("id", "product_id", "price_pence", "created_at"), "price"),
    "codes": Changing("product_codes", _all("code", "product_id", "kind"), "codes of product", key="product_id"),
    # How a product is measured (per kg, litre or 100 g; sold by weight), for unit prices and weighing.
    "unit": Changing("product_units", _all("product_id", "per", "content", "by_weight", "set_at"),
                     "measure of product", key="product_id"),
    "stock": Changing("stock_movements", _all(
        "id", "product_id", "kind", "quantity", "counted", "reason", "reference", "created_at", "operator_id"),
        "stock movement", part_of="sale_id"),
    "supplier": Changing("suppliers", _all(
        "id", "name", "contact", "account", "lead_days", "active", "created_at", "created_by"), "supplier"),
    "supply": Changing("product_supply", _all("product_id", "supplier_id", "cost_pence", "set_at", "set_by"),
                       "supplier and cost of product", key="product_id"),
    "delivery": Changing("deliveries", _all("id", "supplier_id", "note", "at", "operator_id", "reverses"),
                         "delivery"),
    "delivery_line": Changing("delivery_lines", _all(
        "id", "delivery_id", "product_id", "quantity", "cost_pence", "best_before", "movement_id"), "delivery line"),
    "stock_value": Changing("stock_values", _all("movement_id", "value_pence"), "value of stock movement",
                            key="movement_id"),
    "stocktake": Changing("stocktakes", _all(
        "id", "category", "started_at", "started_by", "finished_at", "finished_by", "variance_pence"), "stocktake"),
    "stocktake_count": Changing("stocktake_counts", _all(
        "id", "stocktake_id", "product_id", "counted", "expected", "counted_at", "counted_by"), "stocktake count"),
    "training": Changing("training", _all(
        "id", "volunteer_id", "kind", "certified_on", "expires_on", "recorded_by", "at"), "training record"),
    "rota_slot": Changing("rota_slots", _all(
        "id", "weekday", "starts", "ends", "needed", "label", "active", "created_at", "created_by"), "rota slot"),
    "rota_entry": Changing("rota_entries", _all(
        "id", "slot_id", "volunteer_id", "week_of", "kind", "created_at", "created_by", "removed_at"), "rota entry"),
    "rota_offer": Changing("rota_offers", _all(
        "id", "slot_id", "volunteer_id", "on_date", "at", "decision", "decided_at", "decided_by"), "rota offer"),
    "rota_need": Changing("rota_slot_needs", _all("slot_id", "certificate", "set_at", "set_by"),
                          "certificate needed for rota slot", key="slot_id"),
    "service": Changing("services", _all(
        "id", "directory", "service_id", "name", "organization_id", "organization_name", "description", "url",
        "status", "first_seen", "updated_at", "retired_at", "details"), "directory service"),
    "tally": Changing("tallies", _all(
        "id", "at", "till_id", "volunteer_id", "kind", "family_under5", "first_visit", "undone_at"), "footfall tally"),
    "signpost": Changing("signposts", _all(
        "id", "at", "till_id", "volunteer_id", "service_ref", "family_under5", "contact_member", "consent_at",
        "undone_at"), "signpost", personal=("contact_member",),
        person="(select 'member ' || m.id from members m where m.number = t.contact_member)"),
    "audit": Changing("audit_log", _all(
        "id", "created_at", "till_id", "action", "operator_id", "approver_id", "detail"), "audit log entry"),
}

PENDING = "temp.journal_pending"


def tables() -> set[str]:
    return {one.table for one in CHANGING.values()}


def _present(db: Database) -> set[str]:
    return {row[0] for row in db.execute("select name from main.sqlite_master where type = 'table'")}


def watch(db: Database) -> None:
    """Make this connection note every change the till makes to a record (see the module's docstring)."""
    db.execute(f"create temp table if not exists {PENDING.split('.')[1]} (kind text not null, ref integer not null)")
    present = _present(db)
    for kind, one in CHANGING.items():
        if one.table not in present:
            continue
        # Unqualified (SQLite allows no other in a trigger): only the TEMP schema has this table.
        note = f"insert into journal_pending (kind, ref) select '{kind}', %s.{one.key} where %s;"
        columns = ", ".join(c for c in one.columns if c != one.key) + f", {one.key}"
        if one.part_of is not None:
            columns += f", {one.part_of}"  # a row moved into or out of the kind's cover is a change too
        new, old = note % ("new", one.where("new")), note % ("old", one.where("old"))
        for event, body in (("insert", new), ("delete", old), (f"update of {columns}", old + new)):
            name = f"journal_{one.table}_{event.split()[0]}"
            db.execute(f"create temp trigger if not exists {name} after {event} on main.{one.table}"
                       f" begin {body} end")


def take_pending(db: Database) -> list[tuple[str, int]]:
    """The records this transaction changed, in the order first changed; the notes are used up."""
    if db.execute("select 1 from temp.sqlite_master where name = 'journal_pending'").fetchone() is None:
        return []
    rows = db.execute(f"select kind, ref from {PENDING} group by kind, ref order by min(rowid)").fetchall()
    if rows:
        db.execute(f"delete from {PENDING}")
    return [(kind, ref) for kind, ref in rows]


def note(db: Database, kind: str, where: str, params: Iterable) -> None:
    """Note records of `kind` (rows matching `where`, over alias t) as changed, for the next seal."""
    one = CHANGING[kind]
    db.execute(f"insert into {PENDING} (kind, ref) select distinct '{kind}', t.{one.key} from {one.table} t"
               f" where ({where}) and {one.where('t')}", list(params))


def forget(db: Database, person: str) -> None:
    """Delete a person's salt (a lawful erasure): every record salted with it is journalled again
    under a new one, so the old entries' digests of their details can never be matched again."""
    db.execute("delete from person_salts where person = ?", [person])
    for kind, one in CHANGING.items():
        if one.personal:
            note(db, kind, f"{one.person} = ?", [person])


def _salted(salt: str, value) -> str:
    return hashlib.sha256((salt + json.dumps(value)).encode()).hexdigest()


def _select(one: Changing) -> str:
    return f"select t.{one.key}, {one.person}, {', '.join('t.' + c for c in one.columns)} from {one.table} t"


def _digest(found: dict) -> str:
    return hashlib.sha256(json.dumps(found, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _digests(kind: str, rows: Iterable[tuple], salts: dict[str, str]) -> Iterator[tuple[int, str]]:
    for key, found in _contents(kind, rows, salts):
        yield key, _digest(found)


def _contents(kind: str, rows: Iterable[tuple], salts: dict[str, str]) -> Iterator[tuple[int, dict]]:
    one = CHANGING[kind]
    personal = [i for i, column in enumerate(one.columns) if column in one.personal]
    if kind == "codes":
        grouped: dict[int, list] = {}
        for key, _, *values in rows:
            grouped.setdefault(key, []).append(values)
        for key, codes in grouped.items():
            yield key, {kind: sorted(codes)}
        return
    for key, person, *values in rows:
        if personal:
            # A person whose salt was deleted by hand gets none: the digest cannot match, as it should not.
            salt = "" if person is None else salts.get(person)
            for i in personal:
                values[i] = None if salt is None else _salted(salt, values[i])
        yield key, {kind: values}


def digests(db: Database, kind: str, refs: list[int] | None = None, *, make_salts: bool = False) -> dict[int, str]:
    """The digest of each record of `kind` as it is now (all of them, or those keyed by `refs`); a
    record that is not there is not in the answer. `make_salts` gives a person their salt if they
    have none yet (when sealing; verify only reads)."""
    return {key: _digest(found) for key, found in _found(db, kind, refs, make_salts)}


def contents(db: Database, kind: str, refs: list[int]) -> dict[int, dict]:
    """Each record as its digest covers it (personal details salted): what a hub is sent."""
    return dict(_found(db, kind, refs, False))


def _found(db: Database, kind: str, refs: list[int] | None, make_salts: bool) -> Iterator[tuple[int, dict]]:
    one = CHANGING[kind]
    sql = _select(one) + f" where {one.where('t')}"
    params: list = []
    if refs is not None:
        sql += f" and t.{one.key} in (select value from json_each(?))"
        params = [json.dumps(refs)]
    rows = db.execute(sql, params).fetchall()
    salts: dict[str, str] = {}
    if one.personal:
        people = sorted({row[1] for row in rows if row[1] is not None})
        salts = dict(db.execute("select person, salt from person_salts where person in (select value from"
                                " json_each(?))", [json.dumps(people)]).fetchall())
        if make_salts:
            for person in people:
                if person not in salts:
                    salts[person] = secrets.token_hex(16)
                    db.execute("insert into person_salts (person, salt) values (?, ?)", [person, salts[person]])
    return _contents(kind, rows, salts)


def keys(db: Database, kind: str) -> list[int]:
    """Every record of `kind` there is now."""
    one = CHANGING[kind]
    return [row[0] for row in db.execute(f"select distinct {one.key} from {one.table} t where {one.where('t')}"
                                         " order by 1")]


def adoptable(db: Database) -> list[str]:
    """Kinds whose rows the journal has not taken in yet (their table exists, they were never adopted)."""
    present = _present(db)
    if "journal_adopted" not in present:
        return []
    done = {row[0] for row in db.execute("select kind from journal_adopted")}
    return [kind for kind, one in CHANGING.items() if one.table in present and kind not in done]
