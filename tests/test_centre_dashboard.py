"""centre.dashboard: the web's reach figures are the Reports screen's (centre.report_text), figure for figure,
under the same disclosure control, and the periods it takes are the screen's."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime

import pytest

from centre.dashboard import Viewer, chosen, laid_out, reach
from centre.export import prepare
from centre.figures import gather, society_figures
from centre.report_text import reach_text
from core.errors import TillError
from pos.database import open_database
from pos.demo_trade import simulate
from tests.conftest import LONDON, isolate

NOW = datetime(2026, 11, 20, 10, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture(scope="module")
def five_weeks(tmp_path_factory):
    """Five weeks of the demo's trade, made once and copied for each test (releases are recorded)."""
    path = tmp_path_factory.mktemp("dashboard") / "traded.db"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, tmp_path_factory.mktemp("home"))
        db = open_database(path)
        simulate(db, days=35, seed=5, until=date(2026, 11, 19), till_id="till-1", zone=LONDON)
        db.close()
    return path


@pytest.fixture
def traded(five_weeks, tmp_path):
    shutil.copy(five_weeks, tmp_path / "till.db")
    db = open_database(tmp_path / "till.db")
    yield db
    db.close()


def viewer(controlled: bool) -> Viewer:
    return Viewer(controlled=controlled, zone=LONDON, threshold=5, society="Demo")


def numbers(text: str) -> list[str]:
    """The figures in a line of the text, in order ("under-5s" is a label, not a figure)."""
    return re.findall(r"<\d+|\[c\]|under £\d+|£\d+(?:[,.]\d+)*|\d+(?:[,.]\d+)*", text.replace("under-5s", ""))


@pytest.mark.parametrize("controlled", [False, True])
@pytest.mark.parametrize("first, last", [(date(2026, 11, 9), date(2026, 11, 15)),
                                         (date(2026, 10, 19), date(2026, 11, 15)),
                                         (date(2026, 10, 1), date(2026, 10, 31))])
def test_the_dashboard_says_every_figure_the_reports_screen_says(traded, controlled, first, last):
    figures = gather(traded, first, last, zone=LONDON)
    society = society_figures(traded, first, last, zone=LONDON)
    published = prepare(traded, figures, threshold=5, society="Demo", generated_at=NOW, kind="screen") \
        if controlled else None
    text = reach_text(figures, society, published=published, threshold=5)
    shown = laid_out(figures, society, published=published, threshold=5)
    # The text's two blocks of figures (after its notes), in order, against the dashboard's rows in order.
    blocks = text.split("\n\n")
    said = [n for block in blocks[1:3] for line in block.splitlines() for n in numbers(line)]
    assert said == [row.shown for row in shown.rows]
    # Every chart's figures are the text's bars' figures, in order.
    bars = [line.rsplit(" ", 1)[-1] for part in blocks[3:] for line in part.splitlines()[1:]
            if not line.startswith("(")]
    assert bars == [bar.shown for chart in shown.charts for bar in chart.bars]
    assert all(0 <= bar.percent <= 100 for chart in shown.charts for bar in chart.bars)
    assert (not controlled) == any(chart.title == "By hour of the day" for chart in shown.charts)


def test_centre_staff_get_only_whole_ended_periods():
    assert chosen(viewer(True), TODAY) == (date(2026, 11, 9), date(2026, 11, 15))
    assert chosen(viewer(False), TODAY) == (date(2026, 10, 19), date(2026, 11, 15))
    assert chosen(viewer(True), TODAY, preset="this_week") == (date(2026, 11, 9), date(2026, 11, 15))
    assert chosen(viewer(False), TODAY, preset="this_week") == (date(2026, 11, 16), TODAY)
    assert chosen(viewer(True), TODAY, first=date(2026, 10, 1), last=date(2026, 10, 31), direction=-1) == \
        (date(2026, 9, 1), date(2026, 9, 30))
    with pytest.raises(TillError, match="has not ended yet"):
        chosen(viewer(True), TODAY, first=date(2026, 11, 9), last=date(2026, 11, 15), direction=1)
    with pytest.raises(TillError, match="whole weeks"):
        chosen(viewer(True), TODAY, first=date(2026, 11, 3), last=date(2026, 11, 12))
    with pytest.raises(TillError, match="three years"):
        chosen(viewer(False), TODAY, first=date(2020, 1, 1), last=date(2026, 11, 1))
    # The society's own staff step into this week as the screen does: up to today.
    assert chosen(viewer(False), TODAY, first=date(2026, 11, 9), last=date(2026, 11, 15), direction=1) == \
        (date(2026, 11, 16), TODAY)


def test_a_controlled_view_is_recorded_as_a_release_and_a_true_one_is_not(traded):
    reach(traded, traded, date(2026, 11, 9), date(2026, 11, 15), viewer(False), generated_at=NOW)
    assert traded.execute("select count(*) from centre_releases").fetchone()[0] == 0
    reach(traded, traded, date(2026, 11, 9), date(2026, 11, 15), viewer(True), generated_at=NOW)
    assert traded.execute("select count(*) from centre_releases").fetchone()[0] == 1
