"""issue 15: the agenda's indexes hold only the rows that can still be due (partial)

Each agenda kind walks its (date, id) index from the start of the window and stops after a
page (app/agenda/query.py). With full indexes a page walked past every answered referral,
achieved goal, closed plan or done action in its way (at 1M victims: ~12 referrals read for
each one still pending). Each index now holds only live rows (app/agenda/models.py, `LIVE`:
the same conditions the query states, as literals, so that SQLite and PostgreSQL both use
it), and is smaller for it.

Revision ID: c7d4c8bafd09
Revises: c6c3b7a9fc08
Create Date: 2026-12-04 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7d4c8bafd09"
down_revision: str | None = "c6c3b7a9fc08"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, date column, the rows that can still be due, the full index it replaces)
PARTIAL = (
    (
        "plans",
        "next_review_on",
        "deleted_at IS NULL AND next_review_on IS NOT NULL"
        " AND (status NOT IN ('implemented', 'completed', 'abandoned'))",
        "ix_plans_next_review_on_id",
    ),
    (
        "plan_goals",
        "due_on",
        "due_on IS NOT NULL AND (status NOT IN ('achieved', 'dropped'))",
        "ix_plan_goals_due_on",
    ),
    (
        "protection_measures",
        "ends_on",
        "deleted_at IS NULL AND ends_on IS NOT NULL",
        "ix_protection_measures_ends_on",
    ),
    (
        "victims",
        "reflection_until",
        "deleted_at IS NULL AND reflection_until IS NOT NULL",
        "ix_victims_reflection_until",
    ),
    (
        "referrals",
        "referred_on",
        "deleted_at IS NULL AND direction = 'out' AND (outcome IS NULL OR outcome = 'pending')",
        "ix_referrals_referred_on",
    ),
    (
        "follow_up_actions",
        "due_on",
        "due_on IS NOT NULL AND status = 'planned'",
        "ix_follow_up_actions_due_on",
    ),
)


def upgrade() -> None:
    for table, column, where, full in PARTIAL:
        op.drop_index(full, table_name=table)
        op.create_index(
            f"ix_agenda_{table}",
            table,
            [column, "id"],
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    for table, column, _where, full in PARTIAL:
        op.drop_index(f"ix_agenda_{table}", table_name=table)
        op.create_index(full, table, [column, "id"])
