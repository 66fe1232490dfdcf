"""The permission table: endpoint × role × own team / other team → expected status.

Each `rules_<domain>.py` module in this package exports:
- `RULES: list[Rule]`, one per route (method + path template exactly as registered), and
- optionally `populate(db, team, users) -> dict[str, Any]`, which creates that domain's
  records for one team and returns the values of the path parameters it introduces
  (e.g. {"plan_id": ...}).
`test_permission_table.py` runs every rule for every role, once against a record of the
caller's own team and once against another team's, and fails if any API route has no rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Roles of the table; "visualiser" calls with an API token, "anonymous" with nothing.
ROLES = (
    "psychologist",
    "lawyer",
    "social_worker",
    "coordinator",
    "admin",
    "visualiser",
    "anonymous",
)
STAFF = ("psychologist", "lawyer", "social_worker")
OWN_TEAM, OTHER_TEAM = "lima", "cusco"

World = dict[str, Any]  # path parameter name -> value, for one team


@dataclass(frozen=True)
class Rule:
    """Expected status per role: an int (same for both teams) or (own, other)."""

    method: str
    path: str
    expect: dict[str, int | tuple[int, int]]
    json: Callable[[World], Any] | None = None
    data: Callable[[World], dict[str, Any]] | None = None
    query: Callable[[World], dict[str, Any]] | None = None
    files: Callable[[World], dict[str, Any]] | None = None
    note: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def status(self, role: str, own: bool) -> int:
        value = self.expect[role]
        if isinstance(value, tuple):
            return value[0] if own else value[1]
        return value


def case_work(
    read: bool = True, *, ok: int = 200, coordinator: int | None = None, created: bool = False
) -> dict[str, int | tuple[int, int]]:
    """The usual expectations of a team-scoped case-work route.

    Staff: `ok` on their team, 404 elsewhere. Coordinators: like staff for reads, 403 for
    writes (or `coordinator` when given). Admin 403, visualiser 403, anonymous 401.
    """
    success = 201 if created else ok
    coord: int | tuple[int, int]
    if coordinator is not None:
        coord = (coordinator, 404) if coordinator < 400 else coordinator
    else:
        coord = (success, 404) if read else 403
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(STAFF, (success, 404))
    out.update({"coordinator": coord, "admin": 403, "visualiser": 403, "anonymous": 401})
    return out


def everyone(status: int = 200, *, visualiser: int = 403) -> dict[str, int | tuple[int, int]]:
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(ROLES, status)
    out.update({"visualiser": visualiser, "anonymous": 401})
    return out


def only(roles: tuple[str, ...], status: int = 200) -> dict[str, int | tuple[int, int]]:
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(ROLES, 403)
    out.update(dict.fromkeys(roles, status))
    out["anonymous"] = 401
    return out
