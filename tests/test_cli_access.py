"""Who may run each command that changes the books or shows personal data, and the audit row it leaves.

The attacker's method is the test: a volunteer (or anyone at the till's computer) runs the command
with no name, with their own name where a lead is needed, or with a lead's name and a guessed PIN.
"""

import sqlite3
from contextlib import closing

import pytest

from tests.test_cli import UNTIL, run, typed

#: The command line's demo shop, built once for this module too.

LEAD, VOLUNTEER, CENTRE = ("Priya Kell", "2222"), ("Jo Beckford", "3333"), ("Chris Lowe", "7777")


@pytest.fixture(autouse=True)
def no_wait(monkeypatch):
    monkeypatch.setattr("pos.cli.context.WRONG_PIN_PAUSE", 0)


def audit_rows(path, since=0):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select a.id, a.action, v.name, a.till_id, a.detail, a.created_at from audit_log a "
                            "join volunteers v on v.id = a.operator_id where a.id > ? order by a.id",
                            [since]).fetchall()


def last_id(path):
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select coalesce(max(id), 0) from audit_log").fetchone()[0]


def products_csv(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("name,price,codes\nTea,0.01,T1\n")
    return path


def services_json(tmp_path):
    path = tmp_path / "services.json"
    path.write_text('[{"id": "s1", "name": "Stay and play", "status": "active"}]')
    return path


#: Each guarded command: its words (FILE is a file made for it), and what a shift lead's run writes.
GUARDED = {
    "products import": (["products", "import", "FILE"], products_csv),
    "services import": (["services", "import", "FILE"], services_json),
    "sales export": (["sales", "export", "--from", UNTIL, "--to", UNTIL], None),
    "footfall report": (["footfall", "report", "--from", UNTIL, "--to", UNTIL], None),
    "volunteers hours": (["volunteers", "hours", "--from", "2026-11-01", "--to", UNTIL], None),
}


def refused_by_argparse(capsys, *argv):
    """A missing --by is a usage mistake: exit 2, one sentence."""
    with pytest.raises(SystemExit) as exit_:
        run(capsys, *argv)
    _, err = capsys.readouterr()
    return exit_.value.code, err


def words(name, tmp_path):
    argv, make = GUARDED[name]
    return [str(make(tmp_path)) if a == "FILE" else a for a in argv]


@pytest.mark.parametrize("name", ["products import", "services import", "footfall report", "volunteers hours"])
def test_refused_without_a_name(capsys, demo_db, tmp_path, name):
    before = last_id(demo_db)
    code, err = refused_by_argparse(capsys, "--db", str(demo_db), *words(name, tmp_path))
    assert code == 2 and "required: --by" in err
    assert last_id(demo_db) == before


@pytest.mark.parametrize("name", ["products import", "services import", "sales export", "footfall report"])
def test_refused_to_a_volunteer_where_a_lead_is_needed(capsys, monkeypatch, demo_db, tmp_path, name):
    typed(monkeypatch, VOLUNTEER[1])
    code, out, err = run(capsys, "--db", str(demo_db), *words(name, tmp_path), "--by", VOLUNTEER[0])
    assert code == 1 and "needs a shift lead" in err and "a manager" in err and "; Jo Beckford is a volunteer" in err
    assert "member_number" not in out and "Stay and play" not in out


@pytest.mark.parametrize("name", list(GUARDED))
def test_refused_with_a_wrong_pin_which_is_audited(capsys, monkeypatch, demo_db, tmp_path, name):
    before = last_id(demo_db)
    typed(monkeypatch, "9999")
    code, out, err = run(capsys, "--db", str(demo_db), *words(name, tmp_path), "--by", LEAD[0])
    assert code == 1 and "PIN" in err and out == ""
    assert [row[1:3] for row in audit_rows(demo_db, before)] == [("wrong_pin", LEAD[0])]


@pytest.mark.parametrize("name", list(GUARDED))
def test_allowed_to_a_lead_and_audited(capsys, monkeypatch, demo_db, tmp_path, name):
    before = last_id(demo_db)
    typed(monkeypatch, LEAD[1])
    code, _, err = run(capsys, "--db", str(demo_db), *words(name, tmp_path), "--by", LEAD[0])
    assert code == 0, err
    rows = audit_rows(demo_db, before)
    assert len(rows) == 1
    _, action, who, till_id, detail, at = rows[0]
    assert who == LEAD[0] and till_id == "till-1" and at
    assert name in detail


def test_a_product_import_audit_row_says_what_changed(capsys, monkeypatch, demo_db, tmp_path):
    before = last_id(demo_db)
    typed(monkeypatch, LEAD[1])
    assert run(capsys, "--db", str(demo_db), "products", "import", str(products_csv(tmp_path)),
               "--by", LEAD[0])[0] == 0
    [(_, action, _, _, detail, _)] = audit_rows(demo_db, before)
    assert action == "import_products" and "prices.csv" in detail and "1 updated" in detail


def test_sales_export_without_a_name_leaves_out_member_numbers_and_writes_nothing(capsys, monkeypatch, demo_db):
    import csv
    import io

    before = last_id(demo_db)
    code, out, err = run(capsys, "--db", str(demo_db), "sales", "export", "--from", "2026-11-17", "--to", UNTIL)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and all(row["member_number"] == "" for row in rows)
    assert err == "" and last_id(demo_db) == before
    typed(monkeypatch, LEAD[1])
    code, out, _ = run(capsys, "--db", str(demo_db), "sales", "export", "--from", "2026-11-17", "--to", UNTIL,
                       "--by", LEAD[0])
    assert code == 0 and any(row["member_number"] for row in csv.DictReader(io.StringIO(out)))
    [(_, action, who, _, _, _)] = audit_rows(demo_db, before)
    assert (action, who) == ("export_sales", LEAD[0])


def test_a_volunteer_sees_only_their_own_hours(capsys, monkeypatch, demo_db):
    typed(monkeypatch, VOLUNTEER[1])
    code, out, err = run(capsys, "--db", str(demo_db), "volunteers", "hours", "--from", "2026-11-01", "--to", UNTIL,
                         "--format", "csv", "--by", VOLUNTEER[0])
    assert code == 0, err
    names = {line.split(",")[0] for line in out.splitlines()[1:]}
    assert names == {VOLUNTEER[0]}
    typed(monkeypatch, LEAD[1])
    _, out, _ = run(capsys, "--db", str(demo_db), "volunteers", "hours", "--from", "2026-11-01", "--to", UNTIL,
                    "--format", "csv", "--by", LEAD[0])
    assert len({line.split(",")[0] for line in out.splitlines()[1:]}) > 1


def test_centre_staff_see_the_footfall_report_only_under_disclosure_control(capsys, monkeypatch, demo_db):
    # Under disclosure control only whole weeks or months that have ended: each view is a release, and
    # the second shows the figures the first released.
    db = ["--db", str(demo_db), "footfall", "report", "--from", "2026-11-16", "--to", "2026-11-22"]
    typed(monkeypatch, LEAD[1])
    _, controlled, _ = run(capsys, *db, "--controlled", "--by", LEAD[0])
    typed(monkeypatch, CENTRE[1])
    code, out, err = run(capsys, *db, "--by", CENTRE[0])
    assert code == 0, err
    assert out == controlled


def test_a_card_reissue_is_audited_as_one(capsys, monkeypatch, demo_db, tmp_path):
    before = last_id(demo_db)
    typed(monkeypatch, LEAD[1])
    code, _, err = run(capsys, "--db", str(demo_db), "members", "card", "M0001", "--reissue", "--png",
                       str(tmp_path / "card.png"), "--by", LEAD[0])
    assert code == 0, err
    assert any("card reissued" in row[4] and "M0001" in row[4] for row in audit_rows(demo_db, before))


def test_a_restore_needs_a_manager_and_is_audited_in_the_restored_books(capsys, monkeypatch, demo_db, tmp_path):
    saved = tmp_path / "saved.db"
    with closing(sqlite3.connect(demo_db)) as shop, closing(sqlite3.connect(saved)) as copy:
        shop.backup(copy)
    db = ["--db", str(demo_db), "restore", str(saved), "--yes"]
    code, err = refused_by_argparse(capsys, *db)
    assert code == 2 and "required: --by" in err
    typed(monkeypatch, LEAD[1])
    code, _, err = run(capsys, *db, "--by", LEAD[0])
    assert code == 1 and "needs a manager" in err and not list(tmp_path.glob("*before-restore*"))
    typed(monkeypatch, "1111")
    code, _, err = run(capsys, *db, "--by", "Sam Ortiz")
    assert code == 0, err
    action, who, _, detail = audit_rows(demo_db)[-1][1:5]
    assert (action, who) == ("restore", "Sam Ortiz") and str(saved) in detail
    assert run(capsys, "--db", str(demo_db), "verify")[0] == 0
