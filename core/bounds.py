"""How big a number the till takes: every price, quantity and count the core accepts has its ceiling here.

Why ceilings at all: SQLite keeps whole numbers in 64 bits (up to 9,223,372,036,854,775,807), and the
books are sums. One absurd row (a mistyped barcode in the quantity, a pasted serial number) is stored
happily, and from then on every sum over it overflows: stock on hand, the Z report and the exports fail
for good, and the row cannot be taken back because the correction has to be added to that same sum.

Why these ceilings: each is far above anything a community café or shop does in one go, and low enough
that a lifetime of rows at the ceiling still sums inside 64 bits. A price (£100,000) times a quantity
(100,000) is 10^12 pence, so ten million such lines still sum below 2^63 (about 9.2 x 10^18).
"""

from __future__ import annotations

from datetime import date

#: The most a product may be priced at: £100,000, in pence.
MAX_PRICE_PENCE = 10_000_000

#: The most of one product in one movement, one count or one reorder level: 100,000.
MAX_QUANTITY = 100_000

#: The most anyone hands over or is paid at the till in one go (£1,000,000), in pence; core.money's MAX_PENCE.
MAX_AMOUNT_PENCE = 100_000_000

#: The highest number the command line takes for anything it looks up by number (a sale, a request, a
#: dividend part) or counts (days, shares, a seed): a billion, well inside SQLite's 64 bits.
MAX_NUMBER = 1_000_000_000


#: The years a date may be in, wherever one is typed: the till's books start well after the first and the
#: second is far enough off. Python's dates end at 9999-12-31, so a report "to the end of the week" of a
#: date near there would fail to compute instead of saying the date is wrong.
FIRST_YEAR = 1900
LAST_YEAR = 2999


def within_years(day: date) -> date:
    """`day`, or a TillError saying which years a date typed on a page may be in (before any day's arithmetic)."""
    from core.errors import TillError

    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise TillError(f"choose days between the years {FIRST_YEAR} and {LAST_YEAR}")
    return day
