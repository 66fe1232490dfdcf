"""issue 17: single-use form submissions; initial passwords to change

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: b5b2a6f8eb07
Revises: a4a1f5e7da06
Create Date: 2026-12-03 14:10:00
"""

from collections.abc import Sequence

revision: str = "b5b2a6f8eb07"
down_revision: str | None = "a4a1f5e7da06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
