"""The accounts export's journals on a simulated demo year: each balances, the export's sales, tenders and cash
for a day are that day's Z, share capital is never takings, and nothing goes to suspense."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import beancount
from accounts.chart import AccountsSettings, Chart, component
from accounts.journals import TENDERS, export
from pos.database import open_database
from pos.reports import session_report, sessions_on
from tests.conftest import LONDON
from tests.demo_year import year_path

FIRST, LAST = date(2025, 11, 20), date(2026, 11, 19)
INCOME = ("sales_standard", "sales_reduced", "sales_zero", "sales_exempt", "refunds")
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BEAN_CHECK = Path(sys.executable).with_name("bean-check")


@pytest.fixture(scope="session")
def year(tmp_path_factory):
    """The VAT return's and the year end's demo trade (tests/demo_year.py: 400 days to 19 November 2026, with a
    dividend declared on 1 January), built once a run and never changed by a test; the journals here are its
    last 365 days."""
    db = open_database(year_path(tmp_path_factory))
    yield db
    db.close()


def journals(db, first=FIRST, last=LAST, *, registered: bool):
    return export(db, first, last, chart=Chart(), zone=LONDON, vat_registered=registered, share_value_pence=100)


@pytest.mark.parametrize("registered", [False, True])
def test_every_journal_of_the_year_balances_and_nothing_is_in_suspense(year, registered):
    found = journals(year, registered=registered)
    assert [j.narration for j in found.journals if j.balance] == []
    assert found.suspense == []  # a balancing line would be in suspense: it is not there
    assert found.unfinished == []
    sessions = year.execute("select count(distinct business_date) from sales where business_date between ? and ?",
                            [FIRST.isoformat(), LAST.isoformat()]).fetchone()[0]
    assert sum(j.till is not None for j in found.journals) == sessions == 365
    # The dividend declared on 1 January is in the society's journal of that day, given as till credit.
    society = [j for j in found.journals if j.till is None]
    assert [j.day for j in society] == [date(2026, 1, 1)]
    accounts = {p.account for p in society[0].postings}
    assert accounts == {"dividends_declared", "dividends_payable", "member_credit"}


@PROPERTY
@given(day=st.dates(FIRST, LAST), registered=st.booleans())
def test_a_days_export_is_its_z(year, day, registered):
    z = session_report(year, sessions_on(year, "till-1", day.isoformat()), zone=LONDON, vat_registered=registered)
    found = journals(year, day, day, registered=registered)
    assert all(j.balance == 0 for j in found.journals)
    totals: dict[str, int] = defaultdict(int)
    for journal in found.journals:
        for posting in journal.postings:
            totals[posting.account] += posting.amount
    income = -sum(totals[key] for key in INCOME)
    vat = -totals["output_vat"]
    assert income + vat == z.takings_pence
    assert income + vat - totals["pass_through"] == z.net_sales_pence
    assert vat == (sum(line.vat_pence for line in z.vat) if registered else 0)
    for kind, pence in z.tenders.items():
        assert sum(p.amount for j in found.journals for p in j.postings
                   if p.account == TENDERS[kind] and p.description.startswith("Taken by")) == pence
    assert totals["cash_drawer"] == z.cash_counted_pence - z.float_pence
    assert -totals["cash_over_short"] == z.cash_difference_pence
    assert -totals["community_fund"] == z.donations_pence
    # Share money is capital, never takings: it is all in share capital, and the takings above are the Z's.
    assert -totals["share_capital"] == z.share_capital_in_pence - z.share_capital_out_pence


def test_share_money_is_in_share_capital_on_the_days_it_was_taken(year):
    days = [date.fromisoformat(row[0]) for row in year.execute(
        "select distinct s.business_date from cash_movements c join till_sessions s on s.id = c.session_id"
        " where c.kind = 'share_capital_in' order by 1 limit 5")]
    assert days
    for day in days:
        postings = [p for j in journals(year, day, day, registered=False).journals for p in j.postings]
        shares = [p for p in postings if p.account == "share_capital"]
        assert shares and all(p.amount < 0 for p in shares)
        assert not any(p.account in INCOME and "share" in p.description.lower() for p in postings)


def test_the_beancount_file_passes_beancounts_own_checker(year, tmp_path):
    found = journals(year, registered=True)
    path = tmp_path / "books.beancount"
    with path.open("w") as out:
        beancount.write(found, out, chart=Chart(), first=FIRST, last=LAST)
    done = subprocess.run([BEAN_CHECK, path], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    # The checker does check: the same file with one journal a penny out is refused.
    text = path.read_text()
    broken = tmp_path / "broken.beancount"
    broken.write_text(_penny_out(text))
    done = subprocess.run([BEAN_CHECK, broken], capture_output=True, text=True)
    assert done.returncode != 0 and "balance" in (done.stdout + done.stderr).lower()


def _penny_out(text: str) -> str:
    """The first card posting a penny more: its journal no longer balances."""
    head, tail = text.split("\n  Assets:CardClearing  ", 1)
    pounds, rest = tail.split(" GBP", 1)
    pence = round(float(pounds) * 100) + 1
    return f"{head}\n  Assets:CardClearing  {pence // 100}.{pence % 100:02d} GBP{rest}"


def test_the_same_period_twice_is_the_same_file(year, tmp_path):
    texts = []
    for _ in range(2):
        path = tmp_path / "books.beancount"
        with path.open("w") as out:
            beancount.write(journals(year, registered=False), out, chart=Chart(), first=FIRST, last=LAST)
        texts.append(path.read_bytes())
    assert texts[0] == texts[1]


def test_a_reason_the_chart_does_not_know_goes_to_suspense_named_never_dropped():
    chart = Chart(AccountsSettings(reasons={"Window": "sundries"}))
    assert chart.for_reason("milk from the corner shop") == "purchases"
    assert chart.for_reason("float top-up from the safe") == "cash_safe"
    assert chart.for_reason("the window cleaner") == "sundries"
    assert chart.for_reason("a mystery") == chart.for_reason(None) == "suspense"
    assert component("Cakes and snacks") == "CakesAndSnacks" and component("7 Up") == "C7Up" and component("") == "Other"


@pytest.mark.parametrize(("section", "problem"), [
    ({"codes": {"cash_till": "090"}}, "cash_till is not a known account"),
    ({"codes": {"cash_drawer": ""}}, "must be 1 to 10 characters"),
    ({"tax_rates": {"luxury": "17.5%"}}, "luxury is not a known VAT class"),
    ({"reasons": {"milk": "dairy"}}, "dairy is not a known account"),
    ({"reasons": {"corner shop": "purchases"}}, "must be one word"),
])
def test_a_mistake_in_the_chart_is_named(section, problem):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=problem):
        AccountsSettings(**section)


def test_a_day_after_the_last_has_nothing(year):
    day = LAST + timedelta(days=1)
    assert journals(year, day, day, registered=False).journals == []


def test_the_chart_is_read_from_the_settings_file_and_is_the_societys(tmp_path, monkeypatch):
    from pos.config import ConfigError, load_settings, society_value, with_society

    config = tmp_path / "config.toml"
    config.write_text('[accounts]\ncodes = { cash_drawer = "1210" }\ntax_rates = { none = "No VAT (Outside)" }\n')
    monkeypatch.setenv("TILL_CONFIG", str(config))
    settings = load_settings()
    chart = Chart(settings.accounts)
    assert chart["cash_drawer"].code == "1210" and chart["sales_zero"].code == "202"
    assert chart.tax_rates["none"] == "No VAT (Outside)" and chart.tax_rates["zero"] == "Zero Rated Income"
    # At the office a manager sets it for every till, checked as the file's would be.
    value = society_value(settings, "accounts.codes", '{ sales_zero = "4010" }')
    assert Chart(with_society(settings, {"accounts.codes": value}).accounts)["sales_zero"].code == "4010"
    with pytest.raises(ConfigError, match="cash_till is not a known account"):
        society_value(settings, "accounts.codes", '{ cash_till = "1" }')
    config.write_text("[accounts]\ncode = {}\n")  # misspelt: refused, not left at the defaults
    with pytest.raises(ConfigError, match="code"):
        load_settings()
