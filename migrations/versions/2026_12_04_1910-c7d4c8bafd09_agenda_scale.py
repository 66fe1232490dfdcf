"""issue 15: (placeholder, filled in by the agenda work)

Revision ID: c7d4c8bafd09
Revises: c6c3b7a9fc08
Create Date: 2026-12-04 19:10:00
"""

from collections.abc import Sequence

revision: str = "c7d4c8bafd09"
down_revision: str | None = "c6c3b7a9fc08"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
