"""The co-op's errors, each a plain sentence for the person at the till.

Defined apart from the register, shares and dividend (which re-export them) so that
pos.errors can list them without loading those modules and their models at start-up.
"""

from __future__ import annotations


class RegisterError(ValueError):
    """A change to the register that cannot be made; the message says why."""


class ShareError(ValueError):
    """A share transaction the society's rules do not allow; the message says which rule."""


class DividendError(ValueError):
    """A dividend that cannot be worked out or declared; the message says why."""
