"""The one family of errors the till shows to people: each message is a plain sentence.

TillError lives in the foundation (core.errors) so every package can raise it; the packages' own
errors are listed here, where the shop is assembled.
"""

from __future__ import annotations

# coop.errors, not the modules that raise them: the sign-in screen needs no co-op models.
from coop.errors import DividendError, RegisterError, ShareError
from core.errors import TillError
from inventory.barcodes import CodeError
from inventory.products import CatalogueError, UnknownCode
from inventory.stock import StockError

#: Errors whose message is fit to show as it is, on screen or on stderr.
USER_ERRORS: tuple[type[BaseException], ...] = (
    TillError,
    CodeError,
    CatalogueError,
    UnknownCode,
    StockError,
    RegisterError,
    ShareError,
    DividendError,
)
