"""`till hub join`, `pull`, `sync` and `approve` on the command line, against a real hub."""

from __future__ import annotations

import io

from pos.cli import main
from pos.database import open_database
from volunteers.people import Role, Volunteers


def test_a_till_joins_with_the_catalogue_and_the_office_approves_a_pin_set_there(demo_db, hub_url, capsys, tmp_path,
                                                                                monkeypatch):
    monkeypatch.setattr("pos.cli.context.WRONG_PIN_PAUSE", 0)
    office = ["--db", str(demo_db)]
    assert main([*office, "hub", "init", hub_url]) == 0
    assert main([*office, "hub", "sync"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "till-2-credentials"))
    till = ["--db", str(tmp_path / "till-2.db")]
    assert main([*till, "hub", "join", hub_url, "--till", "till-2"]) == 0
    assert "joined the hub as node 2, with the society's catalogue" in capsys.readouterr().err
    db = open_database(tmp_path / "till-2.db")
    demo = open_database(demo_db)
    assert db.execute("select count(*) from members").fetchone()[0] > 0
    for table in ("products", "prices", "product_codes", "members", "volunteers"):
        assert db.execute(f"select count(*) from {table}").fetchone() == demo.execute(
            f"select count(*) from {table}").fetchone(), table
    volunteer = next(v for v in Volunteers(db).all() if v.role == Role.volunteer)
    Volunteers(db).set_pin(volunteer.id, "4862")
    db.close()
    assert main([*till, "hub", "pull"]) == 0
    assert capsys.readouterr().out.startswith("Fetched 0 changes")
    assert main([*till, "hub", "sync"]) == 0
    capsys.readouterr()
    # The till's own role may not decide: only the office's.
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main([*till, "hub", "approve", "--by", "Sam Ortiz"]) == 1
    assert "only the office" in capsys.readouterr().err
    monkeypatch.delenv("TILL_HUB__CREDENTIALS")
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main([*office, "hub", "approve", "--by", "Sam Ortiz"]) == 0
    listed = capsys.readouterr().out
    assert f"{volunteer.name} (volunteer {volunteer.id}), role volunteer and a new PIN, from till till-2" in listed
    number = listed.split(":")[0]
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main([*office, "hub", "approve", number, "--by", "Sam Ortiz"]) == 0
    assert "is approved: every till gets it at its next pull" in capsys.readouterr().out
    assert main([*office, "hub", "sync"]) == 0
    assert "Fetched 1 changes" in capsys.readouterr().out
    db = open_database(tmp_path / "till-2.db")
    pin_hash = db.execute("select pin_hash from volunteers where id = ?", [volunteer.id]).fetchone()[0]
    db.close()
    assert demo.execute("select pin_hash from volunteers where id = ?", [volunteer.id]).fetchone()[0] == pin_hash
    demo.close()
