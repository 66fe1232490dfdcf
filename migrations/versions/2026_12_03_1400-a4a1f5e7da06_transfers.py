"""issue 15: transfers between teams; cases keep the team that opened them

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: a4a1f5e7da06
Revises: a3f0e4d6c905
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

revision: str = "a4a1f5e7da06"
down_revision: str | None = "a3f0e4d6c905"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
