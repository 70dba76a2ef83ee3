"""The society's shared records across an office and two tills at a real hub: what one changes reaches
the others, numbers made apart never collide, a role changed at a till waits for the office, and every
till's books still verify."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.types.json import Jsonb

from coop.register import MemberDetails, Register
from core.ids import node_number
from hub import SCHEMA_VERSION, HubError, approvals, local
from hub.connect import connect
from hub.shared import ADDRESS_ELSEWHERE
from inventory.products import Catalogue
from tests.hub.shared_tills import AT, society
from volunteers.people import Role, Volunteers

_SHARED = {"products": "select id, name, vat_class, active from products order by id",
           "prices": "select id, product_id, price_pence from prices order by id",
           "codes": "select code, product_id, kind from product_codes order by code",
           "members": "select id, number, name, card_hash, admitted_on from members order by id",
           "volunteers": "select id, name, role, pin_hash from volunteers order by id",
           "rota": "select id, weekday, starts, ends from rota_slots order by id"}


def shared(node) -> dict:
    db = node.db()
    try:
        return {name: db.execute(query).fetchall() for name, query in _SHARED.items()}
    finally:
        db.close()


def test_a_new_till_gets_everything_and_a_price_changed_at_one_till_reaches_the_other(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    assert shared(till2) == shared(office) == shared(till3)
    assert shared(office)["products"] and shared(office)["volunteers"] and shared(office)["rota"]
    db = till2.db()
    assert node_number(db) == 2
    product = Catalogue(db).all(active_only=True)[0]
    Catalogue(db).set_price(product.id, product.price_pence + 25, at=AT)
    new_price = db.execute("select max(id) from prices").fetchone()[0]
    assert 2_000_000_000 < new_price < 3_000_000_000  # made in till 2's own block
    db.close()
    till2.sync()
    till3.sync()
    office.sync()
    for node in (office, till3):
        db = node.db()
        assert Catalogue(db).get(product.id).price_pence == product.price_pence + 25, node.name
        db.close()
    assert shared(till2) == shared(office) == shared(till3)
    for node in (office, till2, till3):
        assert node.verified() == [], node.name


def test_members_joining_at_each_till_while_apart_get_distinct_numbers_and_reach_everyone(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    made = {}
    for node, name in ((till2, "Ada Lovelace"), (till3, "Alan Turing"), (office, "Grace Hopper")):
        db = node.db()
        member = Register(db).admit(MemberDetails(name=name, address="1 High St"), on=_day(), at=AT, by="test")
        made[node.name] = member
        db.close()
    assert made["till-2"].number == "M2-0001" and made["till-3"].number == "M3-0001"
    assert made["office"].number.startswith("M0")
    assert len({m.id for m in made.values()}) == len({m.number for m in made.values()}) == 3
    assert 2_000_000_000 < made["till-2"].id < 3_000_000_000 < made["till-3"].id < 4_000_000_000
    for _ in range(2):  # the second round brings down what the others sent in the first
        for node in (till2, till3, office):
            node.sync()
    assert shared(till2)["members"] == shared(office)["members"] == shared(till3)["members"]
    db = office.db()
    # A card printed at till 2 works at the office; the address stays at till 2.
    found = Register(db).by_card(made["till-2"].card_code)
    assert found.number == "M2-0001" and found.address == ADDRESS_ELSEWHERE
    db.close()
    for node in (office, till2, till3):
        assert node.verified() == [], node.name


def test_a_role_changed_at_a_till_waits_for_the_office(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    db = till2.db()
    volunteer = next(v for v in Volunteers(db).all() if v.role == Role.volunteer)
    Volunteers(db).update(volunteer.id, role=Role.manager)
    db.close()
    till2.sync()
    till3.sync()
    db = till3.db()
    assert Volunteers(db).get(volunteer.id).role == Role.volunteer  # not before the office approves
    db.close()
    with connect(till3.conninfo) as conn, pytest.raises(HubError, match="only the office"):
        approvals.waiting(conn)
    with connect(till2.conninfo) as conn, pytest.raises(HubError, match="only the office"):
        approvals.decide(conn, 1, approve=True, by="till 2 itself")
    with connect(office.conninfo) as conn:
        waiting = approvals.waiting(conn)
        assert [(w.volunteer_id, w.role, w.till_id, w.pin_changed) for w in waiting] == [
            (volunteer.id, "manager", "till-2", False)]
        approvals.decide(conn, waiting[0].id, approve=True, by="Sam Ortiz")
        with pytest.raises(HubError, match="no change"):
            approvals.decide(conn, waiting[0].id, approve=True, by="Sam Ortiz")
        assert approvals.waiting(conn) == []
    for node in (till3, office, till2):
        node.sync()
        db = node.db()
        assert Volunteers(db).get(volunteer.id).role == Role.manager, node.name
        db.close()
        assert node.verified() == [], node.name


def test_a_pull_applied_twice_changes_nothing_and_nothing_comes_back_as_new(tmp_path, hub_url):
    _, till2, _ = society(tmp_path, hub_url)
    db = till2.db()
    entries = db.execute("select count(*) from journal").fetchone()[0]
    assert entries > 0  # the first pull was journaled like any change
    before = shared(till2)
    db.execute("update hub_pulled set revision = 0")  # as if the mark were lost: the whole pull again
    db.conn.commit()
    db.close()
    revisions = _revisions(hub_url)
    pushed, pulled = till2.sync()
    assert pulled > 0 and shared(till2) == before
    db = till2.db()
    assert db.execute("select count(*) from journal").fetchone()[0] == entries
    db.close()
    assert pushed > 0 and _revisions(hub_url) == revisions  # its journal went up; no revision came of it
    assert till2.verified() == []


def test_a_tills_role_reads_only_what_it_is_sent(tmp_path, hub_url):
    office, till2, _ = society(tmp_path, hub_url)
    db = office.db()
    Register(db).admit(MemberDetails(name="Ada Lovelace", address="1 High St", phone="01234 567890",
                                     phone_purpose="rota"), on=_day(), at=AT, by="test")
    db.close()
    office.sync()
    with psycopg.connect(till2.conninfo, autocommit=True) as conn:
        for table in ("hub.records", "hub.shared", "hub.pending", "hub.nodes"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"select * from {table} limit 1")
        rows = conn.execute("select kind, data from hub.pull(0, 100000)").fetchall()
    members = [data for kind, data in rows if kind == "member"]
    assert members and all(set(data) & {"address", "email", "phone", "date_of_birth"} == set() for data in members)
    assert all("emergency_contact" not in data for kind, data in rows if kind == "volunteer")
    assert {kind for kind, _ in rows} <= {"product", "price", "codes", "member", "volunteer", "training", "rota_slot",
                                          "rota_entry", "service"}


def _revisions(hub_url: str) -> int:
    with psycopg.connect(hub_url) as conn:
        return conn.execute("select count(*) from hub.shared").fetchone()[0]


def _day():
    from datetime import date

    return date(2026, 11, 2)


def test_a_hub_made_by_the_version_before_numbers_its_tills_founding_node_first(hub_url):
    from hub.schema import MIGRATIONS, migrate

    with psycopg.connect(hub_url, autocommit=True) as conn:
        conn.execute("create schema hub")
        conn.execute("create table hub.schema_version (version int primary key, applied_at timestamptz not null "
                     "default now())")
        conn.execute(MIGRATIONS[1])
        conn.execute("insert into hub.schema_version (version) values (1)")
        conn.execute("insert into hub.society (id, name, founding_node) values (1, 'Co-op', 'office')")
        # The office registered between the two tills: it is still number 1.
        roles = {node: f"r_{uuid.uuid4().hex[:12]}" for node in ("a-till", "office", "z-till")}
        for node, role in roles.items():
            conn.execute(f"create role {role}")
            conn.execute("insert into hub.nodes (node_id, role, till_id) values (%s, %s, %s)", [node, role, node])
        assert migrate(conn) == SCHEMA_VERSION
        assert conn.execute("select node_id, number from hub.nodes order by number").fetchall() == [
            ("office", 1), ("a-till", 2), ("z-till", 3)]
        # Tills registered before may pull too.
        assert conn.execute("select has_function_privilege(%s, 'hub.pull(bigint, int)', 'execute')",
                            [roles["z-till"]]).fetchone()[0]
        # … and read the balances the office publishes (version 3).
        assert conn.execute("select has_function_privilege(%s, 'hub.my_balances()', 'execute')",
                            [roles["a-till"]]).fetchone()[0]
        conn.execute(f"drop owned by {', '.join(roles.values())}")
        conn.execute(f"drop role {', '.join(roles.values())}")


def test_a_till_making_records_in_another_nodes_block_is_not_shared_and_is_alerted(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    db = till2.db()
    db.execute("update node set number = 1")  # a till claiming the office's block: its new ids would collide
    db.conn.commit()
    from inventory.products import ProductDetails, VatClass

    made = Catalogue(db).add(ProductDetails(name="Flapjack", category="Cake", vat_class=VatClass.standard),
                             price_pence=150, at=AT)
    db.close()
    assert made.id < 2_000_000_000
    with pytest.raises(HubError, match="its ids would collide"):
        till2.sync()
    till3.sync()
    db = till3.db()
    assert db.execute("select count(*) from products where name = 'Flapjack'").fetchone()[0] == 0
    db.close()
    with psycopg.connect(hub_url) as conn:
        alerts = [row[0] for row in conn.execute("select what from hub.alerts")]
    assert f"till till-2 sent a new product {made.id} outside its own block of ids: it is not shared" in alerts


def test_the_hub_knows_each_plain_records_columns_as_the_journal_digests_them():
    from core.records import CHANGING
    from hub.schema_shared import _PLAIN

    assert {kind: CHANGING[kind].columns for kind in _PLAIN} == _PLAIN


def test_shared_data_that_is_not_what_the_journal_recorded_is_not_shared(tmp_path, hub_url):
    office, till2, till3 = society(tmp_path, hub_url)
    db = till2.db()
    product = Catalogue(db).all(active_only=True)[0]
    Catalogue(db).set_price(product.id, product.price_pence + 25, at=AT)
    price = db.execute("select max(id) from prices").fetchone()[0]
    rows = local.batch(db, local.mark(db), 10_000)
    db.close()
    sent = next(row for row in rows if row["kind"] == "price" and row["ref_id"] == price)
    sent["data"]["price_pence"] = 1  # what a tampered till would send beside the true body
    with connect(till2.conninfo) as conn, conn.transaction():
        conn.execute("select hub.push(%s, %s)", [_node(till2), Jsonb(rows)])
    till3.sync()
    db = till3.db()
    assert db.execute("select count(*) from prices where id = ?", [price]).fetchone()[0] == 0
    db.close()
    with psycopg.connect(hub_url) as conn:
        alerts = [row[0] for row in conn.execute("select what from hub.alerts")]
    assert f"till till-2 sent price {price} with values that are not the ones its journal recorded: it is not " \
           "shared" in alerts


def _node(node) -> str:
    from core.node import node_id

    db = node.db()
    try:
        return node_id(db)
    finally:
        db.close()
