"""A till that sells as fast as it can, for the crash and two-till tests: run as its own process.

    python -m tests.workers.sell DB TILL_ID SALES SEED

Rings up each basket a line at a time, handing the open basket to the till's saver after each
line as the till screen does (pos.basket_saver writes it from a thread of its own), then takes
cash. Every seventh sale refunds an earlier one. After each sale or refund is committed it
prints "done TILL/NUMBER", so the parent knows what the till said was done.
"""

from __future__ import annotations

import random
import sys

from pos.basket import Basket
from pos.database import open_database
from pos.tenders import Tender, TenderKind
from pos.till import Till


def main(path: str, till_id: str, sales: int, seed: int) -> int:
    db = open_database(path)
    till = Till(db, till_id=till_id)
    rng = random.Random(seed)
    manager = till.volunteers.by_name("Sam Ortiz").id
    if till.current_session() is None:
        till.open_session(5000, operator_id=manager)
    codes = [(p.barcodes or p.codes)[0] for p in till.catalogue.all(active_only=True) if not p.pass_through]
    done = []
    for n in range(sales):
        basket = Basket()
        for code in rng.choices(codes, k=rng.randint(1, 4)):
            till.scan(basket, code)
            till.keep_open_basket_soon(basket, operator_id=manager)  # from its own thread, as the screen does
        if rng.random() < 0.1:
            basket.round_up()
        sale = till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence + 100)],
                                  operator_id=manager)
        done.append(sale.sale_number)
        print(f"done {till_id}/{sale.sale_number}", flush=True)
        if n % 7 == 6:  # the customer comes straight back: refund it all
            refund = till.refund(sale.sale_number, operator_id=manager, reason="changed their mind")
            print(f"done {till_id}/{refund.sale_number}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
