"""The VAT return (pos/vat_return.py) and the registration threshold (pos/vat_turnover.py): the return is the
Zs added up, catering follows the till's rules, refunds reduce it, and an unregistered society is warned on
the X and Z once its rolling turnover passes the warning share of the threshold."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.basket import Basket
from pos.config import load_settings
from pos.database import open_database
from pos.report_text import render_report
from pos.reports import session_report, sessions_on
from pos.tenders import Tender, TenderKind
from pos.vat_return import vat_return, whole_pounds
from pos.vat_turnover import report_warning, taxable_pence, turnover, twelve_months_to
from tests.conftest import LONDON
from tests.demo_year import UNTIL, year_path

START = UNTIL - timedelta(days=399)


@pytest.fixture(scope="module")
def year_db(tmp_path_factory):
    db = open_database(year_path(tmp_path_factory))
    yield db
    db.close()


def zs_vat(db, first: date, last: date) -> tuple[int, int]:
    """Box 1 and the exact box 6, counted from each day's Z as `till report z` makes it."""
    vat = net = 0
    day = first
    while day <= last:
        ids = sessions_on(db, "till-1", day.isoformat())
        if ids:
            for line in session_report(db, ids, zone=LONDON, vat_registered=True).vat:
                vat += line.vat_pence
                net += line.net_pence
        day += timedelta(days=1)
    return vat, net


def test_a_quarters_boxes_are_its_zs_added_up(year_db):
    first, last = date(2026, 4, 1), date(2026, 6, 30)
    found = vat_return(year_db, first, last, zone=LONDON, vat_number="GB1")
    vat, net = zs_vat(year_db, first, last)
    assert vat > 0 and found.box(1).pence == vat == found.box(3).pence
    assert found.box(6).pence == whole_pounds(net) and sum(w.net_pence for w in found.workings) == net
    assert found.zs == 91 and found.open_sessions == []
    assert {w.rate for w in found.workings} >= {"20%", "0%"}
    assert [found.box(n).pence for n in (2, 8, 9)] == [0, 0, 0]
    assert all(found.box(n).pence is None and "purchase records" in found.box(n).note for n in (4, 5, 7))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 390), st.integers(0, 60))
def test_any_period_agrees_with_its_zs(year_db, offset, length):
    first = START + timedelta(days=offset)
    last = min(first + timedelta(days=length), UNTIL)
    found = vat_return(year_db, first, last, zone=LONDON, vat_number="GB1")
    vat, net = zs_vat(year_db, first, last)
    assert (found.box(1).pence, sum(w.net_pence for w in found.workings)) == (vat, net)


def test_whole_pounds_leaves_the_pence_off():
    assert [whole_pounds(p) for p in (0, 99, 100, 12_345, -150)] == [0, 0, 100, 12_300, -100]


def sell(till, staff, codes, eat_in=False):
    basket = Basket(eat_in=eat_in)
    for code in codes:
        till.scan(basket, code)
    return till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=basket.total_pence)],
                              operator_id=staff["volunteer"].id)


def test_catering_follows_eat_in_take_away_and_hot_and_refunds_reduce_it(till, staff):
    sell(till, staff, ["K2"])                    # cold cake taken away: zero-rated, £1.80
    sell(till, staff, ["K2"], eat_in=True)       # eaten in: standard, £1.80 with 30p VAT
    sell(till, staff, ["T1"])                    # hot drink taken away: standard, £1.20 with 20p VAT
    sell(till, staff, ["STAMP", "5000000000029"])  # a stamp is outside VAT; beans are zero-rated, 95p
    till.refund(2, operator_id=staff["manager"].id, reason="dropped", quantities={1: 1})
    till.close_session(5000 + 180 + 180 + 120 + 260 - 180, operator_id=staff["manager"].id)
    today = date(2026, 11, 20)
    found = vat_return(till.db, today, today, zone=LONDON, vat_number="GB1")
    rates = {w.vat_class: (w.gross_pence, w.vat_pence) for w in found.workings}
    assert rates == {"standard": (120, 20), "zero": (180 + 95, 0)}  # the eat-in cake refunded
    assert found.box(1).pence == 20 and found.box(6).pence == 300  # £3.75 net: whole pounds
    assert taxable_pence(till.db, today, today) == 120 + 180 + 95  # no stamp


def test_an_open_session_is_named_and_left_out(till, staff):
    sell(till, staff, ["T1"])
    found = vat_return(till.db, date(2026, 11, 20), date(2026, 11, 20), zone=LONDON, vat_number="GB1")
    assert found.open_sessions == ["till-1 on 2026-11-20"] and found.box(1).pence == 0


def test_the_rolling_turnover_counts_taxable_sales_only(year_db):
    last = date(2026, 9, 30)
    first = twelve_months_to(last)
    assert first == date(2025, 10, 1) and twelve_months_to(date(2028, 2, 29)) == date(2027, 3, 1)
    counted = 0
    for total, pass_through, vat_class, day in year_db.execute(
            "select l.line_total_pence, l.pass_through, l.vat_class, s.business_date"
            " from sale_lines l join sales s on s.id = l.sale_id"):
        if first.isoformat() <= day <= last.isoformat() and not pass_through and vat_class != "exempt":
            counted += total
    assert turnover(year_db, load_settings(), last).taxable_pence == counted > 9_000_000


def _threshold(db, last: date, percent: int):
    """Settings whose threshold puts the turnover to `last` at `percent` of it."""
    taxable = taxable_pence(db, twelve_months_to(last), last)
    return load_settings().model_copy(update={"vat": load_settings().vat.model_copy(
        update={"registration_threshold_pence": taxable * 100 // percent})})


def test_the_x_and_z_warn_past_80_percent_of_the_threshold(year_db):
    day = date(2026, 6, 30)
    near, far = _threshold(year_db, day, 81), _threshold(year_db, day, 79)
    said = report_warning(year_db, near, day)
    assert said is not None and "81% of the" in said and "registration threshold" in said
    assert report_warning(year_db, far, day) is None
    registered = near.model_copy(update={"society": near.society.model_copy(
        update={"vat_registered": True, "vat_number": "GB1"})})
    assert report_warning(year_db, registered, day) is None  # registered: no threshold to watch
    z = session_report(year_db, sessions_on(year_db, "till-1", day.isoformat()), zone=LONDON, vat_registered=False)
    text = render_report(z, notes=[said])
    assert "VAT: taxable sales in the 12 months to 30/06/2026" in " ".join(text.split())
    assert all(len(line) <= 42 for line in text.splitlines())


def test_the_screen_and_the_z_command_carry_the_warning(demo_db, capsys, monkeypatch):
    from pos.cli import main
    from pos.shop import Shop
    from tests.conftest import DEMO_UNTIL

    db = open_database(demo_db)
    day = date.fromisoformat(DEMO_UNTIL)
    settings = _threshold(db, day, 85).model_copy(update={"db": demo_db})
    shop = Shop(settings=settings, db=db)
    z = shop.report_for(sessions_on(db, "till-1", DEMO_UNTIL)[0])
    assert ["85%" in note for note in shop.report_notes(z)] == [True]  # what the cash-up screen shows
    threshold = settings.vat.registration_threshold_pence
    db.close()
    monkeypatch.setenv("TILL_VAT__REGISTRATION_THRESHOLD_PENCE", str(threshold))
    assert main(["--db", str(demo_db), "report", "z", "--date", DEMO_UNTIL]) == 0
    assert "85% of the" in " ".join(capsys.readouterr().out.split())
    monkeypatch.setenv("TILL_VAT__REGISTRATION_THRESHOLD_PENCE", str(threshold * 2))
    assert main(["--db", str(demo_db), "report", "z", "--date", DEMO_UNTIL]) == 0
    assert "VAT:" not in capsys.readouterr().out


def run(capsys, monkeypatch, pin, *argv):
    from pos.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{pin}\n"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_gives_text_and_json_to_a_manager_only(tmp_path_factory, capsys, monkeypatch):
    path = str(year_path(tmp_path_factory))
    period = ["--from", "2026-04-01", "--to", "2026-06-30"]
    code, _, err = run(capsys, monkeypatch, "1111", "--db", path, "vat", "return", *period, "--by", "Sam Ortiz")
    assert code == 1 and "not VAT registered" in err and "till vat turnover" in err
    monkeypatch.setenv("TILL_SOCIETY__VAT_REGISTERED", "true")
    monkeypatch.setenv("TILL_SOCIETY__VAT_NUMBER", "GB999999973")
    code, _, err = run(capsys, monkeypatch, "2222", "--db", path, "vat", "return", *period, "--by", "Priya Kell")
    assert code == 1 and "needs a manager" in err
    code, out, _ = run(capsys, monkeypatch, "1111", "--db", path, "vat", "return", *period, "--by", "Sam Ortiz",
                       "--json")
    data = json.loads(out)
    db = open_database(path)
    vat, net = zs_vat(db, date(2026, 4, 1), date(2026, 6, 30))
    db.close()
    assert code == 0 and [b["number"] for b in data["boxes"]] == list(range(1, 10))
    assert data["boxes"][0]["pence"] == vat and data["boxes"][5]["pence"] == whole_pounds(net)
    assert data["vat_number"] == "GB999999973" and data["boxes"][3]["pence"] is None
    code, out, _ = run(capsys, monkeypatch, "1111", "--db", path, "vat", "return", *period, "--by", "Sam Ortiz")
    assert code == 0 and "Box 4  VAT reclaimed on purchases and other inputs: from your purchase records" in out
    assert "Workings by rate" in out and "flat rate scheme" in out


def test_the_turnover_command(demo_db, capsys, monkeypatch):
    from tests.conftest import DEMO_UNTIL

    code, out, _ = run(capsys, monkeypatch, "1111", "--db", str(demo_db), "vat", "turnover", "--to", DEMO_UNTIL,
                       "--by", "Sam Ortiz", "--json")
    data = json.loads(out)
    db = open_database(demo_db)
    assert code == 0 and data["taxable_pence"] == taxable_pence(db, date(2025, 11, 20), date(2026, 11, 19)) > 0
    db.close()
    assert data["threshold_pence"] == 9_000_000 and data["near"] is False
    code, out, _ = run(capsys, monkeypatch, "1111", "--db", str(demo_db), "vat", "turnover", "--to", DEMO_UNTIL,
                       "--by", "Sam Ortiz")
    assert code == 0 and "registration threshold of £90,000.00" in out and "Not counted: exempt" in out
