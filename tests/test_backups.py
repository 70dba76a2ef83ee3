"""Backups while selling, a rotating set after each Z, and a restore that checks before it replaces."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from core.backups import after_z, check_backup, make_backup, restore, rotate
from core.errors import TillError
from pos.basket import Basket
from pos.cli import main
from pos.database import migration_sets, open_database
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON
from volunteers.people import Volunteers

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=LONDON)


def sell(till, staff):
    basket = Basket()
    till.scan(basket, "T1")
    return till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)],
                              operator_id=staff["volunteer"].id)


def test_a_backup_taken_mid_transaction_holds_only_what_was_committed(till, staff, db, tmp_path):
    sell(till, staff)
    other = open_database(db.conn.execute("pragma database_list").fetchone()[2])
    other.execute("begin immediate")  # another till is half-way through writing
    other.execute("insert into voids (till_id, session_id, created_at, operator_id, line_count, total_pence)"
                  " values ('till-2', 1, '2026-11-20T10:00:00.000000Z', 1, 1, 50)")
    copy = make_backup(db, tmp_path / "backups", now=NOW)
    other.execute("rollback")
    found = check_backup(copy)
    assert found.sales == 1 and found.journal_entries >= 1 and copy.name == "till-20261120-160000.db"
    assert sqlite3.connect(copy).execute("select count(*) from voids").fetchone()[0] == 0


def test_rotation_keeps_the_newest(tmp_path, db):
    folder = tmp_path / "usb"
    for n in range(5):
        make_backup(db, folder, now=NOW + timedelta(days=n))
    gone = rotate(folder, 3)
    assert [p.name for p in gone] == ["till-20261120-160000.db", "till-20261121-160000.db"]
    assert len(list(folder.glob("till-*.db"))) == 3


def test_restore_checks_first_and_keeps_the_current_books_aside(till, staff, db, tmp_path):
    sell(till, staff)
    saved = make_backup(db, tmp_path / "b", now=NOW)
    sell(till, staff)  # a sale after the backup
    path = tmp_path / "till.db"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + bytes(4000))
    for bad, why in ((junk, "cannot read|damaged|not a"), (tmp_path / "none.db", "not a file"), (path, "in use")):
        with pytest.raises(TillError, match=why):
            restore(bad, path, now=NOW, migration_sets=migration_sets())
    assert db.execute("select count(*) from sales").fetchone()[0] == 2  # nothing was replaced
    aside = restore(saved, path, now=NOW, migration_sets=migration_sets())
    assert db.execute("select count(*) from sales").fetchone()[0] == 1  # the till sees the restored books
    assert sqlite3.connect(aside).execute("select count(*) from sales").fetchone()[0] == 2


def test_a_z_on_the_command_line_makes_the_automatic_backup(tmp_path, capsys, monkeypatch):
    from tests.test_cli import typed

    path = tmp_path / "till.db"
    folder = tmp_path / "usb"
    monkeypatch.setenv("TILL_BACKUP__DIR", str(folder))
    assert main(["--db", str(path), "demo-data", "--days", "1", "--until", "2026-11-19"]) == 0
    typed(monkeypatch, "1111")
    assert main(["--db", str(path), "session", "open", "--float", "50", "--operator", "Sam Ortiz"]) == 0
    typed(monkeypatch, "1111")
    assert main(["--db", str(path), "report", "z", "--counted", "50", "--operator", "Sam Ortiz"]) == 0
    assert "Backed up to" in capsys.readouterr().err
    # No -wal or -shm left from checking it; the head log is the Z's and the backup's witness (core/witness.py).
    assert sorted(p.suffix for p in folder.iterdir()) == [".db", ".jsonl"]
    assert main(["--db", str(path), "backup", str(tmp_path / "mine.db")]) == 0
    typed(monkeypatch, "1111")
    assert main(["--db", str(path), "restore", str(tmp_path / "mine.db"), "--yes", "--by", "Sam Ortiz"]) == 0
    assert main(["--db", str(path), "verify"]) == 0


def test_restore_replaces_damaged_books_and_keeps_them_aside(till, staff, db, tmp_path):
    sell(till, staff)
    saved = make_backup(db, tmp_path / "b", now=NOW)
    broken = tmp_path / "broken" / "till.db"
    broken.parent.mkdir()
    broken.write_bytes(b"this was a database until the power went" * 100)
    aside = restore(saved, broken, now=NOW, migration_sets=migration_sets())
    assert aside.read_bytes().startswith(b"this was a database")
    assert open_database(broken).execute("select count(*) from sales").fetchone()[0] == 1


def test_rotation_leaves_other_files_alone(tmp_path, db):
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "till-1.db").write_bytes(b"someone's own file")
    for n in range(3):
        make_backup(db, folder, now=NOW + timedelta(days=n))
    rotate(folder, 1)
    assert (folder / "till-1.db").exists() and len(list(folder.glob("till-2026*.db"))) == 1


def test_a_backup_is_one_file_that_stands_alone(till, staff, db, tmp_path):
    sell(till, staff)
    folder = tmp_path / "usb"
    for n in range(3):
        after_z(db, folder, 2, now=NOW + timedelta(days=n))
    mine = make_backup(db, tmp_path / "mine.db", now=NOW)
    assert sorted(p.name for p in folder.iterdir()) == ["journal-heads.jsonl", "till-20261121-160000.db",
                                                         "till-20261122-160000.db"]
    assert [p.name for p in tmp_path.glob("mine.db*")] == ["mine.db"]
    # Not in WAL mode, so opening a copy (to check it, or to look inside) makes no files beside it either.
    copy = sqlite3.connect(mine)
    assert copy.execute("pragma journal_mode").fetchone()[0] == "delete"
    assert copy.execute("select count(*) from sales").fetchone()[0] == 1
    copy.close()
    restore(mine, tmp_path / "till.db", now=NOW, migration_sets=migration_sets())
    restored = sqlite3.connect(tmp_path / "till.db")
    assert restored.execute("pragma journal_mode").fetchone()[0] == "wal"  # the live books stay shareable
    restored.close()


def test_a_failed_backup_leaves_nothing_half_made(tmp_path):
    # Not a till's books (say, the wrong file given with --db): the copy is made, fails its check, and goes.
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("create table notes (text)")
    other.commit()
    other.close()
    folder = tmp_path / "usb"
    with pytest.raises(TillError, match="not a Community Till database"):
        make_backup(open_database(tmp_path / "other.db", migrate=False), folder, now=NOW)
    assert list(folder.iterdir()) == []


def test_rotation_clears_what_a_backup_cut_off_left(tmp_path, db):
    import os

    folder = tmp_path / "usb"
    folder.mkdir()
    old = [folder / f"till-20261119-160000.db.partial{suffix}" for suffix in ("", "-journal")]
    for path in old:
        path.write_bytes(b"half a copy: the stick was pulled")
        os.utime(path, (0, 0))
    fresh = folder / "till-20261120-155959.db.partial"  # another till's backup, being made right now
    fresh.write_bytes(b"")
    after_z(db, folder, 2, now=NOW)
    assert sorted(p.name for p in folder.iterdir()) == [fresh.name, "till-20261120-160000.db"]


def test_restore_where_there_were_no_books_says_none_were_kept_aside(till, staff, db, tmp_path, capsys,
                                                                    monkeypatch):
    from tests.test_cli import typed

    sell(till, staff)
    Volunteers(db).set_pin(staff["manager"].id, "4321")
    saved = make_backup(db, tmp_path / "saved.db", now=NOW)
    new = tmp_path / "new-till" / "till.db"
    new.parent.mkdir()
    assert restore(saved, new, now=NOW, migration_sets=migration_sets()) is None
    assert sorted(p.name for p in new.parent.iterdir() if "before-restore" in p.name) == []
    fresh = tmp_path / "other-till" / "till.db"
    fresh.parent.mkdir()
    typed(monkeypatch, "4321")  # no books there: the manager signs in the books restored
    assert main(["--db", str(fresh), "restore", str(saved), "--yes", "--by", "Morgan Test"]) == 0
    said = capsys.readouterr().err
    assert "none were kept aside" in said and "kept in" not in said
    assert not list(fresh.parent.glob("*before-restore*"))
    assert open_database(fresh).execute("select count(*) from sales").fetchone()[0] == 1
