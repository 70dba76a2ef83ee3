"""An exact attacker on the centre's published figures, for the privacy tests.

It knows everything public: the disclosure rules (so each published value gives an interval the
true value lies in), the layout (a week is the sum of its days, visits = member + non-member
visits, people in = adults + children + under-5s, a day's signposts = the sum over services, a
service left out of a release had none then), and every release it is given. It finds, by integer
programming (scipy.optimize.milp), which published cells whose true value is 1 to 4 it can pin
exactly: the smallest and largest value the cell takes over every integer solution consistent
with all of that are the same.

Cells are ("m", measure, first, last) or ("s", service_id, first, last), first and last ISO dates,
each with what was shown: an int, "<N", "[c]" or None (a sum the layout says was added up from
published figures, which tells nothing new and is left out).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import lil_matrix, vstack

#: measure -> the day-level unknowns it is the sum of (signposts: the services, added per group)
ATOMS = {
    "visits": ("member_visits", "non_member_visits"),
    "member_visits": ("member_visits",), "non_member_visits": ("non_member_visits",),
    "people_without_purchase": ("adults", "children", "under5s"),
    "adults": ("adults",), "children": ("children",), "under5s": ("under5s",),
    "families_under5": ("families_under5",), "first_visits": ("first_visits",),
    "signposts_under5": ("signposts_under5",),
}
GROUP = {"visits": "visits", "member_visits": "visits", "non_member_visits": "visits",
         "people_without_purchase": "people", "adults": "people", "children": "people", "under5s": "people",
         "families_under5": "families_under5", "first_visits": "first_visits",
         "signposts": "signposts", "signposts_under5": "signposts_under5"}
BIG = 10**6


def round_5(x: int) -> int:
    return (x + 2) // 5 * 5


def rules_before(threshold: int = 5):
    """The published values a true count could give under the rules up to schema version 1:
    rounded to the nearest 5, never below the threshold."""
    def outcomes(v: int) -> set:
        if v == 0:
            return {0}
        if v < threshold:
            return {f"<{threshold}"}
        return {max(round_5(v), -(-threshold // 5) * 5)}
    return outcomes


def rules_noise(threshold: int = 5, noise: int = 2):
    """The documented cell-key rules: a noise e in -noise..noise added, then rounded to 5, never
    below the threshold; which e a cell gets is secret, so any of them is possible."""
    def outcomes(v: int) -> set:
        if v == 0:
            return {0}
        if v < threshold:
            return {f"<{threshold}"}
        return {max(round_5(v + e), -(-threshold // 5) * 5) for e in range(-noise, noise + 1)}
    return outcomes


def interval(shown, outcomes) -> tuple[int, int]:
    if shown == "[c]":
        return 1, BIG
    if isinstance(shown, str):  # "<N"
        return 1, int(shown[1:]) - 1
    if shown == 0:
        return 0, 0
    values = [v for v in range(1, shown + 40) if shown in outcomes(v)]
    assert values and values == list(range(values[0], values[-1] + 1)), shown
    return values[0], values[-1]


def cells_of_json(document: dict) -> dict:
    """The cells one JSON export publishes (either schema version)."""
    cells = {}
    for row in document["daily"]:
        for m in GROUP:
            cells[("m", m, row["date"], row["date"])] = row[m]
    spans = [(w["start"], w["end"]) for w in document["weekly"]]
    for w in document["weekly"]:
        for m in GROUP:
            cells[("m", m, w["start"], w["end"])] = w[m]
    for month in document.get("monthly", []):
        spans.append((month["start"], month["end"]))
        for m in GROUP:
            cells[("m", m, month["start"], month["end"])] = month[m]
    derived = document["disclosure"].get("total") == "sum of published parts"
    if not derived:
        for m in GROUP:
            cells[("m", m, document["from"], document["to"])] = document["total"][m]
    ends = dict(spans)
    listed = set()
    for s in document["signposting"]:
        listed.add(s["service_id"])
        for start, value in {**s.get("weeks", {}), **s.get("months", {})}.items():
            cells[("s", s["service_id"], start, ends[start])] = value
        if not derived:
            cells[("s", s["service_id"], document["from"], document["to"])] = s["total"]
    # A service not listed had no signposts in the whole period: the caller adds those zeros
    # (it alone knows every service seen anywhere), under this key.
    cells[("listed", document["from"], document["to"])] = frozenset(listed)
    return cells


@dataclass
class Attack:
    checked: int  # published cells with a true value 1..4
    pinned: list  # those pinned exactly
    stats: dict


def attack(cells: dict, truth, outcomes, *, seed: int = 0, tries: int = 4) -> Attack:
    """`cells`: every published cell (union of releases; a set of values where one cell was shown
    differently in two, each giving an interval the truth is in). `truth`:
    the true figures (centre.figures.Figures), only to pick which cells to check and to score."""
    services = sorted({k[1] for k in cells if k[0] == "s"})
    ref_of = {s.service_id: ref for ref, s in truth.services.items()}
    published = {k: v for k, v in cells.items() if k[0] in ("m", "s") and v is not None}
    for key, listed in [(k, v) for k, v in cells.items() if k[0] == "listed"]:
        for sid in services:
            if sid not in listed:
                published[("s", sid, key[1], key[2])] = 0

    def atoms(key) -> list:
        first, last = date.fromisoformat(key[2]), date.fromisoformat(key[3])
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        if key[0] == "s":
            return [("s", key[1], d) for d in days]
        if key[1] == "signposts":
            return [("s", sid, d) for sid in services for d in days]
        return [(a, d) for a in ATOMS[key[1]] for d in days]

    def true_value(key) -> int:
        total = 0
        for atom in atoms(key):
            if atom[0] == "s":
                total += truth.signposts.get((ref_of[atom[1]], atom[2]), 0)
            else:
                total += truth.daily[atom[1]][atom[0]]
        return total

    groups = defaultdict(list)
    for key in published:
        groups["signposts" if key[0] == "s" else GROUP[key[1]]].append(key)
    rng = random.Random(seed)
    checked, pinned = 0, []
    stats = defaultdict(int)
    for keys in groups.values():
        variables: dict = {}
        rows = [[variables.setdefault(a, len(variables)) for a in atoms(k)] for k in keys]
        matrix = lil_matrix((len(keys), len(variables)))
        lo, hi = np.zeros(len(keys)), np.zeros(len(keys))
        for r, (key, columns) in enumerate(zip(keys, rows)):
            for c in columns:
                matrix[r, c] = 1
            shown = published[key]
            ranges = [interval(v, outcomes) for v in (shown if isinstance(shown, (set, frozenset)) else [shown])]
            lo[r], hi[r] = max(a for a, _ in ranges), min(b for _, b in ranges)
        matrix = matrix.tocsr()
        problem = (matrix, LinearConstraint(matrix, lo, hi), np.ones(len(variables)))
        truths = {k: true_value(k) for k in keys}
        candidates = [r for r, k in enumerate(keys) if 1 <= truths[k] <= 4]
        checked += len(candidates)
        if not candidates:
            continue
        open_ = set(candidates)

        truth_of = np.array([truths[k] for k in keys])

        def prune(values, open_=open_, truth_of=truth_of):
            open_ -= {r for r in open_ if round(values[r]) != truth_of[r]}

        for _ in range(tries):  # other solutions: a cell that differs in any is not pinned
            prune(_solve(np.array([rng.choice((-1.0, 1.0)) for _ in variables]), *problem))
        stats["open"] += len(open_)
        columns = matrix.tocsc()
        while open_:
            r = min(open_)
            row = matrix.getrow(r).toarray().ravel()
            # Pinned within the sums around it is pinned for good (more sums only narrow it further):
            # cheap to prove; only what that cannot settle is solved with every sum.
            near = {r}
            for _ in range(2):
                near = set(columns[:, matrix[sorted(near)].indices].indices)
            near = sorted(near)
            local = matrix[near]
            used = sorted(set(local.indices))
            sub = local[:, used]
            where = near.index(r)
            part = (sub, LinearConstraint(sub, lo[near], hi[near]), np.ones(len(used)))
            stats["local"] += 1
            if all(_relaxed(d * row[used], sub, lo[near], hi[near]) == d * truth_of[r] for d in (1, -1)) or all(
                    round(_solve(d * row[used], *part)[where]) == truth_of[r] for d in (1, -1)):
                pinned.append((keys[r], truths[keys[r]]))
                open_.discard(r)
                continue
            for direction in (1, -1):  # its smallest, then its largest value; each a solution too
                stats["solves"] += 1
                prune(_solve(direction * row, *problem))
                if r not in open_:
                    break
            else:
                pinned.append((keys[r], truths[keys[r]]))
                open_.discard(r)
    return Attack(checked=checked, pinned=pinned, stats=dict(stats))


def _solve(objective, matrix, constraint, integral):
    found = milp(objective, constraints=constraint, integrality=integral, bounds=Bounds(0, BIG))
    assert found.status == 0, found.message  # the truth is a solution: never infeasible
    return matrix @ np.round(found.x)


def _relaxed(objective, matrix, lo, hi) -> float | None:
    """The bound on objective @ x without asking x to be whole (a linear programme: much quicker),
    rounded inwards: every whole solution lies within it, so where it meets the truth, so does the
    whole solutions' bound."""
    found = linprog(objective, A_ub=vstack([matrix, -matrix]), b_ub=np.concatenate([hi, -lo]),
                    bounds=(0, BIG), method="highs")
    if found.status != 0:
        return None
    return float(np.ceil(found.fun - 1e-6))


def pool(documents: list[dict]) -> dict:
    """Every cell of several JSON exports: a cell shown differently in two keeps both values."""
    cells: dict = {}
    for document in documents:
        for key, value in cells_of_json(document).items():
            if key[0] == "listed":
                cells[key] = value
            else:
                cells.setdefault(key, set()).add(value)
    return cells
