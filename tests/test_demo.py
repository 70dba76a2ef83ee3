from datetime import date

from inventory.stock import Stock
from pos.demo_shop import create_shop, demo_barcode
from pos.demo_trade import simulate
from pos.reports import session_report, sessions_on
from tests.conftest import LONDON


def test_demo_barcodes_are_valid_and_distinct():
    from inventory.barcodes import normalise_barcode

    codes = [demo_barcode(i) for i in range(40)]
    assert len(set(codes)) == 40 and all(normalise_barcode(c) == c for c in codes)


def test_a_simulated_fortnight_is_consistent(db):
    summary = simulate(db, days=14, seed=3, until=date(2026, 11, 19), till_id="till-1", zone=LONDON)
    assert summary.days == 14 and summary.sales > 1000 and summary.refunds and summary.voids
    # Every sale's lines add up to its total, and its tenders pay exactly that.
    assert db.execute("""select count(*) from sales s where total_pence !=
                         (select sum(line_total_pence) from sale_lines where sale_id = s.id)
                         + (select coalesce(sum(amount_pence), 0) from donations where sale_id = s.id)""").fetchone()[0] == 0
    assert db.execute("select count(*) from donations").fetchone()[0] > 0
    assert db.execute("select count(*) from sale_lines where claimed").fetchone()[0] > 0
    assert db.execute("""select count(*) from sales s where total_pence !=
                         (select coalesce(sum(amount_pence), 0) from tenders where sale_id = s.id)""").fetchone()[0] == 0
    # Stock on hand is exactly its movements, and sales moved what they sold.
    # (An item paid forward leaves the shelf when it is claimed, not when it is paid for.)
    sold = dict(db.execute("""select product_id, sum(quantity) from sale_lines l join products p on p.id = l.product_id
                              where p.stock_tracked = 1 and not l.pay_forward group by product_id""").fetchall())
    moved = dict(db.execute("""select product_id, -sum(quantity) from stock_movements
                               where kind in ('sale', 'refund') group by product_id""").fetchall())
    assert sold == moved
    # Every day was closed with a Z, and the counted cash is near what was expected.
    for day in ("2026-11-06", "2026-11-19"):
        z = session_report(db, sessions_on(db, "till-1", day), zone=LONDON, vat_registered=False)
        assert z.kind == "Z" and abs(z.cash_difference_pence) <= 100
    assert db.execute("pragma synchronous").fetchone()[0] == 2
    tenders = {row[0] for row in db.execute("select distinct kind from tenders")}
    assert tenders == {"cash", "card", "healthy_start", "voucher", "time_credits"}
    assert Stock(db).levels()


def test_create_shop_leaves_an_existing_catalogue_alone(db, products):
    assert create_shop(db, at="2026-01-01T00:00:00.000000Z") is False
    assert db.execute("select count(*) from products").fetchone()[0] == len(products)
    assert db.execute("select count(*) from volunteers").fetchone()[0] == 7  # six volunteers and one of the centre's staff
