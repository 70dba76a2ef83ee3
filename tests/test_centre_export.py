"""The centre's figures leave the till for whole weeks or whole months only, as three files in a folder."""

import json
from datetime import date, datetime, timedelta

import pytest

from centre.export import export_choices, export_to_folder, whole_period
from core.errors import TillError
from tests.conftest import LONDON

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)  # a Wednesday
TODAY = NOW.date()


def export(db, first, last, folder):
    return export_to_folder(db, first, last, folder, zone=LONDON, threshold=5, society="Green Lane Café",
                            generated_at=NOW)


@pytest.mark.parametrize("first, last, kind", [
    (date(2026, 11, 23), date(2026, 11, 29), "weeks"),   # Monday to Sunday
    (date(2026, 11, 9), date(2026, 11, 29), "weeks"),    # three of them
    (date(2026, 11, 1), date(2026, 11, 30), "months"),   # November
    (date(2026, 2, 1), date(2026, 2, 28), "months"),
    (date(2026, 9, 1), date(2026, 11, 30), "months"),    # three whole months
])
def test_whole_weeks_and_whole_months_that_have_ended_may_go_out(first, last, kind):
    assert whole_period(first, last, today=TODAY) == kind


@pytest.mark.parametrize("first, last, said", [
    (date(2026, 11, 17), date(2026, 11, 29), "whole weeks (Monday to Sunday) or whole calendar months only, and "
                                             "Tue 17 Nov 2026 to Sun 29 Nov 2026 is neither"),
    (date(2026, 11, 2), date(2026, 11, 30), "is neither"),
    (date(2026, 11, 1), date(2026, 11, 29), "is neither"),
    (date(2026, 11, 30), date(2026, 12, 6), "has not ended yet: its figures can go out from Mon 07 Dec"),
    (date(2026, 12, 1), date(2026, 12, 31), "has not ended yet"),
    (date(2026, 11, 29), date(2026, 11, 23), "ends before it starts"),
])
def test_anything_else_is_refused_in_one_plain_sentence(first, last, said, db, tmp_path):
    with pytest.raises(TillError) as refused:
        export(db, first, last, tmp_path / "out")
    assert said in str(refused.value) and "\n" not in str(refused.value)
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_week_and_a_month_are_written_as_csv_json_and_html_into_the_folder(db, tmp_path):
    week = export(db, date(2026, 11, 23), date(2026, 11, 29), tmp_path / "usb" / "centre")  # made if need be
    assert [p.name for p in week.files] == [f"centre-figures-2026-11-23-to-2026-11-29.{s}" for s in
                                            ("csv", "json", "html")]
    assert all(p.is_file() and p.parent == tmp_path / "usb" / "centre" for p in week.files)
    document = json.loads(week.files[1].read_text())
    assert (document["from"], document["to"], len(document["weekly"])) == ("2026-11-23", "2026-11-29", 1)
    assert week.files[0].read_text().startswith("period,start,end,measure")
    assert "<!DOCTYPE html>" in week.files[2].read_text()
    month = export(db, date(2026, 11, 1), date(2026, 11, 30), tmp_path / "usb" / "centre")
    assert len(json.loads(month.files[1].read_text())["daily"]) == 30
    assert not list((tmp_path / "usb" / "centre").glob("*.part"))


def test_a_folder_that_cannot_be_written_is_a_sentence(db, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(TillError, match="the figures could not be written to"):
        export(db, date(2026, 11, 23), date(2026, 11, 29), blocked)


def test_the_screen_offers_only_ended_weeks_and_months():
    choices = export_choices(TODAY)
    assert choices[0] == ("Week Mon 23 Nov to Sun 29 Nov 2026", date(2026, 11, 23), date(2026, 11, 29))
    assert ("Month November 2026", date(2026, 11, 1), date(2026, 11, 30)) in choices
    for _, first, last in choices:
        whole_period(first, last, today=TODAY)
    assert all(last < TODAY for _, _, last in choices)
    assert export_choices(TODAY + timedelta(days=5))[0][1] == date(2026, 11, 30)


def test_the_command_line_writes_the_same_three_files_for_a_whole_week_only(db_path, tmp_path, capsys):
    from pos.cli import main
    from pos.database import open_database

    open_database(db_path).close()
    folder = tmp_path / "stick"
    base = ["footfall", "export", "--db", str(db_path), "--folder", str(folder)]
    assert main([*base, "--from", "2026-01-05", "--to", "2026-01-11"]) == 0
    assert "centre-figures-2026-01-05-to-2026-01-11.html" in capsys.readouterr().err
    assert len(list(folder.iterdir())) == 3
    assert main([*base, "--from", "2026-01-06", "--to", "2026-01-11"]) == 1
    assert "whole weeks (Monday to Sunday) or whole calendar months only" in capsys.readouterr().err
