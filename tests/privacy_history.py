"""A long demo history for the privacy tests, kept as its true daily figures (tests/data/centre-history.json).

399 days (57 whole weeks, Monday 27 Oct 2025 to Sunday 29 Nov 2026) of the demo trade generator
(pos/demo_trade.py, seed 14): simulating it again takes longer than the attack itself, so its true
figures are kept instead. `python -m tests.privacy_history --record DB` writes them from a database
made by `pos.demo_trade.simulate(db, days=399, seed=14, until=date(2026, 11, 29), till_id="demo",
zone=Europe/London)`.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from centre.directory import Service
from centre.figures import MEASURES, Figures

HISTORY = Path(__file__).parent / "data" / "centre-history.json"


def load() -> Figures:
    kept = json.loads(HISTORY.read_text())
    first = date.fromisoformat(kept["first"])
    figures = Figures(first=first, last=first + timedelta(days=len(kept["daily"]) - 1))
    for n, row in enumerate(kept["daily"]):
        figures.daily[first + timedelta(days=n)] = Counter(dict(zip(MEASURES, row)))
    for ref, service_id, name in kept["services"]:
        figures.services[ref] = Service(ref=ref, directory="demo-directory", service_id=service_id, name=name,
                                        organization_name=None, status="active", retired=False)
    for ref, n, count in kept["signposts"]:
        figures.signposts[(ref, first + timedelta(days=n))] = count
    return figures


def record(path: str) -> None:
    from zoneinfo import ZoneInfo

    from centre.figures import gather
    from pos.database import open_database

    figures = gather(open_database(path), date(2025, 10, 27), date(2026, 11, 29), zone=ZoneInfo("Europe/London"))
    HISTORY.write_text(json.dumps({
        "first": figures.first.isoformat(),
        "measures": list(MEASURES),
        "daily": [[figures.daily[d][m] for m in MEASURES] for d in figures.days],
        "services": [[ref, s.service_id, s.name] for ref, s in sorted(figures.services.items())],
        "signposts": [[ref, (day - figures.first).days, n] for (ref, day), n in sorted(figures.signposts.items())],
    }, separators=(",", ":")) + "\n")


if __name__ == "__main__" and sys.argv[1:2] == ["--record"]:
    record(sys.argv[2])
