"""Cell-key perturbation of the published route counts (docs/security.md, "Published routes").

The method statistical agencies use for tables built on demand (ABS TableBuilder, Eurostat's
"cell key method"):

- Every victim has a record key: a random integer in [0, `SCALE`) drawn once when the row is
  inserted and stored with it (`victims.route_key`). It says nothing about the person; it is
  never published.
- A cell's key is the sum of its records' keys modulo `SCALE`, read as a fraction of
  `SCALE` (a number in [0, 1)). The database adds the keys (`app.routes.queries`), so no
  victim id leaves it; the sum of a million 31-bit keys fits a 64-bit integer.
- The noise is read from `P_TABLE` with the cell key and the cell's exact count: at most
  ±`MAX_NOISE`, and never taking a count below `k`.

The same set of victims therefore always gets the same published value, whatever filters or
endpoint produced it, while two cells differing by one victim get keys that differ by that
victim's (random, uniform) record key: their noises are practically independent draws, so
subtracting one published figure from the other gives the true difference plus noise.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

KEY_BITS = 31
SCALE = 1 << KEY_BITS
MAX_NOISE = 2

# Rows by distance of the exact count from k: 0 (count == k), 1, and 2 (every count >= k + 2).
# Each row lists (noise, weight in hundredths); the cell key picks a point in the row's range.
# Far from k the noise is uniform on -2..2 (mean 0, variance 2: the widest a bound of 2
# allows, which is what makes a difference of two figures least informative). Near k a
# published value never goes below k, so the row loses its low end: count k + 1 keeps mean 0
# with -1..2; count k can only go up (mean +0.7), the one bias the floor imposes.
P_TABLE: dict[int, tuple[tuple[int, int], ...]] = {
    0: ((0, 50), (1, 30), (2, 20)),
    1: ((-1, 40), (0, 30), (1, 20), (2, 10)),
    2: ((-2, 20), (-1, 20), (0, 20), (1, 20), (2, 20)),
}
TOTAL_WEIGHT = 100


def _check_table() -> None:
    for distance, row in P_TABLE.items():
        assert sum(weight for _, weight in row) == TOTAL_WEIGHT, distance
        assert all(abs(noise) <= MAX_NOISE and distance + noise >= 0 for noise, _ in row)


_check_table()


def new_record_key() -> int:
    """A victim's record key: uniform on [0, SCALE), from the operating system's CSPRNG.

    Fits a signed 32-bit column on every database."""
    return secrets.randbelow(SCALE)


def noise(cell_key: int, count: int, k: int) -> int:
    """The perturbation of a cell of `count` (>= k) records whose cell key is `cell_key`."""
    if count < k:
        raise ValueError("cells below k are left out, never perturbed")
    # Integer arithmetic: the point is floor(100 * key / SCALE), exact on every machine.
    point = cell_key % SCALE * TOTAL_WEIGHT // SCALE
    row = P_TABLE[min(count - k, max(P_TABLE))]
    for value, weight in row:
        if point < weight:
            return value
        point -= weight
    raise AssertionError("the p-table rows cover [0, 1)")  # pragma: no cover - _check_table


@dataclass(frozen=True)
class Cell:
    """What a published count is made from: the exact number of distinct victims in the cell
    and the sum of their record keys (any integer; only its value modulo SCALE matters)."""

    count: int = 0
    key_sum: int = 0

    @property
    def key(self) -> int:
        return self.key_sum % SCALE

    def __add__(self, other: Cell) -> Cell:
        """The cell of two disjoint sets of victims."""
        return Cell(self.count + other.count, self.key_sum + other.key_sum)

    @classmethod
    def of_keys(cls, record_keys: Sequence[int]) -> Cell:
        """The cell of distinct victims with these record keys."""
        return cls(len(record_keys), sum(record_keys))
