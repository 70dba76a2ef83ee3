"""The settings file's [barcodes] section: the layouts of the shop's variable-measure barcodes (the labels
its scale or price gun prints; inventory/variable_measure.py), checked when the settings are read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator

from inventory.variable_measure import Layout


class BarcodeSettings(BaseModel):
    """None by default: a layout that is not the scale's own would sell at the wrong price, so a shop names
    what its scale prints."""

    model_config = ConfigDict(extra="forbid")

    variable: list[Layout] = []

    @model_validator(mode="after")
    def _one_layout_a_prefix(self) -> BarcodeSettings:
        prefixes = [layout.prefix for layout in self.variable]
        twice = sorted({prefix for prefix in prefixes if prefixes.count(prefix) > 1})
        if twice:
            raise ValueError(f"prefix {twice[0]} has two layouts; a prefix has one")
        return self
