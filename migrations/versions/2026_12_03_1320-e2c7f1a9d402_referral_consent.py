"""issue 18: outgoing referrals record the consent that covers them, or an override

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: e2c7f1a9d402
Revises: e1d0c5a3b701
Create Date: 2026-12-03 13:20:00
"""

from collections.abc import Sequence

revision: str = "e2c7f1a9d402"
down_revision: str | None = "e1d0c5a3b701"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
