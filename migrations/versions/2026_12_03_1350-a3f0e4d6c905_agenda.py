"""issue 15: actions gain a planned date (due_on) and what the agenda needs

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: a3f0e4d6c905
Revises: a2e9d3c5b804
Create Date: 2026-12-03 13:50:00
"""

from collections.abc import Sequence

revision: str = "a3f0e4d6c905"
down_revision: str | None = "a2e9d3c5b804"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
