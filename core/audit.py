"""One row of the audit log: who did (or tried) a privileged thing, at which till, approved by whom.

The till writes most rows (pos.till.Till.audit); this is the same row for the packages below the
till that must leave a trace of their own, such as a wrong PIN or a lockout (volunteers)."""

from __future__ import annotations

from sqlite_utils import Database


def audit(db: Database, *, at: str, till_id: str, action: str, operator_id: int,
          approver_id: int | None = None, detail: str | None = None) -> None:
    """Write one audit row, inside the caller's transaction."""
    db.execute(
        "insert into audit_log (created_at, till_id, action, operator_id, approver_id, detail)"
        " values (?, ?, ?, ?, ?, ?)",
        [at, till_id, action, operator_id, approver_id, detail or None],
    )
