"""`till hub …` on the command line, against a real hub."""

from __future__ import annotations

import stat

import psycopg

from pos.cli import main


def test_init_sync_status_and_verify(demo_db, hub_url, capsys, isolated_dirs):
    assert main(["--db", str(demo_db), "hub", "init", hub_url]) == 0
    credentials = isolated_dirs / "config" / "community-till" / "hub-credentials"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    password = psycopg.conninfo.conninfo_to_dict(credentials.read_text().strip())["password"]
    assert password.encode() not in demo_db.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(demo_db), "hub", "sync"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sent ") and "(0 it had already)" in out
    assert main(["--db", str(demo_db), "hub", "status"]) == 0
    out = capsys.readouterr().out
    assert "records waiting: 0." in out and "Hub: reachable" in out and "Chain checked by the hub up to" in out
    assert main(["--db", str(demo_db), "hub", "verify"]) == 0
    assert "still has every one as it was" in capsys.readouterr().out


def test_join_refuses_a_database_with_products(demo_db, hub_url, capsys, tmp_path):
    assert main(["--db", str(tmp_path / "first.db"), "hub", "join", hub_url, "--till", "till-2"]) == 1
    assert "that database is not a hub yet" in capsys.readouterr().err
    assert main(["--db", str(demo_db), "hub", "join", hub_url, "--till", "till-2"]) == 1
    assert capsys.readouterr().err == ("till: this database has products, members and volunteers already: only `till hub init` "
                                       "seeds a hub; join from a new, empty database (nothing was sent)\n")


def test_a_new_till_joins_and_a_lost_one_is_revoked(demo_db, hub_url, capsys, tmp_path, monkeypatch):
    assert main(["--db", str(demo_db), "hub", "init", hub_url]) == 0
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "till-2-credentials"))
    new = tmp_path / "till-2.db"
    assert main(["--db", str(new), "hub", "join", hub_url, "--till", "till-2"]) == 0
    assert "joined the hub as node 2, with the society's catalogue" in capsys.readouterr().err
    assert main(["--db", str(new), "hub", "revoke", "till-2", "--admin", hub_url]) == 0
    capsys.readouterr()
    assert main(["--db", str(new), "hub", "sync"]) == 1
    assert capsys.readouterr().err == "till: the hub refuses this till: it was revoked (lost or stolen)\n"
    monkeypatch.delenv("TILL_HUB__CREDENTIALS")
    assert main(["--db", str(demo_db), "hub", "sync"]) == 0
    assert "The hub asks every till to reset its PINs" in capsys.readouterr().out


def test_without_a_hub_the_commands_say_how_to_start_one(demo_db, capsys):
    assert main(["--db", str(demo_db), "hub", "sync"]) == 1
    assert "this till has no hub" in capsys.readouterr().err
