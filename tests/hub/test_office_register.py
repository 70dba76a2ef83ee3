"""The office's register complete, on a real hub: a member's address and contacts entered at a till reach
the office sealed to its key (the hub and the other tills hold nothing readable), an erasure at the till
reaches the office too, and the dividend declared at the office on every till's purchases."""

from __future__ import annotations

import csv
import io
import stat
from datetime import UTC, date, datetime

import psycopg
from psycopg import sql

from coop.personal_data import erase
from coop.register import MemberDetails, Register
from core.clock import SimulatedClock
from hub import sealed
from hub.connect import connect
from hub.pull import pull
from hub.push import push
from hub.sealed import ERASED_BY
from pos.basket import Basket
from pos.cli import main
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.hub.shared_tills import AT, society
from tests.hub.test_office_books import _admit, _pin, _pull
from tests.test_cli import typed

ADDRESS = "17 Quillfeather Lane\nBramblewick"
EMAIL = "bea.okafor@quillfeather.example"
DAY = date(2026, 11, 3)


def _sync(node, key=None) -> None:
    """Push then pull, as a worker's round does; the office with its private key's file."""
    db = node.db()
    try:
        with connect(node.conninfo) as conn:
            push(db, conn, at=AT)
            pull(db, conn, at=AT, office_key=key)
    finally:
        db.close()


def _member(node, number: str) -> dict:
    db = node.db()
    try:
        return dict(next(iter(db.query("select * from members where number = ?", [number]))))
    finally:
        db.close()


def _readable(hub_url: str, *needles: str) -> list[str]:
    """Every text or JSON column of every hub table holding one of `needles`, as `table.column`."""
    found = []
    with psycopg.connect(hub_url, autocommit=True) as conn:
        columns = conn.execute("select table_name, column_name from information_schema.columns where table_schema = "
                               "'hub' and data_type in ('text', 'jsonb', 'json', 'character varying')").fetchall()
        for table, column in columns:
            for needle in needles:
                query = sql.SQL("select count(*) from hub.{} where {}::text ilike %s").format(
                    sql.Identifier(table), sql.Identifier(column))
                if conn.execute(query, [f"%{needle}%"]).fetchone()[0]:
                    found.append(f"{table}.{column}")
    return found


def test_a_member_joining_at_a_till_reaches_the_offices_register_sealed(tmp_path, hub_url, capsys, monkeypatch):
    hq, till2, till3 = society(tmp_path, hub_url)
    key = tmp_path / "office-key"
    _sync(hq, key)  # the office makes its key pair and publishes the public half
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    till2.sync()
    till3.sync()
    db = till2.db()
    try:
        bea = Register(db).admit(MemberDetails(name="Bea Okafor", address=ADDRESS, email=EMAIL,
                                               email_purpose="newsletter", phone="07700 900123",
                                               phone_purpose="rota", date_of_birth=date(2015, 5, 17)),
                                 on=date(2026, 11, 2), at=AT, by="test").number
    finally:
        db.close()
    till2.sync()
    _sync(hq, key)
    till3.sync()

    _pin(hq.path)
    typed(monkeypatch, "1111")
    assert main(["--db", str(hq.path), "members", "export", "--by", "Sam Ortiz"]) == 0
    register = {row["number"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert bea.startswith("M2-") and register[bea]["name"] == "Bea Okafor"
    assert register[bea]["address"] == ADDRESS.replace("\n", ", ") and register[bea]["email"] == EMAIL
    office = _member(hq, bea)
    assert office["address"] == ADDRESS
    assert (office["phone"], office["date_of_birth"]) == ("07700 900123", "2015-05-17")
    assert hq.verified() == []  # written as a change of the office's own, journaled

    # The attacker reads the hub with its owner's rights, or pulls as another till: nothing readable.
    assert _readable(hub_url, "Quillfeather", "07700 900123", "2015-05-17") == []
    assert _member(till3, bea)["address"] == "(kept where they joined)" and _member(till3, bea)["email"] is None
    with connect(till3.conninfo) as conn:
        pulled = [row[0] for row in conn.execute("select data from hub.pull(0, 100000) where kind = 'member'")]
    assert pulled and not any("sealed" in data for data in pulled if data)
    with psycopg.connect(hub_url, autocommit=True) as conn:
        boxes = conn.execute("select count(*) from hub.shared where kind = 'member' and data ? 'sealed'").fetchone()[0]
    assert boxes >= 1  # it did travel, sealed


def test_an_erasure_at_the_till_reaches_the_offices_register(tmp_path, hub_url):
    hq, till2 = society(tmp_path, hub_url, tills=1)
    key = tmp_path / "office-key"
    _sync(hq, key)
    till2.sync()
    db = till2.db()
    try:
        bea = Register(db).admit(MemberDetails(name="Bea Okafor", address=ADDRESS, email=EMAIL,
                                               email_purpose="newsletter", phone="07700 900123",
                                               phone_purpose="rota", consent_contact=True),
                                 on=date(2026, 11, 2), at=AT, by="test").number
    finally:
        db.close()
    till2.sync()
    _sync(hq, key)
    assert _member(hq, bea)["email"] == EMAIL

    db = till2.db()
    try:
        erase(db, bea, at="2026-11-05T10:00:00.000000Z", by="Sam Ortiz", today=date(2026, 11, 5))
    finally:
        db.close()
    till2.sync()
    _sync(hq, key)
    office = _member(hq, bea)
    assert (office["email"], office["email_purpose"], office["phone"], office["phone_purpose"],
            office["consent_contact"]) == (None, None, None, None, 0)
    assert office["address"] == ADDRESS  # the register entry stays, as the law requires
    db = hq.db()
    try:
        who = db.execute("select changed_by from member_changes where member_id = ? and field = 'erased'",
                         [office["id"]]).fetchall()
    finally:
        db.close()
    assert who == [(ERASED_BY,)]
    _sync(hq, key)  # pulling again erases nothing twice
    assert hq.verified() == []


def test_the_office_erases_what_a_till_erases():
    # hub/ may not import coop/, so it names the optional details itself: they must stay the register's.
    assert sealed.OPTIONAL == Register.OPTIONAL


def _sell(node, till_id: str, numbers: list[str]) -> None:
    """One sale for each member number on DAY (past, so the dividend may be declared), closed with a Z."""
    db = node.db()
    try:
        till = Till(db, till_id=till_id, clock=SimulatedClock(datetime(2026, 11, 3, 10, tzinfo=UTC)))
        manager = till.volunteers.by_name("Sam Ortiz").id
        till.open_session(5000, operator_id=manager)
        codes = [(p.barcodes or p.codes)[0] for p in till.catalogue.all(active_only=True) if not p.pass_through]
        for n, number in enumerate(numbers):
            basket = Basket()
            till.scan(basket, codes[n % len(codes)])
            basket.member_number = number
            till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                               operator_id=manager)
        till.close_session(5000, operator_id=manager)
    finally:
        db.close()


def test_the_dividend_declared_on_every_tills_purchases_is_the_preview(tmp_path, hub_url, capsys, monkeypatch):
    hq, till2 = society(tmp_path, hub_url, tills=1)
    ada = _admit(hq, "Ada Lovelace", "1 High St")
    bea = _admit(till2, "Bea Okafor", "2 Low Rd")
    for node in (till2, hq):
        node.sync()
    _sell(hq, "office", [ada])
    _sell(till2, "till-2", [bea, bea, ada])
    for node in (hq, till2):
        node.sync()
    _pull(hub_url, hq.path, own=hq.path)
    _pin(hq.path)
    window = ["--from", DAY.isoformat(), "--to", DAY.isoformat(), "--sum", "100", "--by", "Sam Ortiz"]

    typed(monkeypatch, "1111")
    assert main(["--db", str(hq.path), "dividend", "preview", *window, "--format", "csv", "--all-tills"]) == 0
    preview = {r["number"]: (int(r["qualifying_pence"]), int(r["part_pence"]))
               for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert set(preview) == {ada, bea}
    typed(monkeypatch, "1111")
    assert main(["--db", str(hq.path), "dividend", "declare", *window, "--all-tills"]) == 0
    assert "on every till's purchases" in capsys.readouterr().err
    db = hq.db()
    try:
        declared = {number: (qualifying, part) for number, qualifying, part in db.execute(
            "select m.number, p.qualifying_pence, p.part_pence from dividend_parts p join members m "
            "on m.id = p.member_id")}
    finally:
        db.close()
    assert declared == preview
    assert hq.verified() == []
    pushed, _ = hq.sync()  # the declaration is the office's record, sent up like any
    assert pushed > 0
