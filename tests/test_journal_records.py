"""The journal reaches every record: what an insider with the sqlite3 shell changes in the register, the
team, the catalogue, stock, the rota, the directory, footfall or the audit log, `till verify` names; what
the till itself changes stays as recorded. Each attack is kept here as the statements that made it."""

import json
from datetime import date

import pytest

from core import journal, records
from core.database import transaction
from pos.database import open_database
from tests.test_journal import check, shell  # the insider's shell, and `till verify` as they would run it

AT = "2026-11-19T16:00:00.000000Z"


@pytest.fixture
def books(demo_db):
    """The demo shop, with the kinds of record three days of demo trade do not make: a certificate,
    a signposting with a member's consent to be contacted, and a member's phone number changed."""
    from coop.register import Register
    from volunteers.certificates import Certificates

    db = open_database(demo_db)
    Certificates(db).record(2, "Food hygiene", certified_on=date(2026, 1, 5), expires_on=date(2029, 1, 5), by=1, at=AT)
    register = Register(db)
    member = register.get(1)
    register.update(1, member.model_copy(update={"phone": "07700 900123", "phone_purpose": "rota"}), at=AT, by="Sam Ortiz", on=date(2026, 11, 19))
    with transaction(db):
        db.execute("insert into signposts (at, till_id, volunteer_id, service_ref, contact_member, consent_at)"
                   " values (?, 'till-1', 2, 1, ?, ?)", [AT, member.number, AT])
    assert journal.verify(db) == []
    db.close()
    return demo_db


VOLUNTEER = "(select min(id) from volunteers where role = 'volunteer')"
SALE_MOVE = "(select min(id) from stock_movements where sale_id is not null)"
ATTACKS = {
    "rename a volunteer (every sale they rang up changes hands)":
        (["update volunteers set name = 'Someone Else' where id = 2"], "volunteer 2 (journal entry"),
    "promote a volunteer by copying a manager's PIN hash and role":
        ([f"update volunteers set role = 'manager', pin_hash = (select pin_hash from volunteers where instr(role, 'manager')"
          f" limit 1) where id = {VOLUNTEER}"], "volunteer "),
    "delete the whole audit log": (["delete from audit_log"], "audit log entry 1 (journal entry"),
    "change a member's address": (["update members set address = '9 Elsewhere' where id = 3"],
                                  "register entry of member id 3"),
    "change a stock movement's quantity": (["update stock_movements set quantity = quantity - 5 where id ="
                                            " (select max(id) from stock_movements where sale_id is null)"],
                                           "stock movement "),
    "add a stock movement by hand": (["insert into stock_movements (product_id, kind, quantity, created_at) values"
                                      " (1, 'correction', 50, '2026-11-19')"], "stock movement "),
    # A sale's stock movements are part of its journal record: the sale is named.
    "change the stock a sale moved": ([f"update stock_movements set quantity = quantity - 5 where id = {SALE_MOVE}"],
                                      "sale till-"),
    "delete the stock a sale moved": ([f"delete from stock_movements where id = {SALE_MOVE}"], "sale till-"),
    "add a movement to a sale by hand, with its sale id": (
        ["insert into stock_movements (product_id, kind, quantity, created_at, sale_id) select product_id, kind,"
         f" quantity, created_at, sale_id from stock_movements where id = {SALE_MOVE}"], "sale till-"),
    "add a movement to a sale by hand, with a made-up sale id": (
        ["insert into stock_movements (product_id, kind, quantity, created_at, sale_id) values"
         " (1, 'sale', -50, '2026-11-19', (select min(id) from sales))"], "sale till-"),
    "add a movement naming a sale there is not": (
        ["insert into stock_movements (product_id, kind, quantity, created_at, sale_id) values"
         " (1, 'goods_in', 50, '2026-11-19', 999999)"], "stock movement "),
    "unlink a sale's stock from it": ([f"update stock_movements set sale_id = null where id = {SALE_MOVE}"],
                                      "sale till-"),
    "change a price": (["update prices set price_pence = price_pence + 10 where id = 4"], "price 4"),
    "undo a tally by hand": (["update tallies set undone_at = '2026-11-19T17:00:00.000000Z' where id = 5"],
                             "footfall tally 5"),
    "change a donation's time": (["update donations set created_at = '2026-11-18T09:00:00.000000Z'"
                                  " where id = (select min(id) from donations)"], "sale till-"),
    "delete a product code": (["delete from product_codes where product_id = 2"], "codes of product 2"),
    "change a member's phone": (["update members set phone = '07700 900999' where id = 1"],
                                "register entry of member id 1"),
    "rewrite a register change": (["update member_changes set new_value = '07700 900999' where field = 'phone'"],
                                  "register change"),
    "backdate a certificate": (["update training set expires_on = '2031-01-05'"], "training record 1"),
    "move a signposting's consent to another member": (
        ["update signposts set contact_member = (select number from members where id = 2)"
         " where contact_member is not null"], "signpost "),
    "add a product by hand": (["insert into products (name, category, vat_class, served_hot, catering, healthy_start,"
                               " stock_tracked, pass_through, active, created_at) values ('Free lunch', 'Café',"
                               " 'zero', 0, 0, 0, 0, 0, 1, '2026-11-19')"], "is not in the journal"),
    "change a rota slot": (["update rota_slots set needed = 9 where id = 1"], "rota slot 1"),
    "change a service's address on the web": (["update services set url = 'https://phish.example' where id = 1"],
                                              "directory service 1"),
    "delete a member's salt": (["delete from person_salts where person = 'member 1'"], "register entry of member id 1"),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_edit_with_the_sqlite3_shell_is_caught_and_the_record_named(books, capsys, attack):
    statements, named = ATTACKS[attack]
    shell(books, *statements)
    code, out = check(books, capsys)
    assert code == 1 and named in out, out


def test_the_tills_next_commit_does_not_seal_a_hand_edit(books):
    shell(books, "update volunteers set name = 'Someone Else' where id = 2")
    db = open_database(books)
    with transaction(db):  # the till writes something else
        db.execute("update products set reorder_level = 3 where id = 1")
    problems = journal.verify(db)
    assert [p.what for p in problems if "volunteer 2" in p.what], problems


def test_the_tills_own_changes_pass_verify(books, capsys):
    from centre.footfall import Footfall
    from coop.personal_data import erase
    from core.clock import SimulatedClock
    from inventory.products import Catalogue
    from volunteers.people import Role, Volunteers

    db = open_database(books)
    before = db.execute("select count(*) from journal").fetchone()[0]
    Volunteers(db).update(2, name="Jo Beckford-Smith", role=Role.shift_lead)
    Catalogue(db).set_price(4, 275, at=AT)
    number = db.execute("select number from members where id = 1").fetchone()[0]
    erase(db, number, at=AT, by="Sam Ortiz", today=date(2026, 11, 19))
    clock = SimulatedClock(__import__("datetime").datetime.fromisoformat("2026-11-19T12:00:00+00:00"))
    footfall = Footfall(db, till_id="till-1", zone=__import__("zoneinfo").ZoneInfo("Europe/London"), clock=clock)
    with transaction(db):
        db.execute("insert into tallies (at, till_id, volunteer_id, kind) values ('2026-11-19T11:00:00.000000Z',"
                   " 'till-1', 2, 'adult')")
    footfall.undo_last()
    with transaction(db):  # a code the till takes away: its product's codes are journalled as removed
        db.execute("delete from product_codes where product_id = 3")
    kinds = [row[0] for row in db.execute("select kind from journal where id > ?", [before])]
    assert {"volunteer", "price", "member", "member_change", "signpost", "tally", "codes"} <= set(kinds)
    newest = db.execute("select digest from journal where kind = 'codes' and ref_id = 3 order by id desc").fetchone()
    assert newest[0] == records.REMOVED
    assert journal.verify(db) == []
    db.close()
    assert check(books, capsys)[0] == 0


def test_a_change_that_changes_nothing_adds_no_entry(books):
    db = open_database(books)
    before = db.execute("select count(*) from journal").fetchone()[0]
    with transaction(db):
        db.execute("update products set name = name where id = 1")
        # A working field is not a record: a wrong PIN counted adds nothing either.
        db.execute("update volunteers set failed_pins = failed_pins + 1 where id = 2")
    assert db.execute("select count(*) from journal").fetchone()[0] == before


def test_an_erased_members_salt_is_gone_and_their_details_cannot_be_matched(books, capsys):
    from coop.personal_data import erase

    db = open_database(books)
    number = db.execute("select number from members where id = 1").fetchone()[0]
    old_salt = db.execute("select salt from person_salts where person = 'member 1'").fetchone()[0]
    old_digests = [row[0] for row in db.execute("select digest from journal where kind in ('member', 'member_change')"
                                                " and ref_id in (1, (select id from member_changes where member_id = 1))")]
    erase(db, number, at=AT, by="Sam Ortiz", today=date(2026, 11, 19))
    new_salt = db.execute("select salt from person_salts where person = 'member 1'").fetchone()[0]
    assert new_salt != old_salt
    assert old_salt not in json.dumps(db.execute("select * from person_salts").fetchall())
    assert journal.verify(db) == []
    # Nothing the journal holds now comes from the erased salt: the newest entries use the new one.
    assert records.digests(db, "member", [1])[1] not in old_digests
    db.close()
    shell(books, "update members set phone = '07700 900000' where id = 1")
    code, out = check(books, capsys)
    assert code == 1 and "register entry of member id 1" in out


def test_personal_details_are_in_a_digest_only_salted(books):
    import hashlib

    db = open_database(books)
    salt = db.execute("select salt from person_salts where person = 'member 1'").fetchone()[0]
    row = db.execute("select phone from members where id = 1").fetchone()
    content = records.CHANGING["member"]
    values = db.execute(f"select {', '.join(content.columns)} from members where id = 1").fetchone()
    plain = hashlib.sha256(json.dumps({"member": list(values)}, sort_keys=True, separators=(",", ":"))
                           .encode()).hexdigest()
    newest = db.execute("select digest from journal where kind = 'member' and ref_id = 1 order by id desc").fetchone()
    # The journal's digest is not that of the plain row (which could be tried against guessed phone numbers)…
    assert newest[0] != plain and row[0] == "07700 900123"
    # …it is that of the salted one.
    salted = [hashlib.sha256((salt + json.dumps(v)).encode()).hexdigest() if c in content.personal else v
              for c, v in zip(content.columns, values)]
    assert newest[0] == hashlib.sha256(json.dumps({"member": salted}, sort_keys=True, separators=(",", ":"))
                                       .encode()).hexdigest()


def test_a_sale_is_sealed_with_its_donation_times_and_an_old_entry_with_the_columns_it_had(books):
    db = open_database(books)
    sale = db.execute("select sale_id from donations order by id limit 1").fetchone()[0]
    entry, version, recorded = db.execute("select id, version, digest from journal where kind = 'sale' and ref_id = ?",
                                          [sale]).fetchone()
    assert version == journal.CURRENT["sale"] and recorded == journal.digest(db, "sale", sale, version)
    assert "created_at" not in json.dumps(journal.content(db, "sale", sale, 1)["donations"])
    assert journal.digest(db, "sale", sale, 1) != recorded  # version 1 did not cover the donation's time


def test_every_record_is_reachable_by_its_global_key(books):
    from core.node import node_id

    db = open_database(books)
    entries = journal.entries_after(db)
    assert [e.number for e in entries] == list(range(1, len(entries) + 1))
    assert all(e.key == f"{node_id(db)}:{e.number}" for e in entries)
    reached = {(e.kind, e.ref_id) for e in entries}
    for kind in records.CHANGING:
        assert {(kind, ref) for ref in records.keys(db, kind)} <= reached, kind
    later = journal.entries_after(db, entries[-3].number)
    assert [e.number for e in later] == [entries[-2].number, entries[-1].number]
    assert len(journal.entries_after(db, 0, limit=5)) == 5
