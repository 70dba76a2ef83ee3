"""A database a newer version has upgraded: this version reads it (reports, exports, verify) and writes
nothing. The attacker's method is the test: a hand-edited file whose _sqlite_migrations names a migration
this version does not have, as a newer till would leave it."""

import sqlite3
from contextlib import closing

import pytest

from core.database import NEWER, NewerDatabase
from pos.config import load_settings
from pos.shop import Shop
from tests.test_cli import UNTIL, run, typed

#: The command line's demo shop, built once for this module too.

FUTURE = ("pos", "m999_from_a_newer_version")


def from_a_newer_version(path):
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) values (?, ?, ?)",
                     [*FUTURE, "2027-01-01 09:00:00.000000+00:00"])


def counts(path):
    with closing(sqlite3.connect(path)) as conn:
        return {table: conn.execute(f"select count(*) from {table}").fetchone()[0]
                for table in ("sales", "stock_movements", "till_sessions", "journal", "audit_log")}


def test_the_till_screen_will_not_open_a_database_from_a_newer_version(demo_db):
    from_a_newer_version(demo_db)
    with pytest.raises(NewerDatabase) as refused:
        Shop.open(load_settings(db=demo_db))
    assert str(refused.value).startswith(NEWER) and "\n" not in str(refused.value)


@pytest.mark.parametrize("argv, pins", [
    (["session", "open", "--float", "50", "--operator", "Sam Ortiz"], ["1111"]),
    (["stock", "in", "K2", "3", "--by", "Sam Ortiz"], ["1111"]),
    (["volunteers", "pin", "Sam Ortiz", "--by", "Sam Ortiz"], ["1111", "4444", "4444"]),
])
def test_write_commands_refuse_in_one_sentence_and_change_nothing(capsys, monkeypatch, demo_db, argv, pins):
    from_a_newer_version(demo_db)
    before = counts(demo_db)
    typed(monkeypatch, *pins)
    code, _, err = run(capsys, "--db", str(demo_db), *argv)
    assert code == 1 and err == f"till: {NEWER}\n"
    assert counts(demo_db) == before


def test_reports_exports_and_verify_still_read_it(capsys, demo_db):
    from_a_newer_version(demo_db)
    before = counts(demo_db)
    db = ["--db", str(demo_db)]
    code, out, _ = run(capsys, *db, "report", "z", "--date", UNTIL)
    assert code == 0 and "Z REPORT" in out
    code, out, _ = run(capsys, *db, "sales", "export", "--from", UNTIL, "--to", UNTIL)
    assert code == 0 and out.count("\n") > 1
    code, out, _ = run(capsys, *db, "verify")
    assert code == 0 and "The books are as recorded" in out
    assert counts(demo_db) == before
    with closing(sqlite3.connect(demo_db)) as conn:  # and it was not "upgraded" back, nor the marker lost
        assert conn.execute("select count(*) from _sqlite_migrations where name = ?", [FUTURE[1]]).fetchone()[0] == 1


def test_a_database_this_version_made_is_written_as_ever(capsys, monkeypatch, demo_db):
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, "--db", str(demo_db), "session", "open", "--float", "50", "--operator", "Sam Ortiz")
    assert code == 0 and "£50.00" in err
