"""issue 16: links between two victim records of the same person

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: f2c9a3e5d704
Revises: f1b8e2d4c603
Create Date: 2026-12-03 13:35:00
"""

from collections.abc import Sequence

revision: str = "f2c9a3e5d704"
down_revision: str | None = "f1b8e2d4c603"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
