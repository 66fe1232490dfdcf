"""Cell-key perturbation of the published route counts (docs/security.md, "Published routes").

The method statistical agencies use for tables built on demand (ABS TableBuilder, Eurostat's
"cell key method"):

- Every victim has a record key: a pseudo-random number in [0, 1) derived from the victim id
  with HMAC-SHA256 under a key derived (HKDF) from `CALP_DATA_KEY`. It is computed when a
  count is published and never stored; without the key it cannot be recomputed, and a plain
  hash of a (guessable) id would not do.
- A cell's key is the sum of its records' keys, modulo 1. Fixed point here: keys are integers
  modulo `SCALE` (2**64), so the sum is exact and the same on every machine.
- The noise is read from `P_TABLE` with the cell key and the cell's exact count: at most
  ±`MAX_NOISE`, and never taking a count below `k`.

The same set of victims therefore always gets the same published value, whatever filters or
endpoint produced it, while two cells differing by one victim get keys that differ by that
victim's (secret, uniform) record key: their noises are practically independent draws, so
subtracting one published figure from the other gives the true difference plus noise.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.crypto import decode_key

SCALE = 2**64
MAX_NOISE = 2
PURPOSE = b"calp-route-record-key"

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


def noise(cell_key: int, count: int, k: int) -> int:
    """The perturbation of a cell of `count` (>= k) records whose cell key is `cell_key`."""
    if count < k:
        raise ValueError("cells below k are left out, never perturbed")
    point = cell_key % SCALE * TOTAL_WEIGHT // SCALE
    row = P_TABLE[min(count - k, max(P_TABLE))]
    for value, weight in row:
        if point < weight:
            return value
        point -= weight
    raise AssertionError("the p-table rows cover [0, 1)")  # pragma: no cover - _check_table


@dataclass
class CellKeys:
    """Record keys under one secret; remembers those computed (in memory only)."""

    secret: bytes = field(repr=False)
    _known: dict[uuid.UUID, int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_data_key(cls, data_key: str) -> CellKeys:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
            decode_key(data_key)
        )
        return cls(derived)

    def record_key(self, victim_id: uuid.UUID) -> int:
        return self.cell_key((victim_id,))

    def cell_key(self, members: Iterable[uuid.UUID]) -> int:
        # One loop, no call per victim: a summary of 20,000 victims touches ~60,000 records.
        known, secret, total = self._known, self.secret, 0
        for member in members:
            key = known.get(member)
            if key is None:
                digest = hmac.digest(secret, member.bytes, "sha256")
                key = known[member] = int.from_bytes(digest[:8], "big")
            total += key
        return total % SCALE
