"""The audit before figures leave: can anyone who knows the rules work out a small count exactly?

It reasons as an outsider would, with what each shown figure allows (an interval: "<5" is 1 to 4,
0 is 0, "[c]" is at least 1, a rounded and perturbed figure P is P-4 to P+4) and with the sums the
layout implies (a week is the sum of its days, visits = member + non-member visits ...), over the
new release together with what has gone out before. The intervals are narrowed, sum by sum, until
nothing changes (bounds propagation). Any small count ("<N" or "[c]") left with one possible value
would be given away: more of the new release is hidden ("[c]") until none is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

#: no upper bound
MANY = 10**9


def narrow(ranges: dict[Hashable, tuple[int, int]], sums: list[tuple[Hashable, tuple]], *,
           passes: int = 60) -> dict[Hashable, tuple[int, int]]:
    """Each unknown's interval, narrowed through every `total == sum(parts)` to a fixpoint.
    Unknowns in a sum with no interval of their own are taken as 0 to MANY."""
    low = defaultdict(int)
    high = defaultdict(lambda: MANY)
    for key, (a, b) in ranges.items():
        low[key], high[key] = a, b
    uses = defaultdict(list)
    for n, (total, parts) in enumerate(sums):
        for key in (total, *parts):
            uses[key].append(n)
    waiting = set(range(len(sums)))
    for _ in range(passes):
        if not waiting:
            break
        changed = set()
        for n in sorted(waiting):
            total, parts = sums[n]
            lows, highs = sum(low[p] for p in parts), sum(min(high[p], MANY) for p in parts)
            updates = [(total, lows, highs)]
            for p in parts:
                updates.append((p, low[total] - (highs - min(high[p], MANY)), high[total] - (lows - low[p])))
            for key, a, b in updates:
                a, b = max(low[key], a), min(high[key], b, MANY)
                if a > b:  # figures shown before a late correction: no longer consistent, leave them be
                    continue
                if (a, b) != (low[key], high[key]):
                    low[key], high[key] = a, b
                    changed.add(key)
        waiting = {n for key in changed for n in uses[key]}
    return {key: (low[key], high[key]) for key in set(low) | set(high)}


def pinned(ranges: dict, sums: list, small: set) -> set:
    """The small counts whose interval narrows to one value."""
    narrowed = narrow(ranges, sums)
    return {key for key in small if narrowed[key][0] == narrowed[key][1]}
