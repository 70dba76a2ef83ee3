"""Training mode: a trainee does everything on a copy; nothing they do reaches the real books."""

from __future__ import annotations

from pos.basket import Basket
from pos.tenders import Tender, TenderKind
from printers.render import to_text
from tests.tui.conftest import BEANS, demo_shop

COUNTED = ["sales", "sale_lines", "tenders", "stock_movements", "till_sessions", "cash_movements",
           "shifts", "donations", "receipt_queue", "voids"]


def counts(db) -> dict[str, int]:
    return {table: db.execute(f"select count(*) from {table}").fetchone()[0] for table in COUNTED}


def test_nothing_done_in_training_reaches_the_real_shop(tmp_path):
    shop = demo_shop(tmp_path)
    jo = shop.volunteers.by_name("Jo Beckford")
    sam = shop.volunteers.by_name("Sam Ortiz")
    before = counts(shop.db)
    practice = shop.practice_copy()
    assert practice.practising and not shop.practising and practice.settings.db != shop.settings.db
    practice.till.sign_in(jo.id, "3333")
    practice.till.open_session(5000, operator_id=jo.id)
    basket = Basket()
    practice.till.scan(basket, BEANS)
    practice.till.scan(basket, "T1")
    basket.donate(20)
    sale = practice.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=1000)], operator_id=jo.id)
    practice.till.refund(sale.sale_number, operator_id=sam.id, reason="practice")
    practice.till.close_session(5000, operator_id=sam.id)
    assert counts(practice.db)["sales"] == before["sales"] + 2
    assert counts(shop.db) == before
    receipt = to_text(practice.receipt(sale), 42)
    assert receipt.count("TRAINING - NOT A RECEIPT") == 2
    assert practice.receipt(sale).barcode is None and not practice.receipt(sale).open_drawer
    folder = practice.settings.db.parent
    practice.close()
    assert not folder.exists()
    assert counts(shop.db) == before
    shop.close()
    assert shop.settings.db.exists()  # closing the real shop never removes anything


def test_wrong_pins_in_training_count_towards_the_real_lockout(tmp_path):
    import pytest

    from volunteers.people import LockedOut, WrongPin

    shop = demo_shop(tmp_path)
    sam = shop.volunteers.by_name("Sam Ortiz")
    for _ in range(3):  # a fresh copy each time must not give a fresh set of guesses
        practice = shop.practice_copy()
        for _ in range(2):
            with pytest.raises((WrongPin, LockedOut)):
                practice.till.approve(sam.id, "0000", __import__("volunteers.permissions").permissions.Action.refund)
        practice.close()
    with pytest.raises(LockedOut):
        shop.till.sign_in(sam.id, "1111")


def test_training_sales_have_their_own_numbers(tmp_path):
    shop = demo_shop(tmp_path)
    practice = shop.practice_copy()
    assert practice.till.till_id == "training" and practice.till.current_session() is None
    practice.close()
