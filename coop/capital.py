"""Share capital over time, for the treasurer: the share ledger's money in and out, added up by day or by
month. Shares bought bring money in; shares given as a dividend are capital with no money paid (their value
is shown at the share's value); withdrawals paid out take money out. Requests and decisions move no capital
and are not counted. No member is named: these are the society's totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from coop.shares import Kind

#: How the ledger's kinds are added up, and the order the columns show them.
COUNTED = (Kind.purchase, Kind.dividend_shares, Kind.payout)


@dataclass
class Movement:
    """One day's or month's capital: shares and pence for each kind counted (a payout's are negative)."""

    period: str
    shares: dict[str, int]
    pence: dict[str, int]

    @property
    def net_pence(self) -> int:
        return sum(self.pence.values())


def movements(db: Database, first: date, last: date, *, by: str, share_value_pence: int) -> list[Movement]:
    """The ledger's capital movements between two days, by "day" (2026-11-20) or "month" (2026-11), oldest
    first; a day or month with none is left out."""
    if by not in ("day", "month"):
        raise ValueError(f"capital is added up by day or by month, not {by!r}")
    width = 10 if by == "day" else 7
    found: dict[str, Movement] = {}
    for when, kind, shares, pence in db.execute(
            f"""select substr(on_date, 1, {width}), kind, sum(shares), sum(amount_pence) from share_ledger
                where on_date between ? and ? and kind in ({",".join("?" * len(COUNTED))})
                group by 1, 2 order by 1""",
            [first.isoformat(), last.isoformat(), *[k.value for k in COUNTED]]):
        line = found.setdefault(when, Movement(when, {k.value: 0 for k in COUNTED}, {k.value: 0 for k in COUNTED}))
        line.shares[kind] = shares
        # Dividend shares are recorded with no money paid: their worth is the shares at the share's value.
        line.pence[kind] = shares * share_value_pence if kind == Kind.dividend_shares else pence
    return list(found.values())


def capital_pence(db: Database, on: date, *, share_value_pence: int) -> int:
    """The society's share capital at the end of a day: every share held, at the share's value."""
    held = db.execute("select coalesce(sum(shares), 0) from share_ledger where on_date <= ?",
                      [on.isoformat()]).fetchone()[0]
    return held * share_value_pence
