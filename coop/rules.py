"""The society's share rules (its own numbers), apart from the share ledger so that the
settings can check them without loading the register and the ledger (coop.shares re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass

from coop.errors import ShareError

#: The legal cap on a holding for anyone who is not itself a registered society (£100,000).
LEGAL_CAP_PENCE = 10_000_000


@dataclass(frozen=True)
class ShareRules:
    """The society's own numbers (its rules), handed in by whoever reads the settings."""

    share_value_pence: int = 100
    min_shares: int = 1
    max_shares: int = 100_000
    notice_days: int = 90
    withdrawals_suspended: bool = True
    adult_age: int = 16

    def __post_init__(self) -> None:
        if self.share_value_pence < 1 or self.min_shares < 0 or self.max_shares < max(1, self.min_shares):
            raise ShareError("the share rules do not add up (value, minimum and maximum)")
        if self.max_shares * self.share_value_pence > LEGAL_CAP_PENCE:
            raise ShareError("the maximum holding is above the legal cap of £100,000")
