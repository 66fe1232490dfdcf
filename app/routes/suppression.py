"""Small-cell suppression for the published routes (primary and complementary).

The rule, applied by `app.routes.service` to every routes response:

1. Primary: a cell (a flow, or a place of the summary) counting fewer than `k` victims is
   left out. `k` is `CALP_SUPPRESSION_K`, never below 3 (Settings enforces the floor), and
   every response states the `k` applied.
2. Complementary, for flows: each flow belongs to two sets whose totals could be learnt
   elsewhere — all flows leaving its origin and all flows reaching its destination (the
   summary publishes such per-place totals, and a reader could add them up across queries).
   Within each set, if the left-out flows are exactly one, or add up to fewer than `k`
   victims, the smallest flow still shown in that set is left out too; this repeats until
   no set breaks the rule. A total minus the flows shown then never isolates one left-out
   flow, nor a group so small that each member is known to be tiny.
3. Totals: no response publishes a total of victims. The one derived figure, the summary's
   `international_share`, is null when the victims crossing a border, or those not
   crossing one, number from 1 to k-1 (a whole percent of a known small group, or of its
   complement, would reveal it).
4. Left-out cells are never described: only the number of left-out flows is given, never
   their places.
5. Filters: a filtered answer (years and/or team) is compared cell by cell with the same
   cell in its wider answers (no filter at all; and, when both filters are set, each filter
   alone). A cell whose difference from a wider one is 1 to k-1 victims is left out as if it
   were small itself (then rule 2 applies), so "all years minus these years" or "all teams
   minus this team" cannot isolate a small group. The same holds for the summary's places.

Residual risk: chains of filtered queries (2023-2025 minus 2023-2024, or team by team) are
not cross-checked; whoever hands out visualiser tokens should know that.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def suppress_cells(
    cells: Mapping[K, int],
    k: int,
    groups: Iterable[Iterable[K]] = (),
    wider: Iterable[Mapping[K, int]] = (),
) -> set[K]:
    """The keys of `cells` to leave out: primary (< k, or < k away from a `wider` answer's
    cell) plus complementary within `groups`."""
    hidden = {key for key, victims in cells.items() if victims < k}
    hidden |= differs_little(cells, k, wider)
    sets = [list(dict.fromkeys(group)) for group in groups]
    changed = True
    while changed:  # the hidden set only grows, so this ends
        changed = False
        for group in sets:
            left_out = [key for key in group if key in hidden]
            if not left_out:
                continue
            if len(left_out) > 1 and sum(cells[key] for key in left_out) >= k:
                continue
            shown = [key for key in group if key not in hidden]
            if not shown:
                continue
            # Sorted by count then by key text: the same data always hides the same cells.
            smallest = min(shown, key=lambda key: (cells[key], repr(key)))
            hidden.add(smallest)
            changed = True
    return hidden


def differs_little(cells: Mapping[K, int], k: int, wider: Iterable[Mapping[K, int]]) -> set[K]:
    """Cells that a wider answer's cell exceeds by 1 to k-1 (the difference would be small)."""
    return {
        key
        for other in wider
        for key, victims in cells.items()
        if 0 < other.get(key, 0) - victims < k
    }


def safe_share(part: int, whole: int, k: int) -> int | None:
    """`part` as a whole percent of `whole` (half up); None when it would reveal a small group."""
    if whole <= 0:
        return None
    rest = whole - part
    if 0 < part < k or 0 < rest < k:
        return None
    return (200 * part + whole) // (2 * whole)
