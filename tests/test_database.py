import sqlite3

import pytest
from sqlite_utils import Database

import inventory.schema
from core.database import DatabaseError, NoDatabase, transaction
from pos.database import open_database


def test_opens_with_the_promised_pragmas(db):
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert db.execute("pragma synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("pragma busy_timeout").fetchone()[0] >= 5000


def test_each_package_records_its_migrations(db):
    sets = {row[0] for row in db.execute("select migration_set from _sqlite_migrations")}
    assert {"inventory", "pos"} <= sets


def test_tables_are_strict(db):
    assert "STRICT" in db["sales"].schema
    with pytest.raises(sqlite3.IntegrityError):
        with transaction(db):
            db.execute("insert into volunteers (name, role, active, created_at) values ('x', 'volunteer', 'yes', 'now')")


def test_an_older_database_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "till.db"
    old = Database(path)
    # What an earlier version would have left: only the first inventory migration.
    inventory.schema.migrations.apply(old, stop_before="m002_create_stock_movements")
    old.close()
    db = open_database(path)
    assert "stock_movements" in db.table_names()
    backups = list(tmp_path.glob("till.db.before-upgrade-*"))
    assert len(backups) == 1
    copy = Database(backups[0])
    assert "products" in copy.table_names() and "stock_movements" not in copy.table_names()


def test_a_new_database_needs_no_backup(tmp_path):
    open_database(tmp_path / "till.db").close()
    open_database(tmp_path / "till.db").close()
    assert not list(tmp_path.glob("*.before-upgrade-*"))


def test_refuses_a_database_that_is_not_the_tills(tmp_path):
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("create table recipes (id integer)")
    other.commit()
    other.close()
    with pytest.raises(DatabaseError, match="not a Community Till database"):
        open_database(path)
    assert Database(path).table_names() == ["recipes"]


def test_a_corrupt_file_gets_a_clear_message(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="cannot be used"):
        open_database(path)


def test_a_database_that_must_exist_is_never_made(tmp_path, db_path, db):
    missing = tmp_path / "typo" / "till.db"
    with pytest.raises(NoDatabase, match="no till database at"):
        open_database(missing, create=False)
    assert not missing.parent.exists()
    empty = tmp_path / "empty.db"
    empty.touch()  # a file with no books in it is no database either, and stays as it was
    with pytest.raises(NoDatabase):
        open_database(empty, create=False)
    assert empty.read_bytes() == b""
    assert "sales" in open_database(db_path, create=False).table_names()


def test_transaction_rolls_back_everything_on_error(db):
    with pytest.raises(RuntimeError):
        with transaction(db):
            db.execute("insert into volunteers (name, role, active, created_at) values ('a', 'volunteer', 1, 'now')")
            raise RuntimeError("boom")
    assert db.execute("select count(*) from volunteers").fetchone()[0] == 0


def test_a_second_writer_waits_then_gets_a_clear_message(db_path, db):
    other = open_database(db_path)
    other.execute("pragma busy_timeout = 50")
    with transaction(db):
        with pytest.raises(DatabaseError, match="Another till is busy"):
            with transaction(other):
                pass
    other.close()
