import pytest

from core.errors import TillError
from pos.basket import Basket
from pos.config import Settings, Society
from pos.receipts import build_receipt, parse_sale_reference
from pos.tenders import Tender, TenderKind
from printers.render import to_text


@pytest.fixture
def settings(tmp_path):
    return Settings(db=tmp_path / "x.db", society=Society(name="Estate Café", address="1 Green Walk\nTownsville"))


def sale_of(till, staff, codes, tenders, **basket):
    b = Basket(**basket)
    for code in codes:
        till.scan(b, code)
    return till.complete_sale(b, tenders, operator_id=staff["volunteer"].id)


def test_cash_receipt_has_the_shop_items_tenders_change_and_a_drawer_kick(till, staff, settings):
    sale = sale_of(till, staff, ["T1", "K2", "K2"], [Tender(kind=TenderKind.cash, amount_pence=1000)],
                   member_number="M12")
    receipt = build_receipt(sale, settings, operator="Val Test")
    assert receipt.header[:3] == ["Estate Café", "1 Green Walk", "Townsville"]
    assert [(i.name, i.amount, i.details) for i in receipt.items] == [
        ("Tea", "£1.20", []), ("Slice of cake", "£3.60", ["2 x £1.80"])]
    assert receipt.totals[-1].amount == "£4.80" and receipt.totals[-1].bold
    assert [(t.text, t.amount) for t in receipt.tenders] == [("Cash", "£10.00"), ("Change", "£5.20")]
    assert receipt.open_drawer and receipt.barcode == "till-1/1"
    assert ("Member", "M12") in [(m.text, m.amount) for m in receipt.meta]
    assert receipt.vat == []
    assert "Served by" in to_text(receipt, 32)


def test_vat_receipt_shows_the_number_and_each_rate(till, staff, settings):
    settings.society.vat_registered = True
    settings.society.vat_number = "GB123456789"
    sale = sale_of(till, staff, ["T1", "K2", "STAMP"], [Tender(kind=TenderKind.card, amount_pence=465)])
    receipt = build_receipt(sale, settings, operator="Val Test")
    assert "VAT no. GB123456789" in receipt.header
    assert [(v.text, v.amount) for v in receipt.vat] == [
        ("20% on £1.20", "£0.20"), ("0% on £1.80", "£0.00"), ("No VAT (collected for others) £1.65", "")]
    assert not receipt.open_drawer


def test_refund_and_copy_titles(till, staff, settings):
    sale_of(till, staff, ["K2"], [Tender(kind=TenderKind.cash, amount_pence=180)])
    refund = till.refund(1, operator_id=staff["manager"].id, reason="stale")
    receipt = build_receipt(refund, settings, operator="Morgan Test", original_number=1, copy=True)
    assert receipt.title == "REFUND of sale 1 - COPY"
    assert receipt.items[0].amount == "-£1.80" and not receipt.open_drawer


def test_discounts_are_shown(till, staff, settings):
    b = Basket()
    till.scan(b, "K2")
    b.discount_line(0, 30, "staff", approved_by=staff["manager"].id)  # 17 %: above the volunteer limit
    sale = till.complete_sale(b, [Tender(kind=TenderKind.cash, amount_pence=150)], operator_id=staff["volunteer"].id)
    receipt = build_receipt(sale, settings, operator="Val")
    assert receipt.items[0].details == ["Discount (staff) -£0.30"]
    assert ("You saved", "£0.30") in [(t.text, t.amount) for t in receipt.totals]


@pytest.mark.parametrize("text, expected", [("12", ("till-1", 12)), (" till-2/7 ", ("till-2", 7))])
def test_sale_references(text, expected):
    assert parse_sale_reference(text, "till-1") == expected


@pytest.mark.parametrize("text", ["", "abc", "till-1/", "0", "-3"])
def test_bad_sale_references(text):
    with pytest.raises(TillError, match="not a sale number"):
        parse_sale_reference(text, "till-1")


def test_member_savings_are_shown(till, staff, settings):
    b = Basket()
    till.scan(b, "K2")
    b.attach_member("M0001", {"": 10})
    sale = till.complete_sale(b, [Tender(kind=TenderKind.cash, amount_pence=162)], operator_id=staff["volunteer"].id)
    receipt = build_receipt(sale, settings, operator="Val")
    assert receipt.notes == ["Members save £0.18 today"]
    assert "Members save £0.18 today" in to_text(receipt, 32)


def test_whats_on_at_the_centre_changes_each_week_in_turn(till, staff, settings, clock):
    from datetime import timedelta

    from pos.config import CentreSettings

    settings = settings.model_copy(update={"centre": CentreSettings(whats_on=[
        "Stay and play, Tuesdays 10am", {"text": "Baby weigh-in, Thursdays", "qr": "https://example.org/weigh-in"}])})
    seen = []
    for _ in range(3):
        sale = sale_of(till, staff, ["T1"], [Tender(kind=TenderKind.card, amount_pence=120)])
        receipt = build_receipt(sale, settings, operator="Val Test")
        seen.append((next(n for n in receipt.notes if n.startswith("What's on")), receipt.qr))
        clock.moment += timedelta(days=7)
    assert seen[0] != seen[1] and seen[0] == seen[2]
    assert ("What's on at the centre: Baby weigh-in, Thursdays", "https://example.org/weigh-in") in seen
    assert "What's on at the centre" in to_text(receipt, 32)
