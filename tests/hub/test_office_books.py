"""The office's consolidated books beyond the Z and the sales export, on a real hub: the dividend preview on
every till's purchases, the register, and the centre's figures across tills (under the office's own
disclosure control and release record)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import psycopg

from centre.figures import gather
from coop.dividend import CeasedMembers, Payout, plan
from coop.register import MemberDetails, Register
from hub import office
from pos import consolidated
from pos.basket import Basket
from pos.cli import main
from pos.config import CoopSettings
from pos.database import open_database
from pos.membership import Membership
from pos.tenders import Tender, TenderKind
from pos.till import Till
from tests.hub.shared_tills import AT, society
from tests.hub.test_office import ZONE, _push, _till, _trade
from tests.test_cli import typed
from volunteers.people import Volunteers

SUM = 10_000


def _admit(node, name: str, address: str) -> str:
    db = node.db()
    try:
        return Register(db).admit(MemberDetails(name=name, address=address), on=date(2026, 11, 2), at=AT,
                                  by="test").number
    finally:
        db.close()


def _sell(node, till_id: str, numbers: list[str | None]) -> date:
    """One sale for each member number (None: no member), in a session closed at the end; its trading day."""
    db = node.db()
    try:
        till = Till(db, till_id=till_id, zone=ZONE)
        manager = till.volunteers.by_name("Sam Ortiz").id
        session = till.open_session(5000, operator_id=manager)
        codes = [(p.barcodes or p.codes)[0] for p in till.catalogue.all(active_only=True) if not p.pass_through]
        for n, number in enumerate(numbers):
            basket = Basket()
            for code in codes[n % 3: n % 3 + 2]:
                till.scan(basket, code)
            basket.member_number = number
            till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                               operator_id=manager)
        till.close_session(5000, operator_id=manager)
        return date.fromisoformat(db.execute("select business_date from till_sessions where id = ?",
                                             [session.id]).fetchone()[0])
    finally:
        db.close()


def _pin(path) -> None:
    """Sam Ortiz, a manager, signs the commands with 1111 (the demo shop sets no PINs)."""
    db = open_database(path)
    volunteers = Volunteers(db)
    volunteers.set_pin(volunteers.by_name("Sam Ortiz").id, "1111")
    db.close()


def _pull(hub_url, path, own=None):
    copy = consolidated.open_copy(consolidated.copy_path(path))
    with psycopg.connect(hub_url, autocommit=True) as conn:
        office.pull(conn, copy, own=str(own) if own else None)
    copy.close()


def test_the_dividend_preview_on_every_till_is_what_one_database_of_every_sale_gives(tmp_path, hub_url, capsys,
                                                                                   monkeypatch):
    hq, till2, till3 = society(tmp_path, hub_url)
    ada = _admit(hq, "Ada Lovelace", "1 High St")
    bea = _admit(till2, "Bea Okafor", "2 Low Rd")
    for node in (till2, hq, till3):
        node.sync()
    day = _sell(hq, "office", [ada, None, bea, ada])
    _sell(till2, "till-2", [bea, bea, None, ada])
    _sell(till3, "till-3", [ada, bea, bea])
    for node in (hq, till2, till3):
        node.sync()
    _pull(hub_url, hq.path, own=hq.path)
    _pin(hq.path)

    # What one database holding every sale would give: every till's purchases, the society's register.
    settings = CoopSettings()
    purchases: dict[str, int] = {}
    for node in (hq, till2, till3):
        db = node.db()
        for number, pence in Membership(db, Till(db), settings).qualifying_purchases(day, day).items():
            purchases[number] = purchases.get(number, 0) + pence
        db.close()
    db = hq.db()
    members = Register(db).all()
    db.close()
    expected = plan(members, purchases, sum_pence=SUM, period_from=day, period_to=day,
                    ceased=CeasedMembers(settings.dividend_ceased_members),
                    payouts={m.number: Payout(m.dividend_payout) for m in members if m.dividend_payout},
                    default_payout=Payout(settings.dividend_payout))
    assert {p.number for p in expected.parts} == {ada, bea} and bea.startswith("M2-")

    window = ["dividend", "preview", "--from", day.isoformat(), "--to", day.isoformat(), "--sum", "100", "--format",
              "csv", "--by", "Sam Ortiz"]
    typed(monkeypatch, "1111")
    assert main(["--db", str(hq.path), *window, "--all-tills"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["number"], r["name"], int(r["qualifying_pence"]), int(r["part_pence"])) for r in rows] == \
        [(p.number, p.name, p.qualifying_pence, p.part_pence) for p in expected.parts]
    typed(monkeypatch, "1111")
    assert main(["--db", str(hq.path), *window]) == 0
    own = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(r["qualifying_pence"]) for r in own] != [int(r["qualifying_pence"]) for r in rows]


def test_a_member_who_joined_at_another_till_is_on_the_offices_register(tmp_path, hub_url, capsys, monkeypatch):
    hq, till2, _ = society(tmp_path, hub_url)
    bea = _admit(till2, "Bea Okafor", "2 Low Rd")
    till2.sync()
    hq.sync()
    _pin(hq.path)
    typed(monkeypatch, "1111")
    assert main(["--db", str(hq.path), "members", "export", "--by", "Sam Ortiz"]) == 0
    register = {row["number"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert register[bea]["name"] == "Bea Okafor"
    # The address stays at the till where they joined (README: "The office"): the register says so, never blank.
    assert register[bea]["address"] == "(kept where they joined)"


def test_the_centres_figures_across_tills_are_released_under_the_offices_control(tmp_path, hub_url, capsys,
                                                                                 monkeypatch):
    paths = {}
    for n, till_id in enumerate(("till-1", "till-2")):
        path, conninfo = _till(tmp_path, hub_url, till_id, first=n == 0)
        _trade(path, till_id, 7, date(2026, 11, 22), seed=11 + n)
        _push(path, conninfo)
        paths[till_id] = path
    _pull(hub_url, paths["till-1"], own=paths["till-1"])
    _pin(paths["till-1"])
    first, last = date(2026, 11, 16), date(2026, 11, 22)
    truth = 0
    for path in paths.values():
        db = open_database(path)
        truth += sum(day["visits"] for day in gather(db, first, last, zone=ZONE).daily.values())
        db.close()
    copy = consolidated.open_copy(consolidated.copy_path(paths["till-1"]), create=False)
    assert sum(day["visits"] for day in gather(copy, first, last, zone=ZONE).daily.values()) == truth > 0
    copy.close()

    period = ["--from", first.isoformat(), "--to", last.isoformat()]
    assert main(["--db", str(paths["till-1"]), "footfall", "export", *period, "--format", "json", "--all-tills"]) == 0
    released = json.loads(capsys.readouterr().out)
    assert released  # the figures, under disclosure control
    db = open_database(paths["till-1"])
    assert db.execute("select kind from centre_releases").fetchall() == [("export (all tills)",)]
    db.close()
    copy = consolidated.open_copy(consolidated.copy_path(paths["till-1"]), create=False)
    assert copy.execute("select count(*) from centre_releases").fetchone()[0] == 0  # the office's record, not the copy's
    copy.close()
    # This till's figures alone over the same days would give away the other till's by subtraction: refused.
    assert main(["--db", str(paths["till-1"]), "footfall", "export", *period]) == 1
    assert "cannot be released for them too" in capsys.readouterr().err
    typed(monkeypatch, "1111")
    assert main(["--db", str(paths["till-1"]), "footfall", "report", *period, "--controlled", "--by", "Sam Ortiz"]) == 1
    assert "cannot be released for them too" in capsys.readouterr().err
    typed(monkeypatch, "1111")
    assert main(["--db", str(paths["till-1"]), "footfall", "report", *period, "--controlled", "--all-tills", "--by",
                 "Sam Ortiz"]) == 0
    assert capsys.readouterr().out
