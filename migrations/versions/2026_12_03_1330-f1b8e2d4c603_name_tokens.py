"""issue 16: keyed name tokens for search and duplicates

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: f1b8e2d4c603
Revises: e2c7f1a9d402
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

revision: str = "f1b8e2d4c603"
down_revision: str | None = "e2c7f1a9d402"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
