"""The journal's witnesses, attacked as an insider would: someone with the database file, the sqlite3 shell
and this code, who edits a sale and rebuilds the unkeyed chain after it (seals included), or cuts off the
whole last day. The chain alone cannot tell; the heads written down before the edit can."""

import json
import sqlite3
from contextlib import closing
from datetime import datetime

import pytest
from sqlite_utils import Database

from core import journal
from core.books_check import check_books
from core.witness import HEAD_LOG, check_folder
from pos.basket import Basket
from pos.config import BackupSettings, Settings
from pos.database import open_database
from pos.shop import Shop
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON, FakeClock, make_products
from volunteers.people import Role, Volunteers

DAYS = ("2026-11-16", "2026-11-17", "2026-11-18")


def make_shop(tmp_path, folder=None) -> Shop:
    settings = Settings(db=tmp_path / "till.db", receipts_dir=tmp_path / "receipts",
                        backup=BackupSettings(dir=folder or tmp_path / "usb", keep=14))
    db = open_database(settings.db)
    Volunteers(db).add("Morgan Test", Role.manager, at="2026-01-01T00:00:00.000000Z")
    make_products(db)
    return Shop(settings=settings, db=db, clock=FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)))


def trade_a_day(shop: Shop, day: str, sales: int = 3):
    """A session with a few sales, its Z, and what follows the Z (its head line, the backup after it)."""
    till, manager = shop.till, shop.volunteers.by_name("Morgan Test")
    shop.clock.set(f"{day}T09:00")
    till.open_session(5000, operator_id=manager.id)
    for n in range(sales):
        shop.clock.set(f"{day}T1{n}:00")
        basket = Basket()
        till.scan(basket, "T1")
        till.scan(basket, "K2")
        till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                           operator_id=manager.id)
    shop.clock.set(f"{day}T17:00")
    session = till.close_session(5000 + sales * 300, operator_id=manager.id)
    closing = shop.after_z()
    return session, closing


@pytest.fixture
def shop(tmp_path):
    """Three days of trade, each with its Z and the backup after it, all in the folder tmp_path/usb."""
    shop = make_shop(tmp_path)
    for day in DAYS:
        _, closing = trade_a_day(shop, day)
        assert closing.unwitnessed is None
        closing.backup()
    yield shop
    shop.close()


def raw(path):
    """As the insider: a plain sqlite3 connection, no till code in the way, foreign keys off."""
    conn = sqlite3.connect(path)
    conn.execute("pragma foreign_keys = off")
    return conn


def rehash_after_editing(path, sale_id: int) -> None:
    """Take £1 off a sale, then make the journal agree: its digest recomputed (with the columns its
    entry's version covers), every entry from it linked again with journal.link, and every Z's seal set
    to the new hashes. The other entries keep their digests: they still match what they recorded."""
    with closing(raw(path)) as conn:
        conn.execute("update sales set total_pence = total_pence - 100 where id = ?", [sale_id])
        db = Database(conn)
        first, version = conn.execute("select id, version from journal where kind = 'sale' and ref_id = ?",
                                      [sale_id]).fetchone()
        conn.execute("update journal set digest = ? where id = ?",
                     [journal.digest(db, "sale", sale_id, version), first])
        before = conn.execute("select hash from journal where id < ? order by id desc limit 1", [first]).fetchone()
        prev = before[0] if before else journal.GENESIS
        for entry, kind, ref_id, version, record in conn.execute(
                "select id, kind, ref_id, version, digest from journal where id >= ? order by id", [first]).fetchall():
            prev = journal.link(prev, kind, ref_id, record, version)
            conn.execute("update journal set hash = ? where id = ?", [prev, entry])
        conn.execute("update z_seals set hash = (select hash from journal where id = z_seals.entry)")
        conn.commit()


def cut_the_last_day(path, *, seal_too: bool = True) -> None:
    """The whole last day gone: its sales and their parts, its Z, every other record it added (its
    audit lines, stock movements, tallies …), its journal entries and its seal."""
    from core import records

    with closing(raw(path)) as conn:
        session = conn.execute("select max(id) from till_sessions").fetchone()[0]
        kept = conn.execute("select max(entry) from z_seals where session_id < ?", [session]).fetchone()[0]
        sales = "(select id from sales where session_id = ?)"
        for table in ("sale_lines", "tenders", "donations", "time_credit_spends", "receipt_queue"):
            conn.execute(f"delete from {table} where sale_id in {sales}", [session])
        conn.execute("delete from sales where session_id = ?", [session])
        conn.execute("delete from till_sessions where id = ?", [session])
        if seal_too:
            conn.execute("delete from z_seals where session_id = ?", [session])
        # Rows the day made (first journalled after the last kept entry) go; rows it only changed stay.
        for kind, ref_id in conn.execute("select distinct kind, ref_id from journal where id > ?", [kept]).fetchall():
            older = conn.execute("select 1 from journal where kind = ? and ref_id = ? and id <= ?",
                                 [kind, ref_id, kept]).fetchone()
            if kind in records.CHANGING and older is None:
                one = records.CHANGING[kind]
                conn.execute(f"delete from {one.table} where {one.key} = ?", [ref_id])
        conn.execute("delete from journal where id > ?", [kept])
        conn.commit()


def books(path):
    with closing(open_database(path, migrate=False)) as db:
        return check_books(db)


def witnesses(path, folder):
    with closing(open_database(path, migrate=False)) as db:
        return check_folder(db, folder)


def head_lines(folder):
    return [json.loads(line) for line in (folder / HEAD_LOG).read_text().splitlines()]


# Each Z keeps its seal --------------------------------------------------------------------------------------


def test_every_z_stores_the_journal_head_it_reached_as_its_seal(shop):
    seals = shop.db.execute("select z_number, till_id, entry, hash from z_seals order by z_number").fetchall()
    assert [s[0] for s in seals] == [1, 2, 3] and {s[1] for s in seals} == {"till-1"}
    for _, _, entry, hashed in seals:
        assert shop.db.execute("select hash from journal where id = ?", [entry]).fetchone()[0] == hashed
    # The seal is the newest entry when the Z committed: the day's Z, then what the same transaction
    # changed (its audit line, the shifts it closed), all sealed at the Z's moment; nothing later.
    z_entries = shop.db.execute("select id, at from journal where kind = 'z' order by id").fetchall()
    for (z_entry, at), (_, _, sealed, _) in zip(z_entries, seals):
        assert sealed >= z_entry
        assert {row[0] for row in shop.db.execute("select at from journal where id between ? and ?",
                                                   [z_entry, sealed])} == {at}
        after = shop.db.execute("select at from journal where id = ?", [sealed + 1]).fetchone()
        assert after is None or after[0] != at
    assert books(shop.settings.db).sound


def test_a_last_day_cut_off_but_its_seal_forgotten_is_caught_with_no_folder_at_all(shop):
    path = shop.settings.db
    last = shop.db.execute("select entry from z_seals where z_number = 3").fetchone()[0]
    shop.db.close()
    cut_the_last_day(path, seal_too=False)
    with closing(open_database(path, migrate=False)) as db:
        assert journal.verify(db) == []  # what is left is a whole chain
    assert [p.what for p in books(path).problems] == [
        f"journal entry #{last}, the seal of Z report 3 of till-1, is missing: the journal was cut short"]


def test_a_z_closed_outside_the_till_has_no_seal_and_verify_says_so(shop):
    with closing(raw(shop.settings.db)) as conn:
        conn.execute("delete from z_seals where z_number = 2")
        conn.commit()
    assert not books(shop.settings.db).sound
    assert "Z report 2 of till-1 has no seal" in books(shop.settings.db).problems[-1].what


def test_seals_are_given_to_the_zs_an_older_version_closed(tmp_path):
    from tests.test_release_fixture import _copy

    path = _copy(tmp_path)
    with closing(open_database(path)) as db:
        seals = db.execute("select s.z_number, s.entry, j.kind, j.ref_id = s.session_id from z_seals s"
                           " join journal j on j.id = s.entry").fetchall()
        assert len(seals) == db.execute("select count(*) from till_sessions where closed_at is not null").fetchone()[0]
        assert seals and all(kind == "z" and same for _, _, kind, same in seals)
        assert check_books(db).sound


# The insider who rebuilds the chain -------------------------------------------------------------------------


def test_an_insider_who_rehashes_the_chain_after_an_edit_beats_verify_but_not_the_witnesses(shop, tmp_path):
    path, folder = shop.settings.db, tmp_path / "usb"
    lines = head_lines(folder)
    assert [line["why"] for line in lines] == ["Z 1 of till-1", f"backup {sorted(folder.glob('*.db'))[0].name}",
                                               "Z 2 of till-1", f"backup {sorted(folder.glob('*.db'))[1].name}",
                                               "Z 3 of till-1", f"backup {sorted(folder.glob('*.db'))[2].name}"]
    edited = shop.db.execute("select min(id) from sales where business_date = ?", [DAYS[1]]).fetchone()[0]
    shop.db.close()
    assert witnesses(path, folder).problems == []

    rehash_after_editing(path, edited)

    with closing(open_database(path, migrate=False)) as db:
        assert db.execute("select total_pence from sales where id = ?", [edited]).fetchone()[0] == 200
        assert journal.verify(db) == []  # the insider won against the chain, seals included
    assert books(path).sound
    found = witnesses(path, folder)
    # The oldest witness that disagrees is said first: day 2's Z, written down before the edit.
    z2 = lines[2]["entry"]
    assert found.problems[0].what.startswith(f"{HEAD_LOG} line 3 (Z 2 of till-1) saw journal entry #{z2} as "
                                             f"{lines[2]['hash'][:12]}")
    assert "the journal has been rewritten since" in found.problems[0].what
    # Day 1's Z and backup still agree: the edit came after them.
    assert not any("line 1 " in p.what or "line 2 " in p.what for p in found.problems)
    first_entry = shop_entry_of(path, edited)
    backups = [p.what for p in found.problems if p.what.startswith("the backup")]
    assert len(backups) == 2 and all(f"rewritten from entry #{first_entry}" in what for what in backups)
    assert found.lines == 6 and found.backups == 3


def shop_entry_of(path, sale_id):
    with closing(raw(path)) as conn:
        return conn.execute("select id from journal where kind = 'sale' and ref_id = ?", [sale_id]).fetchone()[0]


@pytest.mark.parametrize("removed", ["every head log line that disagrees", "every backup file that disagrees",
                                     "every backup's head log line"])
def test_removing_some_witnesses_leaves_the_rest_to_catch_the_rehash(shop, tmp_path, removed):
    path, folder = shop.settings.db, tmp_path / "usb"
    shop.db.close()
    rehash_after_editing(path, 5)
    disagreeing = witnesses(path, folder).problems
    log = folder / HEAD_LOG
    text = log.read_text().splitlines(keepends=True)
    if removed == "every head log line that disagrees":
        wrong = {int(p.what.split(" line ")[1].split(" ")[0]) for p in disagreeing if p.what.startswith(HEAD_LOG)}
        log.write_text("".join(line for n, line in enumerate(text, start=1) if n not in wrong))
    elif removed == "every backup file that disagrees":
        for p in disagreeing:
            if p.what.startswith("the backup "):
                (folder / p.what.split()[2]).unlink()
    else:
        log.write_text("".join(line for line in text if '"why":"backup' not in line))
    found = witnesses(path, folder)
    assert found.problems and "rewritten" in found.problems[0].what


# The whole last day cut off ---------------------------------------------------------------------------------


def test_cutting_off_the_whole_last_day_passes_the_chain_and_the_seals_but_not_the_head_log(shop, tmp_path):
    path, folder = shop.settings.db, tmp_path / "usb"
    z3 = head_lines(folder)[4]
    shop.db.close()
    cut_the_last_day(path)
    (folder / head_lines(folder)[5]["why"].split()[1]).unlink()  # and its backup, so only the head log is left
    assert books(path).sound  # a shorter journal is still a whole chain, and its seals agree
    found = witnesses(path, folder)
    assert found.problems[0].what == (f"{HEAD_LOG} line 5 (Z 3 of till-1) saw journal entry #{z3['entry']}, "
                                      "which is no longer there: the journal was cut short")


# Whose witnesses --------------------------------------------------------------------------------------------


def test_witnesses_from_another_database_are_ignored_and_said(shop, tmp_path):
    from core.witness import Head, append_head

    folder = tmp_path / "usb"
    append_head(folder, Head(node="f" * 32, entry=1, hash="0" * 64, at="2026-11-18T17:00:00.000000Z",
                             why="Z 9 of till-9"))
    with (folder / HEAD_LOG).open("a") as log:
        log.write("{not a witness\n")
    (tmp_path / "other").mkdir()
    other = make_shop(tmp_path / "other", folder=folder)
    trade_a_day(other, DAYS[0])  # its Z line and backup land in the same folder
    other.clock.set(f"{DAYS[0]}T17:30")
    other.backup_after_z()
    other.close()
    from tests.test_release_fixture import DATABASE

    (folder / "till-0.1.db").write_bytes(DATABASE.read_bytes())  # whose, nothing in it says
    found = check_folder(shop.db, folder)
    assert found.problems == [] and found.lines == 6 and found.backups == 3
    assert "3 lines of journal-heads.jsonl came from another database (another node id) and were not checked" \
        in found.notes
    assert any("line 8 could not be read" in note for note in found.notes)
    assert any(note.startswith("the backup till-") and "another database's" in note for note in found.notes)
    assert "the backup till-0.1.db was made by an older version (it has no node id), and was not checked" \
        in found.notes


def test_the_backup_folder_is_found_when_the_settings_are_read_not_when_the_till_is_imported(tmp_path,
                                                                                             monkeypatch):
    # Plain verify reads the head log there: a folder fixed on import was another home's, with its witnesses.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    assert Settings().backup.dir == tmp_path / "elsewhere" / "community-till" / "backups"


# A head log that cannot be written never stops a Z ----------------------------------------------------------


@pytest.mark.parametrize("blocked", ["the log's name is taken by a folder", "the backup folder is under a file"])
def test_a_head_log_that_cannot_be_written_never_blocks_the_z(tmp_path, blocked):
    # Files here are made unwritable in ways that hold for root too (a read-only folder does not).
    if blocked == "the log's name is taken by a folder":
        folder = tmp_path / "usb"
        (folder / HEAD_LOG).mkdir(parents=True)
    else:
        (tmp_path / "stick").write_text("not a folder")
        folder = tmp_path / "stick" / "backups"
    shop = make_shop(tmp_path, folder=folder)
    session, closing = trade_a_day(shop, DAYS[0])
    assert session.closed_at is not None and session.z_number == 1
    assert closing.unwitnessed is not None and "could not be written" in closing.unwitnessed
    assert closing.unwitnessed.startswith("the journal's head for Z 1 of till-1 could not be written to ")
    # The Z stands, sealed in the database, and the next day trades as usual.
    assert shop.till.current_session() is None
    assert shop.db.execute("select count(*) from z_seals").fetchone()[0] == 1
    trade_a_day(shop, DAYS[1])
    assert books(shop.settings.db).sound
    shop.close()


# The command line, end to end -------------------------------------------------------------------------------


def close_the_till(demo_db, monkeypatch, capsys):
    from pos.cli import main
    from tests.test_cli import typed

    typed(monkeypatch, "1111")
    assert main(["--db", str(demo_db), "session", "open", "--float", "50", "--operator", "Sam Ortiz"]) == 0
    typed(monkeypatch, "1111")
    code = main(["--db", str(demo_db), "report", "z", "--counted", "50", "--operator", "Sam Ortiz"])
    return code, capsys.readouterr().err


def verify(capsys, *argv):
    from pos.cli import main

    code = main(["verify", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_on_the_command_line_catches_the_rehash_through_the_backup_folder(demo_db, tmp_path, monkeypatch,
                                                                                  capsys):
    folder = tmp_path / "usb"
    monkeypatch.setenv("TILL_BACKUP__DIR", str(folder))
    code, err = close_the_till(demo_db, monkeypatch, capsys)
    assert code == 0 and "Backed up to" in err and "Warning" not in err
    code, out, _ = verify(capsys, "--db", demo_db)
    assert code == 0 and f"They match every witness in {folder}: 2 head log lines and 1 backup" in out

    rehash_after_editing(demo_db, 40)

    # Plain verify reads the configured folder's head log: nothing to type.
    code, out, _ = verify(capsys, "--db", demo_db)
    assert code == 1 and out.startswith(f"The books do not match the journal. First: {HEAD_LOG} line 1 (Z ")
    assert "the journal has been rewritten since" in out
    code, out, _ = verify(capsys, "--db", demo_db, "--against", folder)
    assert code == 1 and "the backup till-" in out and f"Checked against 2 head log lines and 1 backup in {folder}" \
        in out
    # With no witnesses, the insider wins, and verify says what it could not check.
    monkeypatch.setenv("TILL_BACKUP__DIR", str(tmp_path / "empty"))
    code, out, err = verify(capsys, "--db", demo_db)
    assert code == 0 and "No witnesses were checked" in err
    code, _, err = verify(capsys, "--db", demo_db, "--against", tmp_path / "nowhere")
    assert code != 0 and "there is no folder" in err


def test_a_z_on_the_command_line_whose_head_log_cannot_be_written_is_done_and_says_so(demo_db, tmp_path,
                                                                                        monkeypatch, capsys):
    folder = tmp_path / "usb"
    (folder / HEAD_LOG).mkdir(parents=True)
    monkeypatch.setenv("TILL_BACKUP__DIR", str(folder))
    code, err = close_the_till(demo_db, monkeypatch, capsys)
    assert code == 0 and "Warning: the Z is done, but the journal's head for Z " in err
    assert "Backed up to" in err
    code, out, _ = verify(capsys, "--db", demo_db, "--against", folder)
    assert code == 0 and "Not checked" not in out


def test_an_older_version_s_file_is_checked_without_witnesses_and_says_why(tmp_path, capsys):
    from core.witness import Head, append_head
    from tests.test_release_fixture import _copy

    path = _copy(tmp_path)  # never opened by this version: no node id, no seals on disk
    append_head(tmp_path / "usb", Head(node="f" * 32, entry=1, hash="0" * 64, at="", why="Z 1 of till-1"))
    code, out, _ = verify(capsys, "--db", path, "--against", tmp_path / "usb")
    assert code == 0 and "The books are as recorded" in out
    assert "Not checked: these books have no node id yet (made by an older version)" in out
