"""Disclosure control, as properties: nothing small shows, and nothing hidden can be worked back."""

from hypothesis import given, settings, strategies as st

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
