"""`till accounts export --all-tills` at the office, on a real hub: every till's journals from the consolidated
copy, each the journal that till's own books give."""

from __future__ import annotations

import csv
import io

from accounts.chart import Chart
from accounts.journals import export
from pos.cli import main
from tests.hub.shared_tills import society
from tests.hub.test_office import ZONE
from tests.hub.test_office_books import _pin, _pull, _sell
from tests.test_cli import typed


def _own(node, day):
    """One till's journals from its own books, as (till, account, pence) postings."""
    db = node.db()
    try:
        found = export(db, day, day, chart=Chart(), zone=ZONE, vat_registered=False, share_value_pence=100)
        return sorted((j.till, p.account, p.amount) for j in found.journals for p in j.postings)
    finally:
        db.close()


def test_every_tills_journals_from_the_offices_copy(tmp_path, hub_url, capsys, monkeypatch):
    hq, till2, till3 = society(tmp_path, hub_url)
    day = _sell(hq, "office", [None, None])
    _sell(till2, "till-2", [None, None, None])
    _sell(till3, "till-3", [None])
    for node in (hq, till2, till3):
        node.sync()
    _pull(hub_url, hq.path, own=hq.path)
    _pin(hq.path)

    export_day = ["--db", str(hq.path), "accounts", "export", "--from", day.isoformat(), "--to", day.isoformat(),
                  "--by", "Sam Ortiz"]
    typed(monkeypatch, "1111")
    assert main([*export_day, "--all-tills"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["till"] for row in rows} == {"office", "till-2", "till-3"}
    assert sorted((row["till"], row["account"], int(row["amount_pence"])) for row in rows) == \
        sorted(posting for node in (hq, till2, till3) for posting in _own(node, day))
    assert "records arrived late" in err
    # Without --all-tills, the office's own till only.
    typed(monkeypatch, "1111")
    assert main(export_day) == 0
    assert {row["till"] for row in csv.DictReader(io.StringIO(capsys.readouterr().out))} == {"office"}
