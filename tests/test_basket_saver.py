"""The open basket saved from a thread of its own (pos.basket_saver): merged, in order, and never
landing after the sale it belonged to was finished. Real files, real threads, no Textual."""

from __future__ import annotations

import threading

from core.errors import TillError
from pos.basket import Basket
from pos.basket_saver import BasketSaver, write_open_basket
from pos.tenders import Tender, TenderKind


class GatedWrite:
    """The real write, held at the door until let through: a disk as slow as the test needs."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.go = threading.Event()
        self.seen: list[str | None] = []

    def __call__(self, db, till_id, basket_json, operator_id, at) -> None:
        self.seen.append(basket_json)
        self.started.set()
        assert self.go.wait(10)
        write_open_basket(db, till_id, basket_json, operator_id, at)


def stored(db) -> str | None:
    row = db.execute("select basket_json from open_baskets where till_id = 'till-1'").fetchone()
    return row[0] if row else None


def test_saves_handed_over_while_one_is_written_are_merged_into_the_newest(db, db_path):
    gate = GatedWrite()
    saver = BasketSaver(db_path, "till-1", write=gate)
    saver.keep('{"n": 1}', operator_id=1, at="t1")
    assert gate.started.wait(10)  # the first is being written (its fsync, say) ...
    for n in range(2, 7):  # ... while five more scans come in
        assert saver.keep(f'{{"n": {n}}}', operator_id=1, at=f"t{n}") is None
    gate.go.set()
    saver.flush()
    assert gate.seen == ['{"n": 1}', '{"n": 6}']  # in order; the four in between never written
    assert (saver.written, saver.merged) == (2, 4)
    assert stored(db) == '{"n": 6}'
    assert saver._thread is None  # no thread while there is nothing to write
    saver.keep(None, operator_id=1, at="t7")  # emptied: forgotten
    saver.close()
    assert stored(db) is None


def test_a_sale_finished_while_a_save_is_on_its_way_never_comes_back_as_open(till, staff):
    gate = GatedWrite()
    basket = Basket()
    till.scan(basket, "T1")
    till.keep_open_basket_soon(basket, operator_id=staff["volunteer"].id)  # the saver starts
    till._basket_saver.flush()
    till._basket_saver._write = gate
    till.scan(basket, "T1")
    till.keep_open_basket_soon(basket, operator_id=staff["volunteer"].id)
    assert gate.started.wait(10)
    till.scan(basket, "T1")
    till.keep_open_basket_soon(basket, operator_id=staff["volunteer"].id)  # waits behind it
    threading.Timer(0.2, gate.go.set).start()  # the disk finishes a moment after the sale is asked for
    till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                       operator_id=staff["volunteer"].id)
    till._basket_saver.flush()
    assert till.open_basket() is None
    assert len(gate.seen) == 1  # the one waiting was dropped: the sale had it all


def test_money_taken_is_saved_at_once_and_no_older_basket_lands_after_it(till, staff):
    gate = GatedWrite()
    basket = Basket()
    till.scan(basket, "T1")
    till.keep_open_basket_soon(basket, operator_id=staff["volunteer"].id)
    till._basket_saver.flush()
    till._basket_saver._write = gate
    till.scan(basket, "T1")
    till.keep_open_basket_soon(basket, operator_id=staff["volunteer"].id)
    assert gate.started.wait(10)
    till.scan(basket, "T1")
    till.keep_open_basket_soon(basket, operator_id=staff["volunteer"].id)
    basket.taken = [Tender(kind=TenderKind.card, amount_pence=100)]
    threading.Timer(0.2, gate.go.set).start()
    till.keep_open_basket(basket, operator_id=staff["volunteer"].id)
    till._basket_saver.flush()
    restored = till.open_basket()
    assert restored.lines[0].quantity == 3 and [t.amount_pence for t in restored.taken] == [100]


def test_a_save_that_failed_is_said_at_the_next_one(tmp_path):
    path = tmp_path / "not-a-till.db"
    path.write_bytes(b"")  # no till database here: the saver's connection cannot open it
    saver = BasketSaver(path, "till-1")
    assert saver.keep('{"n": 1}', operator_id=1, at="t1") is None
    saver.flush()
    failure = saver.keep('{"n": 2}', operator_id=1, at="t2")
    assert isinstance(failure, TillError) and "no till database" in str(failure)
    saver.flush()
