"""issue 15: assignments of staff to cases (case_staff gains responsibility, since, until)

Placeholder in the chain of this session's revisions: the owner of this file fills in
upgrade() and downgrade() (and this docstring). Until then it changes nothing.

Revision ID: a2e9d3c5b804
Revises: f2c9a3e5d704
Create Date: 2026-12-03 13:40:00
"""

from collections.abc import Sequence

revision: str = "a2e9d3c5b804"
down_revision: str | None = "f2c9a3e5d704"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
