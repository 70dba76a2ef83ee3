"""The service directory and the society's settings shared through a real hub, and paying credit out at a
till apart capped at what it last knew (hub/settings.py, hub/shared.py, pos/config.py, pos/membership.py)."""

from __future__ import annotations

import io
import json

import psycopg
import pytest

from centre.directory import ON_A_HUB, Directory, ServiceRecord
from coop.register import MemberDetails, Register
from core.clock import local_date, system_clock
from core.database import transaction
from core.errors import TillError
from core.node import node_id
from hub import HubError
from hub.connect import join_hub
from pos.cli import main
from pos.config import SOCIETY_WIDE, load_settings
from pos.consolidated import open_copy
from pos.database import open_database
from pos.office_balances import count
from pos.shop import Shop
from pos.till import Till
from tests.hub.shared_tills import AT, Node, society
from tests.hub.test_balances import DAY, ZONE, _office_counts, _pay_with_credit, society_with_credit

LATER = "2026-11-03T10:00:00.000000Z"


def _directory(node: Node) -> list[tuple]:
    """What a volunteer at `node` may signpost to: (id, directory, service id, name)."""
    db = node.db()
    try:
        return [(s.ref, s.directory, s.service_id, s.name) for s in Directory(db).offered()]
    finally:
        db.close()


def _feed(db, *, add: str | None = None, drop: str | None = None, reverse: bool = False, at: str = LATER) -> None:
    """The directory's feed again, as the office imports it: every service it had, less `drop`, plus `add`."""
    rows = db.execute("select service_id, name, status from services where directory = 'demo-directory' "
                      "order by id").fetchall()
    records = [ServiceRecord(service_id=sid, name=name, status=status) for sid, name, status in rows if sid != drop]
    if add:
        records.append(ServiceRecord(service_id=add, name="Baby Bank", status="active"))
    Directory(db).import_services(records[::-1] if reverse else records, directory="demo-directory", at=at)


def test_a_service_added_at_the_office_reaches_both_tills_and_a_retired_one_leaves(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    joined = _directory(office)
    assert joined and _directory(till2) == _directory(till3) == joined  # the directory came down with the rest
    retired = joined[0]
    db = office.db()
    _feed(db, add="svc-baby-bank", drop=retired[2])
    db.close()
    office.sync()
    for till in (till2, till3):
        assert till.sync()[1] > 0
    now = _directory(office)
    assert any(name == "Baby Bank" for *_, name in now) and retired not in now
    assert _directory(till2) == _directory(till3) == now  # same ids, so a signpost names one service everywhere
    for node in (office, till2, till3):
        assert node.verified() == []


def test_a_tills_own_feed_on_a_hub_does_not_fork_the_directory(tmp_path, hub_url):
    office, till2 = society(tmp_path, hub_url, tills=1)
    db = till2.db()
    before = _directory(till2)
    with pytest.raises(TillError, match=f"^{ON_A_HUB}$"):
        _feed(db, add="svc-till-2-only")
    db.close()
    assert _directory(till2) == before
    # A till that imported the feed before it joined holds the same services under ids of its own: they step
    # aside for the society's, and the pull goes through.
    path = tmp_path / "till-3.db"
    db = open_database(path)
    demo = office.db()
    rows = demo.execute("select service_id, name, status from services order by id").fetchall()
    demo.close()
    Directory(db).import_services([ServiceRecord(service_id=sid, name=name, status=status)
                                   for sid, name, status in rows[::-1]], directory="demo-directory", at=AT)
    till3 = Node("till-3", path, join_hub(hub_url, node=node_id(db), till_id="till-3"))
    db.close()
    till3.sync()
    assert _directory(till3) == _directory(office)
    for node in (office, till2, till3):
        assert node.verified() == []


def test_a_service_a_till_wrote_into_its_own_journal_is_not_shared(tmp_path, hub_url):
    # The attack: a till's own connection writes a service (a number or address nobody checked) into its
    # database, so its journal records it and its push sends it as a shared change.
    from core.ids import next_id

    office, till2, till3 = society(tmp_path, hub_url)
    db = till2.db()
    with transaction(db):
        forged = next_id(db, "services")
        db.execute("insert into services (id, directory, service_id, name, status, first_seen, updated_at) "
                   "values (?, 'demo-directory', 'svc-forged', 'Call this number', 'active', ?, ?)",
                   [forged, AT, AT])
    db.close()
    till2.sync()
    till3.sync()
    office.sync()
    assert all(name != "Call this number" for *_, name in _directory(till3) + _directory(office))
    with psycopg.connect(hub_url) as conn:
        alerts = [row[0] for row in conn.execute("select what from hub.alerts")]
    assert f"till till-2 sent a directory service {forged}: only the office imports the directory; not shared" \
        in alerts


def _pin(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))


def _settings_revisions(hub_url: str) -> list[dict]:
    with psycopg.connect(hub_url) as conn:
        return [row[0] for row in conn.execute("select data from hub.shared where kind = 'settings' order by revision")]


def _two_tills(demo_db, hub_url, capsys, tmp_path, monkeypatch) -> tuple[list[str], list[str]]:
    """The demo shop starts a hub (the office) and a new till joins it, on the command line."""
    monkeypatch.setattr("pos.cli.context.WRONG_PIN_PAUSE", 0)
    office, till = ["--db", str(demo_db)], ["--db", str(tmp_path / "till-2.db"), "--till", "till-2"]
    assert main([*office, "hub", "init", hub_url]) == 0
    assert main([*office, "hub", "sync"]) == 0
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "till-2-credentials"))
    assert main([*till, "hub", "join", hub_url]) == 0
    monkeypatch.delenv("TILL_HUB__CREDENTIALS")
    capsys.readouterr()
    return office, till


def test_a_society_setting_set_at_the_office_reaches_a_till_and_wins_over_its_file(demo_db, hub_url, capsys,
                                                                                   tmp_path, monkeypatch):
    office, till = _two_tills(demo_db, hub_url, capsys, tmp_path, monkeypatch)
    # Bad values are refused in a sentence, and nothing reaches the hub.
    for key, value, said in (
            ("time_credits_per_hour", "11", "for the society, 'time_credits_per_hour' input should be less than or "
                                            "equal to 10: nothing was changed"),
            ("society.vat_registered", "true", "vat_number is needed when vat_registered is true: nothing was changed"),
            ("printer.columns", "32", "'printer.columns' is not one of the society's settings (a machine's own are "
                                      "in its settings file)")):
        _pin(monkeypatch)
        assert main([*office, "hub", "settings", "set", key, value, "--by", "Sam Ortiz"]) == 1
        assert said in capsys.readouterr().err
    assert _settings_revisions(hub_url) == []

    _pin(monkeypatch)
    assert main([*office, "hub", "settings", "set", "time_credits_per_hour", "2", "--by", "Sam Ortiz"]) == 0
    assert "The society's time_credits_per_hour is 2 from revision " in capsys.readouterr().out
    _pin(monkeypatch)
    assert main([*office, "hub", "settings", "set", "society.name", "Green Lane Co-op", "--by", "Sam Ortiz"]) == 0
    assert _settings_revisions(hub_url)[-1] == {"time_credits_per_hour": 2, "society.name": "Green Lane Co-op",
                                                "_set_by": "Sam Ortiz"}
    # The office counts the time credits the tills may spend at the society's rate, not its own file's.
    assert main([*office, "office", "pull", "--admin", hub_url]) == 0
    copy = open_copy(tmp_path / "demo-consolidated.db", create=False)
    today = local_date(system_clock(), ZONE)  # as the command counts
    at_rate = {rate: sum(amount for (kind, *_), amount in count(copy, zone=ZONE, per_hour=rate, today=today).items()
                         if kind == "time") for rate in (1, 2)}
    copy.close()
    with psycopg.connect(hub_url) as conn:
        published = conn.execute("select sum(amount) from hub.balances where kind = 'time'").fetchone()[0]
    assert published == at_rate[2] != at_rate[1]

    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "till-2-credentials"))
    # Only the office sets them.
    _pin(monkeypatch)
    assert main([*till, "hub", "settings", "set", "time_credits_per_hour", "3", "--by", "Sam Ortiz"]) == 1
    assert "only the office (the database that started the hub) sets the society's settings" in capsys.readouterr().err
    assert main([*till, "hub", "sync"]) == 0
    capsys.readouterr()
    assert main([*till, "hub", "status"]) == 0
    status = capsys.readouterr().out
    assert "Society settings: 2 set by the society at the office" in status
    assert ("SETTINGS: time_credits_per_hour is 2 here, set by the society; this till's settings file says 1, which "
            "is not used.") in status
    assert main([*till, "hub", "settings"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert any(line.startswith("time_credits_per_hour = 2  (set by the society (revision ") and
               line.endswith(", by Sam Ortiz); this till's settings file says 1, not used)") for line in shown)
    assert "coop.notice_days = 90  (this till's settings file)" in shown
    # What the till does follows the society's value: its time credits and its receipts' name.
    for path in (tmp_path / "till-2.db", demo_db):
        shop = Shop(settings=load_settings(db=path), db=open_database(path))
        assert shop.till.time_credits.per_hour == 2 and shop.settings.society.name == "Green Lane Co-op"
        assert shop.settings.by_society("society.name") and not shop.settings.by_society("coop.notice_days")
        shop.db.close()

    # Unset: each till goes back to its own file's.
    monkeypatch.delenv("TILL_HUB__CREDENTIALS")
    _pin(monkeypatch)
    assert main([*office, "hub", "settings", "unset", "time_credits_per_hour", "--by", "Sam Ortiz"]) == 0
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "till-2-credentials"))
    assert main([*till, "hub", "sync"]) == 0
    capsys.readouterr()
    assert main([*till, "hub", "status"]) == 0
    status = capsys.readouterr().out
    assert "Society settings: 1 set by the society" in status and "SETTINGS: time_credits_per_hour" not in status
    # Or the office's own file's, every one at once.
    monkeypatch.delenv("TILL_HUB__CREDENTIALS")
    _pin(monkeypatch)
    assert main([*office, "hub", "settings", "from-file", "--by", "Sam Ortiz"]) == 0
    assert set(_settings_revisions(hub_url)[-1]) == {*SOCIETY_WIDE, "_set_by"}
    for args in (office, till):
        assert main([*args, "verify"]) == 0


def test_paying_credit_out_at_a_till_apart_is_capped_at_what_it_last_knew(tmp_path, hub_url, capsys, monkeypatch):
    monkeypatch.setattr("pos.cli.context.WRONG_PIN_PAUSE", 0)
    office_node, till2, till3, ada = society_with_credit(tmp_path, hub_url)
    for till in (till2, till3):
        till.sync()

    # Apart: till-3 spends £3 of it, and till-2, which cannot know, pays out what it last knew of.
    _pay_with_credit(till3, ada.number, ada.card_code, 300)
    db = till2.db()
    till = Till(db, till_id="till-2")
    manager = till.volunteers.by_name("Sam Ortiz").id
    till.volunteers.set_pin(manager, "1111")  # the shop these tests copy was made without PINs
    till.open_session(5000, operator_id=manager)
    db.close()
    at_till2 = ["--db", str(till2.path), "--till", "till-2"]
    _pin(monkeypatch)
    assert main([*at_till2, "members", "pay-credit", ada.number, "--by", "Sam Ortiz"]) == 0
    said = capsys.readouterr().err
    assert f"Pay £5.00 of till credit to {ada.number} from the till." in said
    assert (f"That is all the till credit this till knows of for {ada.number} as the office last counted; any more, "
            "at the office or another till, is paid out there.") in said
    _pin(monkeypatch)
    assert main([*at_till2, "members", "pay-credit", ada.number, "--by", "Sam Ortiz"]) == 1
    assert (f"this till knows of no till credit left for {ada.number} (it may have been spent or paid out at another "
            "till): nothing was paid out") in capsys.readouterr().err

    for till in (till2, till3):
        till.sync()
    flags = [flag for flag in _office_counts(hub_url, office_node, tmp_path) if flag.kind == "credit"]
    assert [(flag.ref_id, flag.amount) for flag in flags] == [(ada.id, -300)]  # the sale stands, flagged
    for node in (office_node, till2, till3):
        assert node.verified() == []


def test_without_a_hub_paying_credit_out_is_the_tills_own_ledger(demo_db, capsys, monkeypatch):
    monkeypatch.setattr("pos.cli.context.WRONG_PIN_PAUSE", 0)
    db = open_database(demo_db)
    ada = Register(db).admit(MemberDetails(name="Ada Lovelace", address="1 High St"), on=DAY, at=AT, by="test")
    with transaction(db):
        db.execute("insert into member_credit (member_id, at, amount_pence, kind, reference) "
                   "values (?, ?, 120, 'dividend', 'd')", [ada.id, AT])
    till = Till(db, till_id="till-1")
    till.open_session(5000, operator_id=till.volunteers.by_name("Sam Ortiz").id)
    db.close()
    _pin(monkeypatch)
    assert main(["--db", str(demo_db), "members", "pay-credit", ada.number, "--by", "Sam Ortiz"]) == 0
    said = capsys.readouterr().err
    assert f"Pay £1.20 of till credit to {ada.number} from the till." in said and "knows of" not in said


def test_a_till_cannot_set_the_societys_settings_through_the_hub(tmp_path, hub_url):
    """The attacker is a till's own role: it calls the office's function, then forges a settings record
    into its own chain (hub.share passes on any kind a push names). Neither reaches any till."""
    import hashlib

    from psycopg.types.json import Jsonb

    from core.journal import link
    from hub import settings
    from hub.connect import connect

    office, till2, till3 = society(tmp_path, hub_url)
    with connect(office.conninfo) as conn:
        settings.set_at_hub(conn, {"time_credits_per_hour": 2}, by="Sam Ortiz")
    with connect(till2.conninfo) as conn, pytest.raises(HubError, match="^only the office"):
        settings.set_at_hub(conn, {"time_credits_per_hour": 9}, by="Mallory")
    db = till2.db()
    node = node_id(db)
    db.close()
    with psycopg.connect(till2.conninfo, autocommit=True) as conn:
        status = conn.execute("select hub.my_status()").fetchone()[0]
        body = json.dumps({"time_credits_per_hour": 9})
        digest = hashlib.sha256(body.encode()).hexdigest()
        forged = {"entry": status["last_entry"] + 1, "kind": "settings", "ref_id": 0, "version": 1, "digest": digest,
                  "hash": link(status["head_hash"], "settings", 0, digest), "body": body,
                  "data": {"time_credits_per_hour": 9, "_set_by": "Sam Ortiz"}}
        assert conn.execute("select hub.push(%s, %s)", [node, Jsonb([forged])]).fetchone()[0]["added"] == 1
    assert _settings_revisions(hub_url) == [{"time_credits_per_hour": 2, "_set_by": "Sam Ortiz"}]
    with psycopg.connect(hub_url) as conn:
        alerts = [row[0] for row in conn.execute("select what from hub.alerts")]
    assert "till till-2 sent the society's settings as a record of its own: only the office sets them; " \
           "not shared" in alerts
    till3.sync()
    db = till3.db()
    assert {key: one.value for key, one in settings.kept(db).items()} == {"time_credits_per_hour": 2}
    db.close()
