"""The office's key pinned at each till (hub/sealed.py), on a real hub: the hub's owner can write its tables, so
it could put a key of its own in the office's place; a till seals to the key it pinned only, says why, and the
owner reads nothing. A till that pins the key once it has members sends their details then, once."""

from __future__ import annotations

import base64
from datetime import date

import psycopg
import pytest
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from coop.register import MemberDetails, Register
from hub import HubError, office, sealed
from hub.connect import connect, join_hub
from pos.cli import main
from pos.database import open_database
from tests.hub.shared_tills import AT, Node, society
from tests.hub.test_office_register import ADDRESS, _member, _readable, _sync


def _admit(node, name: str, address: str = ADDRESS) -> str:
    db = node.db()
    try:
        return Register(db).admit(MemberDetails(name=name, address=address, phone="07700 900123", phone_purpose="rota"),
                                  on=date(2026, 11, 2), at=AT, by="test").number
    finally:
        db.close()


def _office(tmp_path, hub_url):
    """The office, with its key pair made and published: (node, key file, fingerprint)."""
    hq = society(tmp_path, hub_url, tills=0)[0]
    key = tmp_path / "office-key"
    _sync(hq, key)
    return hq, key, sealed.office_fingerprint(key)


def _swap(hub_url: str) -> PrivateKey:
    """What the hub's owner can do: write a key of its own where the office's is published."""
    mine = PrivateKey.generate()
    with psycopg.connect(hub_url, autocommit=True) as conn:
        conn.execute("update hub.society set office_key = %s", [base64.b64encode(bytes(mine.public_key)).decode()])
    return mine


def _join(tmp_path, hub_url, monkeypatch, capsys, *extra) -> tuple[int, str, Node]:
    path = tmp_path / "till-2" / "till.db"
    credentials = tmp_path / "till-2" / "hub-credentials"
    monkeypatch.setenv("TILL_TILL_ID", "till-2")
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(credentials))
    code = main(["--db", str(path), "hub", "join", hub_url, *extra])
    err = capsys.readouterr().err
    conninfo = credentials.read_text().strip() if credentials.exists() else ""
    return code, err, Node("till-2", path, conninfo)


def test_the_hubs_owner_swapping_the_office_key_reads_nothing(tmp_path, hub_url, monkeypatch, capsys):
    hq, key, fingerprint = _office(tmp_path, hub_url)
    code, err, till2 = _join(tmp_path, hub_url, monkeypatch, capsys, "--office-key", fingerprint.upper())
    assert code == 0, err
    assert f"It pinned the office's key {fingerprint}" in err

    mine = _swap(hub_url)  # the attack: the owner's key in the office's place, which the till's next pull sees
    assert main(["--db", str(till2.path), "hub", "sync"]) == 1
    bea = _admit(till2, "Bea Okafor")
    assert main(["--db", str(till2.path), "hub", "sync"]) == 1
    said = capsys.readouterr().out
    assert "OFFICE KEY: The office's key at the hub" in said and f"is not the one this till pinned ({fingerprint})" in said

    with psycopg.connect(hub_url, autocommit=True) as conn:
        boxes = [data["sealed"] for (data,) in conn.execute(
            "select data from hub.shared where kind = 'member' and data ? 'sealed'")]
    assert boxes  # the details did travel, sealed to the key the till pinned
    for box in boxes:
        with pytest.raises(CryptoError):
            SealedBox(mine).decrypt(base64.b64decode(box))
    assert _readable(hub_url, "Quillfeather", "07700 900123") == []
    assert main(["--db", str(till2.path), "hub", "status"]) == 1
    assert "seals nothing" not in capsys.readouterr().out

    _sync(hq, key)  # the office opens them with its own key, and publishes it again
    assert _member(hq, bea)["address"] == ADDRESS
    assert main(["--db", str(till2.path), "hub", "status"]) == 0
    assert "OFFICE KEY" not in capsys.readouterr().out


def test_a_till_joining_with_the_offices_fingerprint_refuses_another_key(tmp_path, hub_url, monkeypatch, capsys):
    _hq, _key, fingerprint = _office(tmp_path, hub_url)
    _swap(hub_url)
    code, err, _ = _join(tmp_path, hub_url, monkeypatch, capsys, "--office-key", fingerprint)
    assert code == 1
    assert f"is not the one the office gave ({fingerprint})" in err and "nothing was changed" in err
    with psycopg.connect(hub_url, autocommit=True) as conn:
        assert conn.execute("select count(*) from hub.nodes").fetchone()[0] == 1


def test_members_a_till_held_before_it_had_the_key_reach_the_office_once(tmp_path, hub_url):
    hq, till2, till3 = society(tmp_path, hub_url)  # no key yet: a hub made by an older version
    bea = _admit(till2, "Bea Okafor")
    till2.sync()
    key = tmp_path / "office-key"
    _sync(hq, key)  # the office makes its pair; Bea is on its register, her address kept where she joined
    assert _member(hq, bea)["address"] == "(kept where they joined)"

    till2.sync()  # pins the key, and sends Bea's details sealed to it
    till3.sync()  # pins it too; holds no member's details (Bea's address is kept where she joined)
    with psycopg.connect(hub_url, autocommit=True) as conn:
        assert conn.execute("select count(*) from hub.sealed_details").fetchone()[0] == 1
    _sync(hq, key)
    assert (_member(hq, bea)["address"], _member(hq, bea)["phone"]) == (ADDRESS, "07700 900123")
    assert hq.verified() == []
    till2.sync()
    with psycopg.connect(hub_url, autocommit=True) as conn:
        assert conn.execute("select count(*) from hub.sealed_details").fetchone()[0] == 0  # taken, and sent once

    # A till that changes a member it pulled holds no address for her: the office's stays.
    db = till3.db()
    try:
        register = Register(db)
        found = register.by_number(bea)
        details = MemberDetails(**found.model_dump(include=set(MemberDetails.model_fields)))
        register.update(found.id, details.model_copy(update={"name": "Bea Okafor-Lind"}), at=AT, by="test",
                        on=date(2026, 11, 3))
    finally:
        db.close()
    till3.sync()
    _sync(hq, key)
    assert (_member(hq, bea)["name"], _member(hq, bea)["address"]) == ("Bea Okafor-Lind", ADDRESS)


def test_the_office_changes_its_key_and_a_manager_at_each_till_trusts_the_new_one(tmp_path, hub_url):
    hq, key, old = _office(tmp_path, hub_url)
    db = open_database(tmp_path / "till-2.db")
    from core.node import node_id

    till2 = Node("till-2", tmp_path / "till-2.db", join_hub(hub_url, node=node_id(db), till_id="till-2"))
    db.close()
    till2.sync()
    bea = _admit(till2, "Bea Okafor")
    till2.sync()
    key.rename(tmp_path / "office-key.lost")  # the office lost its key file: a new pair at its next pull
    _sync(hq, key)
    new = sealed.office_fingerprint(key)
    assert new != old
    db = till2.db()
    try:
        manager = db.execute("select id from volunteers where instr(role, 'manager') order by id").fetchone()[0]
        with connect(till2.conninfo) as conn:
            assert f"`till hub trust-key {new} --by NAME`" in sealed.key_alert(db, conn)
            with pytest.raises(HubError, match="nothing was changed"):
                sealed.trust(db, conn, old, by=manager, till_id="till-2", at=AT)
            assert sealed.trust(db, conn, new, by=manager, till_id="till-2", at=AT) == 1
            assert sealed.key_alert(db, conn) is None
        assert db.execute("select count(*) from audit_log where action = 'trust office key'").fetchone()[0] == 1
    finally:
        db.close()
    db = hq.db()
    try:
        db.execute("update members set address = 'lost' where number = ?", [bea])  # what the old key's box held
        db.conn.commit()
    finally:
        db.close()
    _sync(hq, key)
    assert _member(hq, bea)["address"] == ADDRESS


def test_a_rebuilt_tills_placeholder_is_the_copys():
    # hub/ may not import the office's copy into what a till seals: the two placeholders must agree.
    assert sealed.UNKNOWN == office.UNKNOWN
