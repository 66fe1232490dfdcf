"""issue 16: (placeholder, filled in by the name-search work)

Revision ID: c6c3b7a9fc08
Revises: b5b2a6f8eb07
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

revision: str = "c6c3b7a9fc08"
down_revision: str | None = "b5b2a6f8eb07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
