"""The foundation of the till's errors: a thing someone asked for that cannot be done, said in plain words."""

from __future__ import annotations


class TillError(Exception):
    """Something a volunteer or treasurer asked for that cannot be done, said in the till's words."""
