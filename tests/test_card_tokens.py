"""Member cards: a token spends the member's credit, so the till keeps no copy of it anywhere.

The attacks: read the database (or a backup) for tokens and print a working card; read the
receipts folder for a card's slip; open an old database whose tokens were kept as they are."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from contextlib import closing
from datetime import date
from pathlib import Path

from coop import cards
from coop.register import CARD_PREFIX, MemberDetails, Register
from pos.config import Settings
from pos.database import open_database
from pos.printing import send_receipt
from pos.receipts import welcome_receipt

AT = "2026-11-20T10:00:00.000000Z"
RELEASE_0_1 = Path(__file__).parent / "data" / "release-0.1" / "till.sqlite"


def _everything_in(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return "\n".join(conn.iterdump())


def test_the_database_holds_a_keyed_hash_never_the_token(tmp_path):
    key = tmp_path / "keys" / "card-key"
    cards.use_key_file(key)
    db = open_database(tmp_path / "till.db")
    register = Register(db)
    member = register.admit(MemberDetails(name="Ada Example", address="1 Green Walk"), on=date(2026, 1, 1),
                            at=AT, by="Sam")
    token = member.card_code[len(CARD_PREFIX):]
    assert register.by_card(member.card_code).id == member.id
    assert register.get(member.id).card_code is None
    db.close()
    assert token not in _everything_in(tmp_path / "till.db")  # a stolen copy of the books makes no card
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    # The database without its key: the same token no longer opens anything.
    cards.use_key_file(tmp_path / "another-key")
    assert Register(open_database(tmp_path / "till.db")).by_card(member.card_code) is None
    assert Register(open_database(tmp_path / "till.db")).by_card(CARD_PREFIX) is None


def test_an_old_database_s_tokens_become_hashes_and_its_cards_still_work(tmp_path):
    path = tmp_path / "till.db"
    shutil.copy(RELEASE_0_1, path)
    with closing(sqlite3.connect(path)) as conn:
        number, token = conn.execute("select number, card_token from members order by id limit 1").fetchone()
    cards.use_key_file(tmp_path / "card-key")
    db = open_database(path)
    assert Register(db).by_card(CARD_PREFIX + token).number == number
    assert Register(db).by_card(CARD_PREFIX + token + "x") is None
    db.close()
    assert token not in _everything_in(path)


def test_member_prints_are_shown_by_the_preview_printer_but_not_kept(tmp_path):
    cards.use_key_file(tmp_path / "card-key")
    settings = Settings(db=tmp_path / "till.db", receipts_dir=tmp_path / "receipts")
    member = Register(open_database(settings.db)).admit(MemberDetails(name="Ada Example", address="1 Green Walk"),
                                                        on=date(2026, 1, 1), at=AT, by="Sam")
    result = send_receipt(settings, welcome_receipt(member, 5, 500, settings), f"member-{member.number}")
    assert member.card_code in result.text and result.path is None
    assert not (tmp_path / "receipts").exists() or not list((tmp_path / "receipts").iterdir())


def test_a_statement_and_a_money_slip_are_not_kept_either(tmp_path):
    from pos.receipts import member_money_slip

    settings = Settings(db=tmp_path / "till.db", receipts_dir=tmp_path / "receipts")
    slip = member_money_slip("TILL CREDIT PAID", "M0001", "Ada Example", "Till credit", 250, settings,
                             paid_out=True, when="20/11/2026")
    assert slip.private
    assert send_receipt(settings, slip, "credit-M0001").path is None
    assert not (tmp_path / "receipts").exists()
