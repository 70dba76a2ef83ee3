"""The Reports screen's text: the rounding is said once, and every figure follows it."""

from datetime import date, datetime

from centre.export import prepare
from centre.figures import SocietyFigures, gather
from centre.report_text import reach_text
from tests.conftest import LONDON


def text(db, *, controlled, minutes=390 * 60 + 44, pence=1500):
    figures = gather(db, date(2026, 11, 2), date(2026, 11, 29), zone=LONDON)
    society = SocietyFigures(active_members=23, new_members=3, volunteer_minutes=minutes,
                             share_capital_in_pence=pence, share_capital_out_pence=500)
    published = prepare(db, figures, threshold=5, society="S", generated_at=datetime(2026, 12, 1, tzinfo=LONDON),
                        kind="screen") if controlled else None
    return reach_text(figures, society, published=published, threshold=5)


def line(shown: str, start: str) -> str:
    return next(row for row in shown.splitlines() if row.startswith(start))


def test_under_disclosure_control_the_rounding_is_said_once_and_followed(db):
    shown = text(db, controlled=True)
    assert shown.count("nearest 5") == 1 and shown.count("disclosure control") == 1
    assert "BY HOUR" not in shown  # sums by the hour were never released
    assert "Totals add up the weeks or months shown" in shown
    assert line(shown, "Volunteer hours").split()[-1] == "390"  # 390:44, to the nearest 5 hours: no differencing
    assert line(shown, "Members now").split()[-1] == "25" and line(shown, "New members").split()[-1] == "<5"
    assert line(shown, "Shares bought at the till").split()[-1] == "£15"  # the real figure, not "about £20.00"
    assert "about" not in shown and "paid back" not in shown
    assert line(text(db, controlled=True, pence=1249), "Shares").split()[-1] == "£10"
    assert line(text(db, controlled=True, pence=399), "Shares").endswith("under £5")
    assert line(text(db, controlled=True, pence=0), "Shares").split()[-1] == "£0"


def test_for_the_society_itself_figures_are_exact_and_hours_whole(db):
    shown = text(db, controlled=False)
    assert "Counts and money are exact; hours are to the nearest hour." in shown
    assert line(shown, "Volunteer hours").split()[-1] == "391"
    assert line(shown, "Shares bought at the till").endswith("£15.00   paid back £5.00")
