"""Money and stock that two tills can spend while apart: a member's till credit, a volunteer's time
credits, the pay-it-forward pool and the stock on the shelves (the society's, across its tills), counted
across the society at the office and brought down to every till, and what went below zero listed for a
manager.

The office counts each till's part of each balance in its consolidated copy (hub/office.py) and
publishes the parts at the hub, with how far into each till's journal it counted. A till keeps the
society's total less its own part: what the other tills did, as the office last knew it. What it may
spend is that plus its own ledger as it is now, so its own records are counted once, whether the office
had them yet or not; with no hub (nothing kept) it is its own ledger, as before.

Two tills apart can each spend what they last knew, so a balance may end below zero. The sale stands (it
happened); the office lists the balance for a manager (`flagged`). Stock is never capped at a till, only
listed when it went below zero across the tills. A stocktake at a till counts the shelf against its own
ledger plus the other tills' part, so once the office has counted again every till has the counted figure.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from core.database import transaction
from core.money import format_pence

#: What the office counts, by kind: a member's till credit (pence, by member id), a volunteer's time
#: credits (by volunteer id), items waiting in the pay-it-forward pool and stock on hand (by product id;
#: inventory/stock.py reads "stock" from the till's `hub_balances` by name).
KINDS = ("credit", "time", "pool", "stock")

# In the copy a till's own ids are k × BLOCK + its id (hub/office.py), so id / BLOCK is the till's k.
_PARTS = {
    "credit": "select member_id, id / :block, sum(amount_pence) from member_credit group by 1, 2",
    "pool": "select product_id, sale_id / :block, sum(case when pay_forward then quantity else 0 end)"
            " - sum(case when claimed then quantity else 0 end) from sale_lines where pay_forward or claimed"
            " group by 1, 2",
    "time": "select volunteer_id, sale_id / :block, -sum(credits) from time_credit_spends group by 1, 2",
    "stock": "select product_id, id / :block, sum(quantity) from stock_movements group by 1, 2",
}


def parts(copy: Database, earned: dict[tuple[int, str], int] | None = None) -> dict[tuple[str, int, str], int]:
    """Each till's part of each balance in the office's copy: (kind, id, node id) → amount. `earned` is
    the time credits each volunteer earned at each till ((volunteer id, till id) → credits), worked out by
    the volunteers' own rules over the copy's shifts."""
    from hub.office import BLOCK

    # A rebuilt till shares its old node's k (hub/office.py): its part is the newest node's, which holds it all.
    nodes = {k: node for k, node in copy.execute("select k, node_id from office_nodes order by rowid")}
    by_till: dict[str, str] = {}
    for till_id, node in copy.execute("select till_id, node_id from office_nodes order by k"):
        by_till.setdefault(till_id, node)
    found: dict[tuple[str, int, str], int] = {}
    for kind, query in _PARTS.items():
        for ref_id, k, amount in copy.execute(query, {"block": BLOCK}):
            if k in nodes and amount:
                found[(kind, ref_id, nodes[k])] = found.get((kind, ref_id, nodes[k]), 0) + amount
    for (volunteer_id, till_id), credits in (earned or {}).items():
        if till_id in by_till and credits:
            key = ("time", volunteer_id, by_till[till_id])
            found[key] = found.get(key, 0) + credits
    return found


def publish(conn, copy: Database, counted: dict[tuple[str, int, str], int]) -> int:
    """Put the office's count at the hub (with the owner's connection), replacing the last one, in one
    transaction: the marks are how far into each till's journal the copy had counted. Rows published."""
    from psycopg.types.json import Jsonb

    marks = {node: entry for node, entry in copy.execute("select node_id, entry from office_nodes")}
    with conn.transaction():
        conn.execute("delete from hub.balances")
        with conn.cursor() as cursor:
            cursor.executemany("insert into hub.balances (kind, ref_id, node_id, amount) values (%s, %s, %s, %s)",
                               [(kind, ref_id, node, amount) for (kind, ref_id, node), amount in counted.items()])
        conn.execute("insert into hub.balance_count (id, at, marks) values (1, now(), %s) "
                     "on conflict (id) do update set at = excluded.at, marks = excluded.marks", [Jsonb(marks)])
    return len(counted)


@dataclass(frozen=True)
class Flag:
    """A balance below zero across the tills, for a manager: never a refused sale, a sum to settle."""

    kind: str
    ref_id: int
    amount: int
    sentence: str


def flagged(copy: Database, counted: dict[tuple[str, int, str], int]) -> list[Flag]:
    """Every balance the society's tills took below zero between them, stock included."""
    totals: dict[tuple[str, int], int] = {}
    for (kind, ref_id, _node), amount in counted.items():
        totals[(kind, ref_id)] = totals.get((kind, ref_id), 0) + amount
    flags = []
    for (kind, ref_id), amount in sorted(totals.items()):
        if amount < 0:
            flags.append(Flag(kind, ref_id, amount, _sentence(copy, kind, ref_id, amount)))
    return flags


def _sentence(copy: Database, kind: str, ref_id: int, amount: int) -> str:
    if kind == "credit":
        row = copy.execute("select number from members where id = ?", [ref_id]).fetchone()
        return (f"Member {row[0] if row else ref_id}'s till credit is {format_pence(amount)} across the tills: spent "
                "at two tills while they were apart. The sales stand; settle it with the member.")
    if kind == "time":
        row = copy.execute("select name from volunteers where id = ?", [ref_id]).fetchone()
        return (f"Volunteer {row[0] if row else ref_id} ({ref_id}) has spent {-amount} time credit"
                f"{'s' if amount != -1 else ''} more than they earned, at tills apart. The sales stand.")
    if kind == "stock":
        return (f"{_product(copy, ref_id)} stands at {amount} in stock across the tills (sold at tills apart, or "
                "never booked in); count the shelf (nothing was refused).")
    return (f"{_product(copy, ref_id)}: {-amount} more claimed than paid forward, at tills apart. The claims "
            "stand; the pool starts again from zero once it is paid forward.")


def _product(copy: Database, product_id: int) -> str:
    row = copy.execute("select name from products where id = ?", [product_id]).fetchone()
    return row[0] if row else f"product {product_id}"


# The till's side -------------------------------------------------------------------------------


def pull(db: Database, conn, *, at: str) -> int:
    """Take the office's last count from the hub: for each balance, the other tills' part, kept in one
    SQLite transaction in place of the last. Nothing is kept when the office has not counted yet."""
    with conn.transaction():
        rows = conn.execute("select kind, ref_id, total, own, counted_at, counted_entry from hub.my_balances()"
                            ).fetchall()
    if not rows:
        return 0
    with transaction(db):
        db.execute("delete from hub_balances")
        db.conn.executemany("insert into hub_balances (kind, ref_id, elsewhere) values (?, ?, ?)",
                            [(kind, ref_id, total - own) for kind, ref_id, total, own, _, _ in rows
                             if total != own and kind in KINDS])
        db.execute("insert into hub_balance_count (id, counted_at, counted_entry, pulled_at) values (1, ?, ?, ?) "
                   "on conflict (id) do update set counted_at = excluded.counted_at, "
                   "counted_entry = excluded.counted_entry, pulled_at = excluded.pulled_at",
                   [rows[0][4].isoformat(), rows[0][5], at])
    return len(rows)


def elsewhere(db: Database, kind: str, ref_id: int) -> int:
    """What the other tills did to this balance, as the office last counted (0 with no hub)."""
    return all_elsewhere(db, kind).get(ref_id, 0)


def all_elsewhere(db: Database, kind: str) -> dict[int, int]:
    try:
        return dict(db.execute("select ref_id, elsewhere from hub_balances where kind = ?", [kind]).fetchall())
    except sqlite3.OperationalError:  # a database made before balances came down (read only, say)
        return {}


def has_count(db: Database) -> bool:
    """Whether this till holds an office count (it is part of a hub, and has pulled one)."""
    try:
        return db.execute("select 1 from hub_balance_count").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def capped(known: int, asked: int, *, what: str, whose: str) -> str:
    """The sentence at the till when what it knows of is less than what is asked: `what` is "credit"
    (pence) or "time credits" (credits)."""
    if what == "credit" and known <= 0:
        return (f"this till knows of no credit left for {whose} (it may have been spent at another till): take "
                f"{format_pence(asked)} another way")
    if what == "credit":
        return (f"{format_pence(known)} of credit is all this till knows of for {whose}; the rest may be at the "
                f"office or another till: take the other {format_pence(asked - known)} another way")
    return (f"{known} time credit{'s' if known != 1 else ''} {'are' if known != 1 else 'is'} all this till knows of "
            f"for {whose}, not {asked}; the rest reach this till when it next hears from the office")
