"""Money two tills can spend while apart (hub/balances.py), on a real hub: a member's till credit spent at
two tills cut off from each other, each capped at what it last knew, both sales recorded, and the
overspend flagged at the office once both have synced. Without a hub nothing changes."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import psycopg
import pytest

from coop.errors import DividendError, ShareError
from coop.register import MemberDetails, Register
from coop.rules import ShareRules
from coop.shares import Decision, Shares
from core.database import transaction
from hub import balances, office
from hub.connect import connect
from pos.basket import Basket
from pos.consolidated import open_copy
from pos.database import open_database
from pos.office_balances import count
from pos.tenders import PaymentError, Tender, TenderKind
from pos.till import Till
from tests.hub.shared_tills import AT, society

ZONE = ZoneInfo("Europe/London")
DAY = date(2026, 11, 2)


def _office_counts(hub_url, office_node, tmp_path) -> list[balances.Flag]:
    """What `till office pull` does: the copy takes every till's records, the balances go up to the hub."""
    copy = open_copy(tmp_path / "till-consolidated.db")
    try:
        with psycopg.connect(hub_url, autocommit=True) as conn:
            office.pull(conn, copy, own=str(office_node.path))
            counted = count(copy, zone=ZONE, per_hour=1, today=DAY)
            balances.publish(conn, copy, counted)
        return balances.flagged(copy, counted)
    finally:
        copy.close()


def _pay_with_credit(node, number: str, card_code: str, pence: int, *, path=None, till_id: str | None = None):
    """A sale at `node` (or the till database at `path`) of items worth at least `pence`, `pence` of it
    paid with the member's credit."""
    db = open_database(path) if path else node.db()
    try:
        till = Till(db, till_id=till_id or node.name)
        manager = till.volunteers.by_name("Sam Ortiz").id
        if till.current_session() is None:
            till.open_session(5000, operator_id=manager)
        basket = Basket()
        product = next(p for p in till.catalogue.all(active_only=True) if not p.pass_through and p.barcodes)
        while basket.total_pence < pence:
            till.scan(basket, product.barcodes[0])
        basket.attach_member(number, card=True)
        assert Register(db).by_card(card_code).number == number
        tenders = [Tender(kind=TenderKind.member_credit, amount_pence=pence)]
        if basket.total_pence > pence:
            tenders.append(Tender(kind=TenderKind.cash, amount_pence=basket.total_pence - pence))
        return till.complete_sale(basket, tenders, operator_id=manager)
    finally:
        db.close()


def _credit_known(node, member_id: int) -> int:
    db = node.db()
    try:
        return Till(db, till_id=node.name).member_credit(member_id)
    finally:
        db.close()


def society_with_credit(tmp_path, hub_url):
    """An office and two tills, and Ada with £5.00 of dividend as till credit at the office, counted."""
    office_node, till2, till3 = society(tmp_path, hub_url)
    db = office_node.db()
    ada = Register(db).admit(MemberDetails(name="Ada Lovelace", address="1 High St"), on=DAY, at=AT, by="test")
    with transaction(db):  # her dividend, as till credit, at the office
        db.execute("insert into member_credit (member_id, at, amount_pence, kind, reference) "
                   "values (?, ?, 500, 'dividend', 'dividend 2026')", [ada.id, AT])
    db.close()
    office_node.sync()
    assert _office_counts(hub_url, office_node, tmp_path) == []
    return office_node, till2, till3, ada


def test_two_tills_spending_one_members_credit_while_apart(tmp_path, hub_url):
    office_node, till2, till3, ada = society_with_credit(tmp_path, hub_url)
    for till in (till2, till3):
        till.sync()
        assert _credit_known(till, ada.id) == 500  # the office's count: none of it is this till's own

    # Apart: neither till reaches the hub, and each spends what it last knew of.
    first = _pay_with_credit(till2, ada.number, ada.card_code, 300)
    second = _pay_with_credit(till3, ada.number, ada.card_code, 400)
    with pytest.raises(PaymentError, match=r"^£1\.00 of credit is all this till knows of for M0001; the rest may "
                                           r"be at the office or another till: take the other £1\.00 another way$"):
        _pay_with_credit(till3, ada.number, ada.card_code, 200)
    assert _credit_known(till2, ada.id) == 200 and _credit_known(till3, ada.id) == 100

    for till in (till2, till3):
        till.sync()
    flags = _office_counts(hub_url, office_node, tmp_path)
    credit = [flag for flag in flags if flag.kind == "credit"]
    assert [(flag.ref_id, flag.amount) for flag in credit] == [(ada.id, -200)]
    assert credit[0].sentence.startswith("Member M0001's till credit is -£2.00 across the tills")
    # Both sales stand, in the tills' books and the office's.
    copy = open_copy(tmp_path / "till-consolidated.db")
    spent = copy.execute("select t.amount_pence from tenders t join sales s on s.id = t.sale_id "
                         "where t.kind = 'member_credit' and s.till_id in ('till-2', 'till-3') order by 1").fetchall()
    copy.close()
    assert [row[0] for row in spent] == [300, 400] and first.sale_number == second.sale_number == 1
    # Once each till has the new count, neither lets her spend what is not there.
    for till in (till2, till3):
        till.sync()
        assert _credit_known(till, ada.id) == -200
    with pytest.raises(PaymentError, match=r"^this till knows of no credit left for M0001 \(it may have been "
                                           r"spent at another till\): take £1\.00 another way$"):
        _pay_with_credit(till2, ada.number, ada.card_code, 100)
    # Stock is the society's: the tills that joined sold from the office's shelves, so none of it is flagged.
    assert [flag for flag in flags if flag.kind == "stock"] == []
    for node in (office_node, till2, till3):
        assert node.verified() == []


def test_a_till_that_is_not_the_office_does_not_decide_withdrawals_or_the_dividend(tmp_path, hub_url):
    _office, till2 = society(tmp_path, hub_url, tills=1)
    db = till2.db()
    try:
        with pytest.raises(ShareError, match=r"^share withdrawals are decided at the office \(node 1 of the hub"):
            Shares(db, ShareRules()).decide(1, Decision.approved, on=DAY, at=AT, by="test")
        from coop.dividend import CeasedMembers, DividendPlan, Dividends

        plan = DividendPlan(period_from=DAY, period_to=DAY, sum_pence=100, ceased_members=CeasedMembers.exclude,
                            parts=[])
        with pytest.raises(DividendError, match=r"^the dividend is declared at the office \(node 1 of the hub"):
            Dividends(db, ShareRules()).declare(plan, on=DAY, at=AT, by="test")
    finally:
        db.close()


def test_without_a_hub_credit_is_the_tills_own_ledger_as_before(tmp_path):
    db = open_database(tmp_path / "till.db")
    from pos.demo_shop import create_shop

    create_shop(db, at=AT)
    ada = Register(db).admit(MemberDetails(name="Ada Lovelace", address="1 High St"), on=DAY, at=AT, by="test")
    with transaction(db):
        db.execute("insert into member_credit (member_id, at, amount_pence, kind, reference) "
                   "values (?, ?, 150, 'dividend', 'd')", [ada.id, AT])
    till = Till(db, till_id="till-1")
    assert not balances.has_count(db) and till.member_credit(ada.id) == 150
    manager = till.volunteers.by_name("Sam Ortiz").id
    till.open_session(5000, operator_id=manager)
    basket = Basket()
    product = next(p for p in till.catalogue.all(active_only=True) if not p.pass_through and p.barcodes)
    while basket.total_pence < 200:
        till.scan(basket, product.barcodes[0])
    basket.attach_member(ada.number, card=True)
    with pytest.raises(PaymentError, match=r"^M0001 has £1\.50 of credit, not £2\.00$"):
        till.complete_sale(basket, [Tender(kind=TenderKind.member_credit, amount_pence=200),
                                    Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                           operator_id=manager)
    db.close()


def test_a_till_reads_the_balances_only_through_its_own_function(tmp_path, hub_url):
    _office, till2 = society(tmp_path, hub_url, tills=1)
    with connect(till2.conninfo) as conn, conn.transaction():
        assert conn.execute("select count(*) from hub.my_balances()").fetchone()[0] == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from hub.balances")


def _till(db, name: str, hour: int = 9) -> Till:
    from datetime import UTC, datetime

    return Till(db, till_id=name, clock=lambda: datetime(2026, 11, 2, hour, tzinfo=UTC),
                time_credit_categories=frozenset({"Hot drinks"}))


def _hot_drink(till: Till):
    return next(p for p in till.catalogue.all(active_only=True) if p.category == "Hot drinks")


def _code(product) -> str:
    return (product.barcodes or product.codes)[0]


def _sell(node, make) -> None:
    """One sale at `node`: `make(till, basket)` fills the basket and returns its tenders (cash for the rest)."""
    db = node.db()
    try:
        till = _till(db, node.name)
        manager = till.volunteers.by_name("Sam Ortiz").id
        if till.current_session() is None:
            till.open_session(5000, operator_id=manager)
        basket = Basket()
        tenders = make(till, basket)
        rest = basket.total_pence - sum(t.amount_pence for t in tenders)
        till.complete_sale(basket, [*tenders, *([Tender(kind=TenderKind.cash, amount_pence=rest)] if rest else [])],
                           operator_id=manager)
    finally:
        db.close()


def test_time_credits_and_the_pay_it_forward_pool_apart(tmp_path, hub_url):
    office_node, till2, till3 = society(tmp_path, hub_url)
    db = office_node.db()
    till = _till(db, "office")
    kim = till.volunteers.by_name("Sam Ortiz").id
    till.start_shift(kim)
    _till(db, "office", hour=12).sign_out(kim)  # three hours: three credits

    def paid_forward(till, basket):
        till.scan(basket, _code(_hot_drink(till)))
        basket.pay_forward(0)
        return []
    db.close()
    _sell(office_node, paid_forward)
    office_node.sync()
    assert _office_counts(hub_url, office_node, tmp_path) == []
    for node in (till2, till3):
        node.sync()
        db = node.db()
        known = _till(db, node.name)
        assert known.time_credits.balance(kim, DAY) == 3
        assert [(name, waiting) for _, name, waiting in known.paid_forward()] == [(_hot_drink(known).name, 1)]
        db.close()

    def credits_and_claim(till, basket):
        drink = _hot_drink(till)
        till.scan(basket, _code(drink))
        till.scan(basket, _code(drink))
        basket.claim(drink)
        return [Tender(kind=TenderKind.time_credits, amount_pence=till.time_credit_value(basket, 2), credits=2,
                       volunteer_id=kim)]
    _sell(till2, credits_and_claim)
    _sell(till3, credits_and_claim)  # apart: each knew of three credits and one drink waiting
    from volunteers.time_credits import CreditError

    with pytest.raises(CreditError, match=r"^that volunteer has 1 time credit, not 2$"):
        _sell(till3, credits_and_claim)
    for node in (till2, till3):
        node.sync()
    flags = _office_counts(hub_url, office_node, tmp_path)
    assert sorted((flag.kind, flag.amount) for flag in flags if flag.kind != "stock") == [("pool", -1), ("time", -1)]
    till2.sync()
    db = till2.db()
    assert _till(db, "till-2").time_credits.balance(kim, DAY) == -1
    db.close()


def test_the_office_publishes_and_lists_the_flagged_balances_from_the_command_line(demo_db, hub_url, capsys, tmp_path,
                                                                                   monkeypatch):
    import io

    from pos.cli import main

    office, till2 = ["--db", str(demo_db)], ["--db", str(tmp_path / "till-2.db")]
    assert main([*office, "hub", "init", hub_url]) == 0
    db = open_database(demo_db)
    ada = Register(db).admit(MemberDetails(name="Ada Lovelace", address="1 High St"), on=DAY, at=AT, by="test")
    with transaction(db):
        db.execute("insert into member_credit (member_id, at, amount_pence, kind, reference) "
                   "values (?, ?, 100, 'dividend', 'd')", [ada.id, AT])
    db.close()
    assert main([*office, "hub", "sync"]) == 0
    assert main([*office, "office", "pull", "--admin", hub_url]) == 0
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "till-2-credentials"))
    assert main([*till2, "hub", "join", hub_url, "--till", "till-2"]) == 0
    _pay_with_credit(None, ada.number, ada.card_code, 100, path=tmp_path / "till-2.db", till_id="till-2")
    assert main([*till2, "hub", "sync"]) == 0
    monkeypatch.delenv("TILL_HUB__CREDENTIALS")
    # Meanwhile the office, which had not heard of that sale, took the same pound.
    _pay_with_credit(None, ada.number, ada.card_code, 100, path=demo_db, till_id="till-1")
    assert main([*office, "hub", "sync"]) == 0
    capsys.readouterr()
    assert main([*office, "office", "pull", "--admin", hub_url]) == 0
    assert "went below zero: `till office balances --flagged --by NAME` lists them." in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main([*office, "office", "balances", "--flagged", "--by", "Sam Ortiz"]) == 0
    out = capsys.readouterr().out
    assert f"FLAGGED: Member {ada.number}'s till credit is -£1.00 across the tills" in out
    assert "in stock across the tills" not in out  # till-2 sold from the society's stock, which the office holds
    assert main([*office, "hub", "status"]) == 0
    assert "went below zero across the tills (sales made while apart)" in capsys.readouterr().out
    monkeypatch.setenv("TILL_HUB__CREDENTIALS", str(tmp_path / "till-2-credentials"))
    assert main([*till2, "hub", "status"]) == 0
    assert "BALANCES" not in capsys.readouterr().out  # only the office holds the society's books
