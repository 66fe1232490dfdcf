"""issue 15: actions gain a planned date (due_on) and the indexes the agenda reads by

`follow_up_actions.due_on` (nullable: actions recorded before have none, and a planned
action without a date is not on the agenda). Each agenda kind walks one date column from
the start of its window (app/agenda/query.py), so each gets an index on (that date, id):
the agenda's own order.

Revision ID: a3f0e4d6c905
Revises: a2e9d3c5b804
Create Date: 2026-12-03 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3f0e4d6c905"
down_revision: str | None = "a2e9d3c5b804"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (date, id): the agenda's order (due date, then row), so a page walks one page of rows.
INDEXES = (
    ("ix_plans_next_review_on_id", "plans", "next_review_on"),
    ("ix_plan_goals_due_on", "plan_goals", "due_on"),
    ("ix_protection_measures_ends_on", "protection_measures", "ends_on"),
    ("ix_victims_reflection_until", "victims", "reflection_until"),
    ("ix_referrals_referred_on", "referrals", "referred_on"),
    ("ix_follow_up_actions_due_on", "follow_up_actions", "due_on"),
)


def upgrade() -> None:
    op.add_column("follow_up_actions", sa.Column("due_on", sa.Date(), nullable=True))
    for name, table, column in INDEXES:
        op.create_index(name, table, [column, "id"])


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
    # SQLite 3.35+ drops a column without rebuilding the table.
    op.execute("ALTER TABLE follow_up_actions DROP COLUMN due_on")
