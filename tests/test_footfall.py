"""Footfall, signposting and what leaves for the centre: counts, marks, undo, and no personal data."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from centre.directory import Directory, parse_services
from centre.export import prepare, to_csv, to_html, to_json
from centre.figures import gather
from centre.footfall import Footfall, Person
from centre.signposting import Signposting
from core.errors import TillError
from pos.basket import Basket
from pos.errors import USER_ERRORS
from pos.tenders import Tender, TenderKind
from tests.conftest import LONDON

DATA = Path(__file__).parent / "data" / "oruk"


@pytest.fixture
def centre(till, clock, db):
    Directory(db).import_services(parse_services([("page.json", (DATA / "page.json").read_bytes())]),
                                  directory="green-lane", at=till.now())
    return {"footfall": Footfall(db, till_id="till-1", zone=LONDON, clock=clock),
            "signposting": Signposting(db, till_id="till-1", clock=clock)}


def sell(till, staff, *, member=None, family=False, first=False):
    basket = Basket()
    till.scan(basket, "T1")
    basket.member_number = member
    basket.family_under5, basket.first_visit = family, first
    return till.complete_sale(basket, [Tender(kind=TenderKind.cash, amount_pence=120)],
                              operator_id=staff["volunteer"].id)


def test_taps_marks_and_undo(centre, staff, till):
    footfall = centre["footfall"]
    val = staff["volunteer"].id
    footfall.tap(Person.adult, volunteer_id=val)
    footfall.tap(Person.under5, volunteer_id=val)
    footfall.mark_last(family_under5=True, first_visit=True)
    footfall.tap("child", volunteer_id=val)
    assert footfall.undo_last().kind == Person.child  # a wrong tap
    sell(till, staff)
    assert footfall.today() == {"adult": 1, "child": 0, "under5": 1, "visits": 1}
    footfall.undo_last()
    footfall.undo_last()
    with pytest.raises(TillError, match="no tap today"):
        footfall.undo_last()


def test_signposting_recent_first_undo_and_consent_only_with_a_member(centre, staff, db, till):
    signposting = centre["signposting"]
    val = staff["volunteer"].id
    services = {s.name: s.ref for s in signposting.choices()}
    assert list(services)[:2] == ["Estate Credit Union", "Health visitor drop-in"]  # by name at first
    signposting.record(services["Stay and play"], volunteer_id=val, family_under5=True)
    assert signposting.choices()[0].name == "Stay and play"  # recent ones first
    assert [s.name for s in signposting.choices("credit")] == ["Estate Credit Union"]
    assert signposting.undo_last(volunteer_id=val).name == "Stay and play"
    with pytest.raises(USER_ERRORS, match="no member number M9999"):
        signposting.record(services["Stay and play"], volunteer_id=val, contact_member="M9999")
    toy_library = next(s for s in Directory(db).all() if s.name == "Toy library")
    with pytest.raises(TillError, match="no longer in the directory"):
        signposting.record(toy_library.ref, volunteer_id=val)
    rows = db.execute("select contact_member, consent_at, undone_at from signposts").fetchall()
    assert len(rows) == 1 and rows[0][0] is None and rows[0][1] is None and rows[0][2] is not None


def test_figures_count_sales_taps_and_signposts_by_local_day(centre, staff, till, clock, db):
    val = staff["volunteer"].id
    sell(till, staff, member="M0001", family=True, first=True)
    sell(till, staff)
    refund_of = sell(till, staff)
    till.refund(refund_of.sale_number, operator_id=staff["manager"].id, reason="x")  # a refund is no visit
    centre["footfall"].tap(Person.adult, volunteer_id=val)
    ref = centre["signposting"].choices("health")[0].ref
    centre["signposting"].record(ref, volunteer_id=val, family_under5=True)
    clock.moment = datetime(2026, 11, 21, 0, 30, tzinfo=LONDON)  # after midnight: the next local day
    centre["footfall"].tap(Person.child, volunteer_id=val)
    figures = gather(db, date(2026, 11, 20), date(2026, 11, 21), zone=LONDON)
    friday, saturday = figures.daily[date(2026, 11, 20)], figures.daily[date(2026, 11, 21)]
    assert (friday["visits"], friday["member_visits"], friday["non_member_visits"]) == (3, 1, 2)
    assert (friday["families_under5"], friday["first_visits"], friday["adults"]) == (1, 1, 1)
    assert (friday["signposts"], friday["signposts_under5"], saturday["children"]) == (1, 1, 1)
    assert figures.by_hour[10] == 4 and figures.by_hour[0] == 1


def test_the_export_holds_counts_only_under_disclosure_control(centre, staff, till, clock, db):
    val = staff["volunteer"].id
    for n in range(23):
        sell(till, staff, member=None if n % 3 else "M0001", family=n % 4 == 0)
    for _ in range(3):
        centre["footfall"].tap(Person.under5, volunteer_id=val)
    ref = centre["signposting"].choices("stay")[0].ref
    for _ in range(7):
        centre["signposting"].record(ref, volunteer_id=val)
    clock.moment += timedelta(days=3)
    for _ in range(6):
        sell(till, staff)
    figures = gather(db, date(2026, 11, 16), date(2026, 11, 29), zone=LONDON)
    published = prepare(db, figures, threshold=5, society="Green Lane Café", generated_at=clock())
    document = json.loads(to_json(published))
    assert document["schema_version"] == 2 and document["disclosure"]["threshold"] == 5
    values = [v for row in document["daily"] + document["weekly"] for k, v in row.items()
              if k not in ("date", "start", "end")] + list(document["total"].values())
    values += [v for s in document["signposting"] for v in [*s["weeks"].values(), s["total"]]]
    assert all(v == 0 or (isinstance(v, int) and v >= 5 and v % 5 == 0) or v in ("<5", "[c]") for v in values)
    friday = next(row for row in document["daily"] if row["date"] == "2026-11-20")
    assert friday["visits"] in (20, 25) and friday["under5s"] == "<5"  # 23 nudged by -2..2, rounded; 3 taps hidden
    rows = list(csv.DictReader(io.StringIO(to_csv(published))))
    assert {r["period"] for r in rows} == {"day", "week", "total"}
    page = to_html(published)
    for text in (to_csv(published), to_json(published), page):
        for private in ("M0001", "Val Test", "Morgan Test", "card", "token"):
            assert private not in text
    assert "<script src" not in page and "http" not in page.split("</style>")[0]


def test_under_disclosure_control_the_bars_give_nothing_away():
    from centre.report_text import bars

    drawn = lambda v: 0 if 0 < v < 5 else (v + 2) // 5 * 5  # noqa: E731
    lines = bars([("a", 1), ("b", 4), ("c", 18), ("d", 22)], show=str, drawn=drawn)
    assert lines[0].count("█") == lines[1].count("█") == 0
    assert lines[2].count("█") == lines[3].count("█")  # both published as 20
