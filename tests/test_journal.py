"""The tamper-evident journal: what the sqlite3 shell changes, `till verify` finds and names."""

import gc
import sqlite3

import pytest

from core.journal import verify
from pos.cli import main
from pos.database import open_database


@pytest.fixture
def books(tmp_path, capsys):
    path = tmp_path / "till.db"
    assert main(["--db", str(path), "demo-data", "--days", "3", "--until", "2026-11-19"]) == 0
    capsys.readouterr()
    return path


def shell(path, *statements):
    """As someone with the sqlite3 shell would: no till code, foreign keys off."""
    conn = sqlite3.connect(path)
    conn.execute("pragma foreign_keys = off")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def check(path, capsys):
    code = main(["--db", str(path), "verify"])
    return code, capsys.readouterr().out


def test_untouched_books_verify(books, capsys):
    code, out = check(books, capsys)
    assert code == 0 and "as recorded" in out
    db = open_database(books)
    kinds = {row[0] for row in db.execute("select distinct kind from journal")}
    assert kinds >= {"sale", "void", "cash", "share", "z", "shift"}


def test_editing_a_sales_amount_is_caught_and_named(books, capsys):
    db = open_database(books)
    till_id, number = db.execute("select till_id, sale_number from sales where id = 40").fetchone()
    db.close()
    shell(books, "update sales set total_pence = total_pence - 100 where id = 40")
    code, out = check(books, capsys)
    assert code == 1 and f"sale {till_id}/{number}" in out and "was changed" in out


@pytest.mark.parametrize("statements, expected", [
    (["update sale_lines set quantity = 1, line_total_pence = 1 where id = 7"], "was changed"),
    (["update tenders set kind = 'card' where id = (select min(id) from tenders where kind = 'cash')"], "was changed"),
    (["delete from sale_lines where sale_id = 12", "delete from tenders where sale_id = 12",
      "delete from receipt_queue where sale_id = 12", "delete from sales where id = 12"], "was removed"),
    (["update cash_movements set amount_pence = 1 where id = 1"], "cash movement 1"),
    (["update till_sessions set counted_pence = counted_pence + 500 where id = 1"], "Z report 1 of till-1"),
    (["update share_ledger set shares = shares + 100 where id = 1"], "share ledger entry 1"),
    (["delete from journal where id = 20"], "journal entry 21"),
    (["update journal set digest = 'x' where id = 5"], "journal entry 5"),
    (["insert into voids (till_id, session_id, created_at, operator_id, line_count, total_pence)"
      " values ('till-1', 1, '2026-11-19T10:00:00.000000Z', 1, 1, 100)"], "added outside the till"),
])
def test_every_kind_of_tampering_is_caught(books, capsys, statements, expected):
    shell(books, *statements)
    code, out = check(books, capsys)
    assert code == 1 and expected in out


def test_the_till_keeps_sealing_after_a_check(books):
    db = open_database(books)
    before = db.execute("select count(*) from journal").fetchone()[0]
    db.close()
    assert main(["--db", str(books), "demo-data", "--days", "1", "--until", "2026-11-20"]) == 0
    db = open_database(books)
    assert db.execute("select count(*) from journal").fetchone()[0] > before and verify(db) == []


@pytest.mark.parametrize("statements, expected", [
    (["insert into cash_movements (id, till_id, session_id, created_at, operator_id, kind, amount_pence, reason)"
      " values (-1, 'till-1', 1, '2026-11-19T10:00:00.000000Z', 1, 'paid_out', 5000, 'x')"], "cash movement -1"),
    (["insert into member_credit (member_id, at, amount_pence, kind) values (1, '2026-11-19', 5000, 'gift')"],
     "till credit entry"),
    (["update shifts set ended_at = '2026-11-19T23:00:00.000000Z' where id = 1"], "shift 1"),
    (["update sales set family_under5 = 1 - family_under5 where id = 3"], "was changed"),
])
def test_money_and_hours_slipped_in_by_hand_are_caught(books, capsys, statements, expected):
    shell(books, *statements)
    code, out = check(books, capsys)
    assert code == 1 and expected in out


def test_a_board_decision_on_the_command_line_is_sealed_at_once(books, capsys, monkeypatch):
    from tests.test_cli import typed

    db = open_database(books)  # demo-data gave the demo volunteers their PINs
    member = db.execute("select number from members limit 1").fetchone()[0]
    db.close()
    typed(monkeypatch, "1111")
    assert main(["--db", str(books), "shares", "request", member, "1", "--by", "Sam Ortiz"]) == 0
    request = open_database(books).execute("select max(id) from share_ledger").fetchone()[0]
    typed(monkeypatch, "1111")
    main(["--db", str(books), "shares", "decide", str(request), "refused", "--by", "Sam Ortiz"])
    capsys.readouterr()
    code, out = check(books, capsys)
    assert code == 0, out


def test_a_journal_cut_short_is_caught_against_the_z_on_paper(books, capsys):
    db = open_database(books)
    entry, digest = db.execute("select id, hash from journal where kind = 'z' order by id desc limit 1").fetchone()
    db.close()
    printed = f"#{entry} {digest[:12]}"
    assert main(["--db", str(books), "verify", "--expect", printed]) == 0
    # Someone removes the last day's records and their journal entries, end and all:
    shell(books, f"delete from journal where id >= {entry}")
    code, out = main(["--db", str(books), "verify", "--expect", printed]), capsys.readouterr().out
    assert code == 1 and f"journal entry #{entry} printed on a Z is missing" in out


def test_check_books_names_what_verify_prints(books):
    from core.books_check import check_books
    from core.errors import TillError
    from core.journal import head

    db = open_database(books)
    found = check_books(db)
    assert found.sound and found.damaged is None and found.newest == head(db)
    assert found.entries == db.execute("select count(*) from journal").fetchone()[0]
    newest, digest = found.newest
    assert check_books(db, [f"#{newest} {digest[:12]}"]).sound
    cut = check_books(db, [f"#{newest + 1} {digest[:12]}"])
    assert not cut.sound and cut.problems[0].entry == newest + 1 and "cut short" in cut.problems[0].what
    with pytest.raises(TillError, match="is not a journal reference"):
        check_books(db, ["yesterday's"])
    db.close()
    shell(books, "update sales set total_pence = total_pence + 100 where id = 1")
    db = open_database(books)
    changed = check_books(db)
    assert not changed.sound and "changed after it was recorded" in changed.problems[0].what


def _sha256(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_verify_never_changes_the_backup_it_checks(books, capsys, tmp_path):
    from core.backups import make_backup
    from tests.test_backups import NOW

    db = open_database(books)
    copy = make_backup(db, tmp_path / "stick" / "till-copy.db", now=NOW)
    db.close()
    before = _sha256(copy)
    copy.parent.chmod(0o555)  # a write-protected stick (root writes through it, hence the bytes compared)
    try:
        code, out = check(copy, capsys)
        shell_mode = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
        mode = shell_mode.execute("pragma journal_mode").fetchone()[0]
        shell_mode.close()
    finally:
        copy.parent.chmod(0o755)
    assert code == 0 and "as recorded" in out
    assert _sha256(copy) == before and mode == "delete"
    # No -wal, -shm or journal left beside it; the head log is the backup's own witness (core/witness.py).
    assert sorted(p.name for p in copy.parent.iterdir()) == ["journal-heads.jsonl", copy.name]


def test_verify_checks_an_older_version_s_backup_without_upgrading_it(capsys, tmp_path):
    from tests.test_release_fixture import DATABASE, _migrations

    copy = tmp_path / "till-0.1.db"
    copy.write_bytes(DATABASE.read_bytes())
    before, migrations = _sha256(copy), _migrations(copy)
    code, out = check(copy, capsys)
    assert code == 0 and "as recorded" in out
    assert _sha256(copy) == before and _migrations(copy) == migrations
    assert sorted(p.name for p in tmp_path.iterdir()) == [copy.name]  # and no copy "before upgrade" either


def test_verify_of_tampered_books_still_finds_it_read_only(books, capsys):
    shell(books, "update sales set total_pence = total_pence - 100 where id = 40")
    # A connection the demo left for the collector could checkpoint into the file while verify runs: not verify's doing.
    gc.collect()
    shell(books, "pragma wal_checkpoint(truncate)")
    before = _sha256(books)
    code, out = check(books, capsys)
    assert code == 1 and "was changed" in out and _sha256(books) == before
