"""Sharing a sum out in proportion, to the penny: largest remainder, so the parts add up exactly."""

from __future__ import annotations


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` pence in proportion to non-negative `weights`; the parts sum to `total`.

    Ties in the remainder go to the earlier weight, so the result is deterministic.
    """
    if any(w < 0 for w in weights):
        raise ValueError("weights cannot be negative")
    whole = sum(weights)
    if whole == 0:
        if total:
            raise ValueError("cannot share a sum among nothing")
        return [0] * len(weights)
    sign = -1 if total < 0 else 1
    amount = abs(total)
    floors = [amount * w // whole for w in weights]
    remainders = [amount * w % whole for w in weights]
    short = amount - sum(floors)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:short]:
        floors[index] += 1
    return [sign * part for part in floors]
