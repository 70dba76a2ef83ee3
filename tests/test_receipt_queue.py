"""Receipts a printer refused: listed with what went wrong, and printed again, oldest first."""

from __future__ import annotations

import pytest

from core.errors import TillError
from pos.basket import Basket
from pos.receipt_queue import ReceiptQueue
from pos.tenders import Tender, TenderKind
from printers.send import PrinterUnavailable, PrintResult
from printers.spec import PreviewSpec
from tests.tui.conftest import BEANS, MILK, demo_shop


@pytest.fixture
def shop(tmp_path):
    shop = demo_shop(tmp_path)
    shop.operator = next(v for v in shop.volunteers.all() if v.role == "volunteer").id
    shop.till.open_session(5000, operator_id=shop.operator)
    return shop


def sell(shop, *codes, cash=2000):
    basket = Basket()
    for code in codes:
        shop.till.scan(basket, code)
    return shop.till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=cash)],
                                   operator_id=shop.operator)


class Recorder:
    """Stands in for a printer: takes receipts until told to refuse."""

    def __init__(self, refuse_from: int | None = None):
        self.names: list[str] = []
        self.refuse_from = refuse_from

    def __call__(self, receipt, name):
        if self.refuse_from is not None and len(self.names) >= self.refuse_from:
            raise PrinterUnavailable("The printer at 10.0.0.9:9100 did not answer within 5 seconds")
        self.names.append(name)
        return PrintResult(PreviewSpec(), text=f"receipt {receipt.barcode}")


def test_only_receipts_a_printer_refused_are_owed_with_what_went_wrong(shop):
    first, second, third = sell(shop, BEANS), sell(shop, MILK, BEANS), sell(shop, MILK)
    queue = ReceiptQueue(shop)
    assert queue.owed() == []  # pending: the till is still printing them
    shop.till.receipts.failed(first.id, "The printer at 10.0.0.9:9100 refused the connection")
    shop.till.receipts.failed(second.id, "out of paper")
    shop.till.receipts.failed(second.id, "The printer at 10.0.0.9:9100 did not answer within 5 seconds")
    shop.till.receipts.printed(third.id)
    owed = queue.owed()
    assert [(r.sale_number, r.total_pence, r.attempts, r.kind) for r in owed] == [(1, 95, 1, "sale"),
                                                                                   (2, 240, 2, "sale")]
    assert owed[1].last_error.endswith("did not answer within 5 seconds")
    assert owed[0].created_at == first.created_at
    line = owed[1].describe(shop.settings.zone)
    assert line.startswith("Sale 2  20 Nov 10:00  £2.40") and "did not answer" in line
    assert len(owed) == shop.till.receipts.failed_count()


def test_another_tills_receipts_are_not_listed(shop):
    from pos.shop import Shop

    sale = sell(shop, BEANS)
    shop.till.receipts.failed(sale.id, "printer off")
    till_2 = Shop(settings=shop.settings.model_copy(update={"till_id": "till-2"}), db=shop.db, clock=shop.clock)
    assert ReceiptQueue(till_2).owed() == [] and len(ReceiptQueue(shop).owed()) == 1


def test_printing_them_again_marks_each_printed_oldest_first(shop):
    sales = [sell(shop, BEANS), sell(shop, MILK), sell(shop, BEANS, BEANS)]
    for sale in sales:
        shop.till.receipts.failed(sale.id, "printer off")
    printer = Recorder()
    outcome = ReceiptQueue(shop).print_owed(printer)
    assert printer.names == ["till-1-1", "till-1-2", "till-1-3"]  # the originals: the customer never had one
    assert [r.sale_number for r in outcome.printed] == [1, 2, 3] and outcome.error is None and outcome.left == 0
    assert outcome.previews == ["receipt till-1/1", "receipt till-1/2", "receipt till-1/3"]
    assert ReceiptQueue(shop).owed() == [] and shop.till.receipts.waiting() == []


def test_a_refusal_stops_the_round_and_keeps_the_rest_owed(shop):
    sales = [sell(shop, BEANS), sell(shop, MILK), sell(shop, BEANS, BEANS)]
    for sale in sales:
        shop.till.receipts.failed(sale.id, "printer off")
    outcome = ReceiptQueue(shop).print_owed(Recorder(refuse_from=1))
    assert [r.sale_number for r in outcome.printed] == [1]
    assert outcome.failed.sale_number == 2 and "did not answer" in outcome.error and outcome.left == 2
    owed = ReceiptQueue(shop).owed()
    assert [(r.sale_number, r.attempts) for r in owed] == [(2, 2), (3, 1)]  # sale 3 was not tried
    assert "did not answer" in owed[0].last_error and owed[1].last_error == "printer off"


def test_one_chosen_receipt_can_be_printed(shop):
    sales = [sell(shop, BEANS), sell(shop, MILK)]
    for sale in sales:
        shop.till.receipts.failed(sale.id, "printer off")
    printer = Recorder()
    outcome = ReceiptQueue(shop).print_owed(printer, sale_numbers=[2])
    assert printer.names == ["till-1-2"] and outcome.left == 1
    assert [r.sale_number for r in ReceiptQueue(shop).owed()] == [1]


def test_a_sale_that_is_not_owed_is_refused_and_nothing_printed(shop):
    sale = sell(shop, BEANS)
    shop.till.receipts.printed(sale.id)
    printer = Recorder()
    with pytest.raises(TillError, match="sale 1's receipt is not waiting to print"):
        ReceiptQueue(shop).print_owed(printer, sale_numbers=[1])
    with pytest.raises(TillError, match="sale 99's receipt is not waiting to print"):
        ReceiptQueue(shop).print_owed(printer, sale_numbers=[99])
    assert printer.names == []


def test_nothing_owed_prints_nothing(shop):
    sell(shop, BEANS)
    outcome = ReceiptQueue(shop).print_owed(Recorder(refuse_from=0))
    assert outcome.printed == [] and outcome.failed is None and outcome.left == 0


def test_the_settings_printer_prints_to_the_preview_folder(shop, tmp_path):
    sale = sell(shop, BEANS)
    shop.till.receipts.failed(sale.id, "printer off")
    outcome = ReceiptQueue(shop).print_owed(shop.printer())
    assert "Baked beans" in (tmp_path / "receipts" / "till-1-1.txt").read_text()
    assert "Baked beans" in outcome.previews[0]
    with pytest.raises(TillError, match="not a kind of printer"):
        shop.printer("fax:0123")
