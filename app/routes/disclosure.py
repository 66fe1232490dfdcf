"""Which count of a route cell a caller may see (api.md, "Routes"; docs/security.md).

Coordinators and admins see exact counts, small cells included (they see the statistics
tables anyway). Everyone else (casework staff, visualiser tokens) sees protected counts:

1. A cell whose exact count is below `k` is left out (only the number of left-out flows is
   said, never their places). `k` is `CALP_SUPPRESSION_K`, never below 3.
2. Every other cell is published as its exact count plus the cell-key noise of
   `app.routes.cellkey`: at most ±2, never below `k`, the same for the same set of victims
   whatever the filters, the stages or the endpoint.
3. No total of victims is published. The summary's `international_share` is the percent of
   two protected cells (victims crossing a border; every victim with a route), each with its
   own noise; it is null when the victims crossing a border, or those not crossing one,
   number 1 to k-1.

Nothing else is needed against differencing: complementary suppression (hiding big cells so
that totals minus parts cannot isolate a small one) is what hid the map's top regions, and
with noisy figures a total minus its parts gives the hidden part plus noise.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalogs import Role
from app.routes.cellkey import Cell, noise

EXACT_ROLES = frozenset({Role.coordinator, Role.admin})


@dataclass(frozen=True)
class Disclosure:
    """Exact counts, or protected ones (`exact` False)."""

    k: int
    exact: bool = True

    @classmethod
    def for_role(cls, role: Role, *, k: int) -> Disclosure:
        return cls(k, exact=role in EXACT_ROLES)

    def publish(self, cell: Cell) -> int | None:
        """The published count of `cell`; None to leave it out."""
        count = cell.count
        if self.exact:
            return count if count else None
        if count < self.k:
            return None
        return count + noise(cell.key, count, self.k)

    def share(self, part: Cell, whole: Cell) -> int | None:
        """`part` as a whole percent (half up) of `whole`, from the published counts."""
        if not whole.count:
            return None
        if self.exact:
            top, bottom = part.count, whole.count
        else:
            rest = whole.count - part.count
            if 0 < part.count < self.k or 0 < rest < self.k:
                return None  # a percent of a known small group, or of its complement
            top, bottom = self.publish(part) or 0, self.publish(whole) or 0
        return (200 * top + bottom) // (2 * bottom)
