"""Disclosure control, as properties: nothing small shows, and nothing hidden can be worked back."""

from hypothesis import given, settings
from hypothesis import strategies as st

from centre.disclosure import SECONDARY, Constraint, publish, round_count

counts = st.integers(min_value=0, max_value=40) | st.sampled_from([0, 0, 1, 2, 3, 4])


def table(rows: list[list[int]]):
    """A table with row totals, column totals and a grand total, as cells and constraints."""
    cells, constraints = {}, []
    n_cols = len(rows[0])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cells[(r, c)] = value
        cells[(r, "total")] = sum(row)
        constraints.append(Constraint((r, "total"), tuple((r, c) for c in range(n_cols))))
    for c in range(n_cols):
        cells[("total", c)] = sum(row[c] for row in rows)
        constraints.append(Constraint(("total", c), tuple((r, c) for r in range(len(rows)))))
    cells[("total", "total")] = sum(map(sum, rows))
    constraints.append(Constraint(("total", "total"), tuple(("total", c) for c in range(n_cols))))
    constraints.append(Constraint(("total", "total"), tuple((r, "total") for r in range(len(rows)))))
    return cells, constraints


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=5).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=6)),
    st.sampled_from([3, 5, 7, 10]))
def test_no_small_count_shows_and_no_hidden_cell_can_be_recovered(rows, threshold):
    cells, constraints = table(rows)
    shown = publish(cells, constraints, threshold)
    for key, value in shown.items():
        if isinstance(value, int):
            assert value == 0 or value >= threshold  # no cell in 1..threshold-1 ever appears
            assert (value == 0) == (cells[key] == 0)  # true zeros are kept, and only they show 0
            assert value % 5 == 0 and abs(value - cells[key]) <= max(2, threshold)
        else:
            assert value in (f"<{threshold}", SECONDARY)
    for constraint in constraints:
        hidden = [k for k in (constraint.total, *constraint.parts) if not isinstance(shown[k], int)]
        assert len(hidden) != 1, f"{hidden[0]} could be worked out from {constraint}"


@given(st.lists(counts, min_size=2, max_size=8))
def test_totals_come_from_true_figures_not_rounded_ones(parts):
    cells = {("p", i): v for i, v in enumerate(parts)} | {"total": sum(parts)}
    shown = publish(cells, [Constraint("total", tuple(("p", i) for i in range(len(parts))))], 5)
    if sum(parts) >= 5:
        assert shown["total"] == round_count(sum(parts), 5)


def test_worked_examples():
    assert [round_count(v, 5) for v in (0, 5, 7, 8, 12, 13, 102)] == [0, 5, 5, 10, 10, 15, 100]
    assert round_count(7, 7) == 10  # 7 is publishable, but 5 would fall in the hidden range
    cells = {"a": 3, "b": 20, "c": 0, "total": 23}
    shown = publish(cells, [Constraint("total", ("a", "b", "c"))], 5)
    assert shown == {"a": "<5", "b": SECONDARY, "c": 0, "total": 25}


def test_figures_that_several_sums_together_pin_down_are_hidden_too():
    from centre.disclosure import determined, hidden_cells

    # x, y, z each hidden twice over, yet x = (t1 - t2 + t3) / 2: every sum has two hidden
    # figures, and still all three could be worked out.
    cells = {"x": 3, "y": 2, "z": 4, "t1": 5, "t2": 6, "t3": 7}
    sums = [Constraint("t1", ("x", "y")), Constraint("t2", ("y", "z")), Constraint("t3", ("x", "z"))]
    assert determined(["x", "y", "z"], sums) == {"x", "y", "z"}
    primary, secondary = hidden_cells(cells, sums, 5)
    assert primary == {"x", "y", "z"} and secondary  # a total went too
    assert determined(sorted(primary | secondary), sums) == set()


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=5)))
def test_no_hidden_cell_can_be_solved_for_from_all_the_sums_together(rows):
    from centre.disclosure import hidden_cells

    cells, constraints = table(rows)
    primary, secondary = hidden_cells(cells, constraints, 5)
    assert solvable_by_fractions(sorted(primary | secondary, key=repr), constraints) == set()


def solvable_by_fractions(hidden, constraints):
    """An independent, plain oracle: exact rational row reduction of the sums in the hidden cells."""
    from fractions import Fraction

    index = {k: i for i, k in enumerate(hidden)}
    matrix = []
    for c in constraints:
        row = [Fraction(0)] * len(hidden)
        for key, sign in ((c.total, 1), *((p, -1) for p in c.parts)):
            if key in index:
                row[index[key]] += sign
        if any(row):
            matrix.append(row)
    pivot_row, pivots = 0, []
    for col in range(len(hidden)):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col]), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [v / lead for v in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col]:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row])]
        pivots.append(col)
        pivot_row += 1
    return {hidden[col] for r, col in enumerate(pivots) if sum(1 for v in matrix[r] if v) == 1}


def test_the_oracle_agrees_on_the_worked_example():
    sums = [Constraint("t1", ("x", "y")), Constraint("t2", ("y", "z")), Constraint("t3", ("x", "z"))]
    assert solvable_by_fractions(["x", "y", "z"], sums) == {"x", "y", "z"}


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=6), st.data())
def test_nothing_small_in_a_whole_release_can_be_pinned_by_an_exact_attacker(weeks, data):
    """Days, weeks, months, the sums within a row and signposting by service, all at once, made of
    the small counts that give most away, released (perturbed, audited) and then attacked."""
    import json
    import tempfile
    from collections import Counter
    from datetime import date, datetime, timedelta
    from pathlib import Path

    from centre.directory import Service
    from centre.export import prepare, to_json
    from centre.figures import MEASURES, Figures
    from pos.database import open_database
    from tests import privacy_attacker as attacker
    from tests.conftest import LONDON

    first = date(2026, 10, 26)  # a Monday: whole weeks, and with five, the whole of November
    figures = Figures(first=first, last=first + timedelta(days=7 * weeks - 1))
    services = {ref: Service(ref=ref, directory="d", service_id=str(ref), name=f"S{ref}", organization_name=None,
                             status="active", retired=False) for ref in (1, 2)}
    figures.services = services
    small = st.sampled_from([0, 0, 1, 2, 3, 4, 6, 9, 12])
    for day in figures.days:
        counts = Counter({m: 0 for m in MEASURES})
        counts["member_visits"], counts["non_member_visits"] = data.draw(small), data.draw(small)
        counts["visits"] = counts["member_visits"] + counts["non_member_visits"]
        for kind in ("adults", "children", "under5s"):
            counts[kind] = data.draw(small)
        counts["people_without_purchase"] = counts["adults"] + counts["children"] + counts["under5s"]
        for ref in services:
            figures.signposts[(ref, day)] = data.draw(small)
        counts["signposts"] = sum(figures.signposts[(ref, day)] for ref in services)
        counts["families_under5"], counts["first_visits"] = data.draw(small), data.draw(small)
        figures.daily[day] = counts
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "till.db")
        document = json.loads(to_json(prepare(db, figures, threshold=5, society="S",
                                              generated_at=datetime(2026, 12, 1, tzinfo=LONDON))))
        db.close()
    assert attacker.attack(attacker.pool([document]), figures, attacker.rules_noise()).pinned == []
