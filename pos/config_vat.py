"""The [vat] section of the settings: the registration threshold a society that is not registered is
measured against. Its own module because pos/config.py is full; `Settings.vat` names it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class VatSettings(BaseModel):
    """When an unregistered society nears the VAT registration threshold (the README's "VAT")."""

    # A misspelt key is refused, as in every other section: ignored, it would leave the default in place.
    model_config = ConfigDict(extra="forbid")

    #: HMRC's threshold for the rolling 12 months' taxable turnover, in pence (£90,000 since April 2024).
    registration_threshold_pence: int = Field(default=9_000_000, ge=100, le=10**12)
    #: The X and Z warn once the rolling turnover reaches this share of the threshold.
    warn_at_percent: int = Field(default=80, ge=1, le=100)
