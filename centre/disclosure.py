"""Rounding with exact secondary suppression, in the style of GOV.UK statistics.

What leaves for the centre now goes through centre.release (cell-key noise, a record of what was
released, an audit over the ranges the figures allow): rounding alone let an attacker pin small
counts (tests/test_privacy_attack.py). Here remain `round_count`, for the society's own figures
on the Reports screen under disclosure control (members, money), and the exact-equation audit
below, whose tests keep it correct.

- A count from 1 to threshold-1 is shown as "<threshold" (primary suppression).
- Every other count is rounded to the nearest 5 (never down below the threshold); a true zero
  stays 0.
- Totals are worked out from the true figures and then rounded, never added up from rounded ones.
- Where a total and its parts are all published, one hidden part could be worked back out;
  so in any such group with exactly one hidden figure, the smallest other non-zero figure is
  hidden too ("[c]", secondary suppression), and so on until no group has exactly one. Then
  the whole set of sums is solved as a system: any hidden figure several sums together would
  pin down gets company too, until no hidden figure can be worked out exactly.

Cells are any hashable keys; a constraint says `total == sum(parts)`. Every figure is one cell,
so a figure shared between two tables (a day within a week) is constrained once for both.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

ROUND_TO = 5
SECONDARY = "[c]"


@dataclass(frozen=True)
class Constraint:
    total: Hashable
    parts: tuple[Hashable, ...]


def round_count(value: int, threshold: int) -> int:
    if value == 0:
        return 0
    rounded = (value + ROUND_TO // 2) // ROUND_TO * ROUND_TO
    if rounded < threshold:  # never round a publishable count down into the hidden range
        rounded = -(-threshold // ROUND_TO) * ROUND_TO
    return rounded


def hidden_cells(cells: dict[Hashable, int], constraints: list[Constraint], threshold: int) -> tuple[set, set]:
    """(primary, secondary): the cells to hide."""
    primary = {k for k, v in cells.items() if 0 < v < threshold}
    hidden = set(primary)

    def hide_another(group: list) -> bool:
        candidates = [k for k in group if k not in hidden and cells[k] > 0]
        if not candidates:  # cannot happen while total == sum(parts); kept safe regardless
            return False
        hidden.add(min(candidates, key=lambda k: (cells[k], repr(k))))
        return True

    while True:
        # First the quick rule: no sum may have exactly one hidden figure in it ...
        changed = True
        while changed:
            changed = False
            for constraint in constraints:
                group = [constraint.total, *constraint.parts]
                if sum(1 for k in group if k in hidden) == 1:
                    changed = hide_another(group) or changed
        # ... then the whole system: a hidden figure that several sums together pin down
        # exactly gets company in one of those sums, until none can be solved for.
        solvable = determined(sorted(hidden, key=repr), constraints)
        if not solvable:
            return primary, hidden - primary
        for cell in sorted(solvable, key=repr):
            if cell in hidden and not any(
                    hide_another([c.total, *c.parts]) for c in constraints if cell in (c.total, *c.parts)):
                # Every other figure in its own sums is hidden or zero, so it is pinned through
                # sums further off: hide the smallest figure in any sum that has hidden ones.
                # (Once every non-zero figure is hidden nothing can be solved for, so this ends.)
                linked = [k for c in constraints if any(k in hidden for k in (c.total, *c.parts))
                          for k in (c.total, *c.parts)]
                if not hide_another(linked):
                    return primary, hidden - primary


_PRIME = (1 << 61) - 1


def determined(hidden: list, constraints: list[Constraint]) -> set:
    """The hidden cells the published figures pin down exactly: those whose unit vector lies in
    the row space of the sums (as equations in the hidden cells), found by reducing them to
    row echelon form (exact arithmetic modulo a large prime; the coefficients are all ±1)."""
    index = {k: i for i, k in enumerate(hidden)}
    pivots: dict[int, dict[int, int]] = {}
    for constraint in constraints:
        row: dict[int, int] = {}
        for key, coefficient in ((constraint.total, 1), *((part, -1) for part in constraint.parts)):
            if key in index:
                i = index[key]
                row[i] = (row.get(i, 0) + coefficient) % _PRIME
        row = {i: v for i, v in row.items() if v}
        for col in [c for c in row if c in pivots]:
            factor = row.get(col)
            if factor:
                _subtract(row, pivots[col], factor)
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], _PRIME - 2, _PRIME)
        row = {i: v * inverse % _PRIME for i, v in row.items()}
        for other in pivots.values():
            factor = other.get(col)
            if factor:
                _subtract(other, row, factor)
        pivots[col] = row
    return {hidden[col] for col, row in pivots.items() if len(row) == 1}


def _subtract(row: dict[int, int], pivot: dict[int, int], factor: int) -> None:
    for i, v in pivot.items():
        value = (row.get(i, 0) - factor * v) % _PRIME
        if value:
            row[i] = value
        else:
            row.pop(i, None)


def publish(cells: dict[Hashable, int], constraints: list[Constraint], threshold: int) -> dict[Hashable, int | str]:
    """Each cell as it may be published: a rounded count, 0, "<threshold" or "[c]"."""
    if threshold < 1:
        raise ValueError("the threshold is at least 1")
    for c in constraints:
        if cells[c.total] != sum(cells[p] for p in c.parts):
            raise ValueError(f"{c.total!r} is not the sum of its parts")
    primary, secondary = hidden_cells(cells, constraints, threshold)
    shown: dict[Hashable, int | str] = {}
    for key, value in cells.items():
        if key in primary:
            shown[key] = f"<{threshold}"
        elif key in secondary:
            shown[key] = SECONDARY
        else:
            shown[key] = round_count(value, threshold)
    return shown
