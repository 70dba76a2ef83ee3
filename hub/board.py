"""The board's decisions on withdrawals asked for at a till other than the office, on their way to that till
(the rules of making one are coop/board_elsewhere.py's).

The office puts its decisions at the hub with its owner's connection (`publish`, at `till office pull`); each
till takes those naming its own requests at its pull (`pull`), each once, and writes each into its
share ledger as the board's decision, with who made it and when, in a transaction of its own (so, unlike a
shared record pulled, it goes up with the till's next push and reaches the office's copy).

A till writes one only over a request it holds that it has not paid and that waits for a first decision or is
suspended: the office refuses any other, but its copy may be older than the till. One it cannot write is left
out and said why (`Taken.refused`, and `hub_board_taken` keeps it), and the office's page shows it not recorded
there: a decision is taken once, never applied twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from core.database import transaction

#: The only decision a later one may follow: a suspended request waits for the board to decide again.
_OPEN = ("suspended",)
#: What the ledger entry a till writes says of where the decision was made.
NOTE = "decided by the board at the office"


@dataclass
class Taken:
    """What a pull did with the board's decisions: how many were written here, and a sentence for each not."""

    written: int = 0
    refused: list[str] = field(default_factory=list)


def publish(conn, decisions: list[tuple]) -> int:
    """Put the office's decisions at the hub: (office entry, till id, the till's request id, decision, shares
    approved, by, at, on). Those there already stay as they are (a decision is not changed once sent)."""
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany("insert into hub.board_decisions (entry, till_id, request_id, decision, approved_shares,"
                           " decided_by, decided_at, decided_on) values (%s, %s, %s, %s, %s, %s, %s, %s)"
                           " on conflict (entry) do nothing", decisions)
    return len(decisions)


def other_tills(copy: Database, own_node: str) -> dict[int, str]:
    """The tills in the office's consolidated copy other than the office (`own_node`), by their number k there
    (a request's id in the copy is k × BLOCK + the till's own id)."""
    own = copy.execute("select k from office_nodes where node_id = ?", [own_node]).fetchone()
    return {k: till_id for k, till_id in copy.execute("select k, till_id from office_nodes order by rowid")
            if own is None or k != own[0]}


def pull(db: Database, conn, *, at: str) -> Taken:
    """Take the board's decisions on this till's requests that it has not taken yet, oldest first."""
    with conn.transaction():
        rows = conn.execute("select entry, request_id, decision, approved_shares, decided_by, decided_at, decided_on"
                            " from hub.my_board_decisions()").fetchall()
    taken = Taken()
    for entry, request_id, decision, approved, by, decided_at, on in rows:
        with transaction(db):
            if db.execute("select 1 from hub_board_taken where entry = ?", [entry]).fetchone():
                continue
            why = _why_not(db, request_id)
            if why is None:
                member_id = db.execute("select member_id from share_ledger where id = ?", [request_id]).fetchone()[0]
                db.execute("insert into share_ledger (member_id, at, on_date, kind, shares, amount_pence, request_id,"
                           " decision, approved_shares, by, note) values (?, ?, ?, 'decision', 0, 0, ?, ?, ?, ?, ?)",
                           [member_id, decided_at, on, request_id, decision, approved, by, NOTE])
                taken.written += 1
            else:
                taken.refused.append(f"The board's decision ({decision.replace('_', ' ')}, by {by}) on request "
                                     f"{request_id} was not recorded here: {why}")
            db.execute("insert into hub_board_taken (entry, outcome, taken_at) values (?, ?, ?)",
                       [entry, "recorded" if why is None else why, at])
    return taken


def _why_not(db: Database, request_id: int) -> str | None:
    """Why the board's decision cannot be written over this till's request now; None when it can."""
    if db.execute("select 1 from share_ledger where id = ? and kind = 'withdrawal_request'",
                  [request_id]).fetchone() is None:
        return "this till holds no such request"
    if db.execute("select 1 from share_ledger where request_id = ? and kind = 'payout'", [request_id]).fetchone():
        return "it has been paid out here already"
    last = db.execute("select decision, by from share_ledger where request_id = ? and kind = 'decision' "
                      "order by id desc limit 1", [request_id]).fetchone()
    if last is not None and last[0] not in _OPEN:
        return f"it was decided here already ({last[0].replace('_', ' ')}, by {last[1]})"
    return None
