"""Deterministic synthetic demo dataset.

`generate(seed)` builds users, cases (with victims and all the work on them) and practice
detections for fake people. Counted by the report's rules for 2023-2025 they reproduce every
published table (reference-tables.md, Tablas 10-18), the 548 follow-up actions and the route
facts; a few 2026 cases make year filters visible without touching those counts.

Standard library only: the demo loader turns these plain dicts into records. One module per
thing generated (profiles, cases, victims, identity, routes, follow-ups, plans, referrals,
detections, duplicates, users), all drawing from one random stream in the order `build` calls
them. How the published figures come out exact: the attribute values of the 738 published
victims are built as exact multisets, paired at random, repaired by swapping values between
victims (so the multisets never change) and then placed into a team x year grid of cases that
matches both published margins.
"""

from app.demo.generate.build import DemoDataset, generate
from app.demo.generate.duplicates import DUPLICATE_DOCUMENTS

__all__ = ["DUPLICATE_DOCUMENTS", "DemoDataset", "generate"]
