"""The demo's one random stream and the draws made from it.

Every part of the dataset draws from the same `random.Random` in a fixed order, so the same
seed always gives the same dataset: a new draw anywhere changes everything drawn after it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

Record = dict[str, Any]  # one generated record, as the demo loader reads it


class Draw:
    """The random stream, with the two draws every part uses."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, weights: Mapping[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def day_between(self, start: date, end: date) -> date:
        if end <= start:  # a one-day window (callers never pass end before the real start)
            return end
        return start + timedelta(days=self.rng.randint(0, (end - start).days))


def expand(counts: Mapping[str, int]) -> list[str]:
    """Each key as many times as its count (a multiset, in key order)."""
    return [key for key, n in counts.items() for _ in range(n)]


def weights(spec: str) -> dict[str, float]:
    """Parse "15:30 16:7" into {"15": 30.0, "16": 7.0} (keeps the weight tables compact)."""
    return {k: float(v) for k, v in (item.split(":") for item in spec.split())}
