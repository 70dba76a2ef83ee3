import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.tenders import PaymentError, Tender, TenderKind, quick_cash_amounts, settle

cash = lambda p: Tender(kind=TenderKind.cash, amount_pence=p)  # noqa: E731
card = lambda p: Tender(kind=TenderKind.card, amount_pence=p)  # noqa: E731


def test_cash_gives_change():
    result = settle(385, [cash(1000)])
    assert result.change_pence == 615
    assert result.tenders[0].amount_pence == 385


def test_split_card_and_cash():
    result = settle(1000, [card(600), cash(500)])
    assert result.change_pence == 100
    assert [t.amount_pence for t in result.tenders] == [600, 400]


def test_short_payment_says_what_is_left():
    with pytest.raises(PaymentError, match="£1.00 still to pay"):
        settle(500, [cash(400)])


@pytest.mark.parametrize("kind", [TenderKind.card, TenderKind.healthy_start, TenderKind.voucher])
def test_only_cash_may_exceed_the_total(kind):
    with pytest.raises(PaymentError, match="only cash"):
        settle(500, [Tender(kind=kind, amount_pence=600)])


def test_no_cashback_on_healthy_start_even_with_cash():
    with pytest.raises(PaymentError):
        settle(500, [Tender(kind=TenderKind.healthy_start, amount_pence=450), card(100)])


def test_tenders_must_be_positive():
    with pytest.raises(ValueError):
        cash(0)


def test_quick_amounts():
    assert quick_cash_amounts(385) == [385, 500, 1000, 2000]
    assert quick_cash_amounts(1500) == [1500, 2000]


@given(st.integers(0, 100_000), st.lists(st.tuples(st.sampled_from(list(TenderKind)), st.integers(1, 50_000)), max_size=4))
def test_settlement_arithmetic(total, offered):
    tenders = [Tender(kind=k, amount_pence=a) for k, a in offered]
    try:
        result = settle(total, tenders)
    except PaymentError:
        non_cash = sum(a for k, a in offered if k != TenderKind.cash)
        assert non_cash > total or sum(a for _, a in offered) < total
        return
    assert sum(t.amount_pence for t in result.tenders) == total
    assert result.change_pence >= 0
    assert result.change_pence <= sum(a for k, a in offered if k == TenderKind.cash)
    assert all(t.amount_pence >= 0 for t in result.tenders)
