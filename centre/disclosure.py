"""Disclosure control for figures that leave the café, in the style of GOV.UK statistics.

- A count from 1 to threshold-1 is shown as "<threshold" (primary suppression).
- Every other count is rounded to the nearest 5 (never down below the threshold); a true zero
  stays 0.
- Totals are worked out from the true figures and then rounded, never added up from rounded ones.
- Where a total and its parts are all published, one hidden part could be worked back out;
  so in any such group with exactly one hidden figure, the smallest other non-zero figure is
  hidden too ("[c]", secondary suppression), and so on until no group has exactly one.

Cells are any hashable keys; a constraint says `total == sum(parts)`. Every figure is one cell,
so a figure shared between two tables (a day within a week) is constrained once for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable

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
    changed = True
    while changed:
        changed = False
        for constraint in constraints:
            group = [constraint.total, *constraint.parts]
            if sum(1 for k in group if k in hidden) != 1:
                continue
            candidates = [k for k in group if k not in hidden and cells[k] > 0]
            if not candidates:  # cannot happen while total == sum(parts); kept safe regardless
                continue
            hidden.add(min(candidates, key=lambda k: (cells[k], repr(k))))
            changed = True
    return primary, hidden - primary


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
