"""issue 18: documents of a victim, stored encrypted in chunks

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: e1d0c5a3b701
Revises: d0a1c5e7f901
Create Date: 2026-12-03 13:10:00
"""

from collections.abc import Sequence

revision: str = "e1d0c5a3b701"
down_revision: str | None = "d0a1c5e7f901"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
