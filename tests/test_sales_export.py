import csv
import io
import json
from datetime import date

from pos.basket import Basket
from pos.sales_export import COLUMNS, sale_lines, write_csv, write_json
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON

CONTRACT = ["sale_number", "till", "time", "date", "operator", "member_number", "product", "quantity",
            "unit_price_pence", "discount_pence", "line_total_pence", "vat_class"]


def test_the_documented_columns_come_first_in_order():
    assert COLUMNS[: len(CONTRACT)] == CONTRACT


def test_rows_for_sales_and_refunds(till, staff, clock):
    clock.set("2026-11-20T10:15:00")
    basket = Basket()
    till.scan(basket, "K2", 2)
    basket.attach_member("M7")
    till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=360)], operator_id=staff["volunteer"].id)
    till.refund(1, operator_id=staff["manager"].id, reason="stale", quantities={1: 1})
    rows = list(sale_lines(till.db, date(2026, 11, 20), date(2026, 11, 20), zone=LONDON))
    assert [(r["sale_number"], r["quantity"], r["line_total_pence"], r["kind"]) for r in rows] == [
        (1, 2, 360, "sale"), (2, -1, -180, "refund")]
    first = rows[0]
    assert first["time"] == "2026-11-20T10:15:00+00:00" and first["date"] == "2026-11-20"
    assert first["operator"] == "Val Test" and first["member_number"] == "M7"
    assert first["vat_class"] == "zero" and first["unit_price_pence"] == 180
    assert rows[1]["refund_of_sale_number"] == 1
    assert list(sale_lines(till.db, date(2026, 11, 21), date(2026, 11, 30), zone=LONDON)) == []


def test_summer_time_is_shown_as_local_time(db, clock, staff, products):
    from pos.till import Till

    clock.set("2026-07-01T09:30:00")
    till = Till(db, clock=clock, zone=LONDON)
    till.open_session(0, operator_id=staff["manager"].id)
    basket = Basket()
    till.scan(basket, "T1")
    till.complete_sale(basket, [Tender(kind=TenderKind.card, amount_pence=120)], operator_id=staff["manager"].id)
    row = next(sale_lines(db, date(2026, 7, 1), date(2026, 7, 1), zone=LONDON))
    assert row["time"] == "2026-07-01T09:30:00+01:00"
    assert db.execute("select created_at from sales").fetchone()[0] == "2026-07-01T08:30:00.000000Z"


def test_csv_and_json_writers(till, staff):
    basket = Basket()
    till.scan(basket, "T1")
    till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)], operator_id=staff["volunteer"].id)
    day = date(2026, 11, 20)
    out = io.StringIO()
    assert write_csv(sale_lines(till.db, day, day, zone=LONDON), out) == 1
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert parsed[0]["line_total_pence"] == "120" and parsed[0]["eat_in"] == "no"
    out = io.StringIO()
    write_json(sale_lines(till.db, day, day, zone=LONDON), out)
    assert json.loads(out.getvalue())[0]["product"] == "Tea"
    out = io.StringIO()
    write_json(iter([]), out)
    assert json.loads(out.getvalue()) == []
