"""The newest benchmarks run to their last line on a small demo database: a benchmark that only breaks when
someone runs it by hand (a role renamed, a table moved) is found here instead. Nothing is timed here."""

from __future__ import annotations

import pytest

from benchmarks.run import UNTIL, ZONE, bench_z_report
from pos.database import open_database
from pos.demo_shop import give_demo_pins
from pos.demo_trade import simulate


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "cafe.db"
    db = open_database(path)
    simulate(db, days=21, seed=1, until=UNTIL, till_id="till-1", zone=ZONE)
    give_demo_pins(db)
    db.close()
    return path


def test_the_shop_floor_benchmark_runs_to_its_ratios(small):
    from benchmarks import shop_floor

    said: list = []
    shop_floor.bench(small, 2, say=lambda name, value: said.append((name, value)), until=UNTIL)
    assert {"stocktake_save_ratio", "reorder_list_ratio"} <= {name for name, _ in said}


def test_the_z_report_benchmark_runs_with_the_vat_warning(small, capsys):
    bench_z_report(small, 2)
    out = capsys.readouterr().out
    assert "z_report_ratio:" in out and "z_with_vat_warning_ratio:" in out


def test_the_dashboard_benchmark_runs_to_its_ratio(small):
    from benchmarks.web_dashboard import bench_dashboard

    said: list = []
    bench_dashboard(small, 2, say=lambda name, value: said.append((name, value)), zone=ZONE, until=UNTIL)
    assert {"web_dashboard_ratio", "web_dashboard_exact_ratio"} <= {name for name, _ in said}
