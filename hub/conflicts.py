"""Changes made to one shared record at two tills while apart, as the hub decided them (hub/shared.py has
the rule): which record, which till's change was kept and which overruled, and the values that differed.
Only what every till's register holds anyway: a card's or PIN's hash is named, never shown, and the details
sealed to the office never reach a till."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core.records import CHANGING

#: Columns named when they differ, never shown: their values are secrets' hashes.
_HIDDEN = {"card_hash": "card", "pin_hash": "PIN"}


@dataclass(frozen=True)
class Overruled:
    id: int
    kind: str
    ref_id: int
    kept_till: str | None
    kept_at: datetime | None
    kept: dict | None
    lost_till: str | None
    lost_at: datetime | None
    lost: dict | None

    def differences(self) -> list[str]:
        """'name: "Ada Byron" kept, "Ada King" overruled', one per column the two changes disagree on."""
        if self.kept is None or self.lost is None:
            return ["removed, kept" if self.kept is None else "removed, overruled"]
        found = []
        for column in sorted(set(self.kept) | set(self.lost)):
            kept, lost = self.kept.get(column), self.lost.get(column)
            if kept == lost:
                continue
            if column in _HIDDEN:
                found.append(f"{_HIDDEN[column]}: the kept change's, not the other's")
            else:
                found.append(f"{column}: {_value(kept)} kept, {_value(lost)} overruled")
        return found

    def sentence(self) -> str:
        record = f"{CHANGING[self.kind].label} {self.ref_id}"
        if self.kind == "member" and (self.kept or self.lost):
            record += f" ({(self.kept or self.lost).get('number')})"
        return (f"{self.id}. {record}: {self.kept_till}'s change ({_when(self.kept_at)}) was kept over "
                f"{self.lost_till}'s ({_when(self.lost_at)}); " + "; ".join(self.differences()) + ".")


def overruled(conn) -> list[Overruled]:
    """Every change the hub overruled, oldest first."""
    with conn.transaction():
        rows = conn.execute("select id, kind, ref_id, kept_till, kept_at, kept_data, lost_till, lost_at, lost_data "
                            "from hub.overruled()").fetchall()
    return [Overruled(*row) for row in rows]


def _value(value) -> str:
    return "(none)" if value is None else f'"{value}"' if isinstance(value, str) else str(value)


def _when(moment: datetime | None) -> str:
    return "unknown time" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
