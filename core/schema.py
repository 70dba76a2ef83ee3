"""The foundation's own tables: the journal (the tamper-evident chain of every record) and its machinery:
the node id, and each Z's seal (core/witness.py).

The till's migration set ("pos" m013) made it before the foundation was a package of its own;
that migration has shipped and stays. This set takes the table over from here on.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("core")

TABLES = ("journal", "node", "journal_adopted", "person_salts", "z_seals")


@migrations()
def m001_take_over_the_journal(db: Database) -> None:
    """Nothing to change: the journal exists already (made by the "pos" set); from now on it is ours."""


@migrations()
def m002_node(db: Database) -> None:
    """The database's node id, for global keys (core/node.py). A copy of a file keeps its node id:
    restoring a backup is the same node carrying on, never a new one."""
    from core.node import new_node_id

    db["node"].create({"id": str, "made_at": str}, pk="id")
    db.execute("insert into node (id, made_at) values (?, datetime('now'))", [new_node_id()])


@migrations()
def m003_journal_every_record(db: Database) -> None:
    """Records that change in place get an entry per change (core/records.py), so a record may have many
    entries: the journal's one-entry-per-record index goes. `journal_adopted` names the kinds whose rows
    the journal has taken in (an upgrade adopts a database's existing rows, core.journal.adopt: once per
    kind); `person_salts` keeps each person's random salt for their details' digests."""
    db.execute("drop index if exists idx_journal_kind_ref_id")
    db["journal"].create_index(["kind", "ref_id", "id"], index_name="journal_by_record")
    db["journal_adopted"].create({"kind": str, "at": str}, pk="kind", not_null={"at"})
    db["person_salts"].create({"person": str, "salt": str}, pk="person", not_null={"salt"})


@migrations()
def m004_z_seals(db: Database) -> None:
    """Each Z's seal: the journal's newest entry (number, hash) when the Z was sealed, written in the Z's
    own transaction (core/witness.py). Every closed session must have one, so those closed before this
    version are given the journal entry of their Z, the reference their Z report printed."""
    db["z_seals"].create({"session_id": int, "till_id": str, "z_number": int, "entry": int, "hash": str,
                          "at": str}, pk="session_id", not_null={"till_id", "z_number", "entry", "hash", "at"})
    db.execute("insert into z_seals (session_id, till_id, z_number, entry, hash, at)"
               " select t.id, t.till_id, t.z_number, j.id, j.hash, t.closed_at from till_sessions t"
               " join journal j on j.kind = 'z' and j.ref_id = t.id where t.closed_at is not null")


@migrations()
def m005_node_number(db: Database) -> None:
    """The node's number at its hub (core/ids.py): empty until the database inits or joins a hub."""
    db.execute("alter table node add column number integer")
