"""issue 15: the agenda's indexes hold only the rows that can still be due, and what they read

Each agenda kind walks its (date, id) index from the start of the window and stops after a
page (app/agenda/query.py). With full indexes a page walked past every answered referral,
achieved goal, closed plan or done action in its way (at 1M victims: ~6 referrals read for
each one still pending). Each index is now partial, holding only live rows
(app/agenda/models.py, `LIVE`: the same conditions the query states, as literals, so that
SQLite and PostgreSQL both use it), and carries the columns its branch reads after the
date and id, so a walk never visits the table. Two more indexes answer the check of every
walked row against its victim and case (team, open, not deleted) by id without reading
those tables either.

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

# (table, indexed columns (date first), the rows that can still be due, the index it replaces)
PARTIAL = (
    (
        "plans",
        ("next_review_on", "id", "victim_id", "assessed_on", "status", "deleted_at"),
        "deleted_at IS NULL AND next_review_on IS NOT NULL"
        " AND (status NOT IN ('implemented', 'completed', 'abandoned'))",
        "ix_plans_next_review_on_id",
    ),
    (
        "plan_goals",
        ("due_on", "id", "plan_id", "dimension", "status"),
        "due_on IS NOT NULL AND (status NOT IN ('achieved', 'dropped'))",
        "ix_plan_goals_due_on",
    ),
    (
        "protection_measures",
        ("ends_on", "id", "victim_id", "kind", "institution", "deleted_at"),
        "deleted_at IS NULL AND ends_on IS NOT NULL",
        "ix_protection_measures_ends_on",
    ),
    (
        "victims",
        ("reflection_until", "id", "case_id", "code", "deleted_at"),
        "deleted_at IS NULL AND reflection_until IS NOT NULL",
        "ix_victims_reflection_until",
    ),
    (
        "referrals",
        ("referred_on", "id", "victim_id", "institution", "direction", "outcome", "deleted_at"),
        "deleted_at IS NULL AND direction = 'out' AND (outcome IS NULL OR outcome = 'pending')",
        "ix_referrals_referred_on",
    ),
    (
        "follow_up_actions",
        ("due_on", "id", "follow_up_id", "type", "institution", "status"),
        "due_on IS NOT NULL AND status = 'planned'",
        "ix_follow_up_actions_due_on",
    ),
)
# The victim and case of every walked row, by id, with what the check and the item read.
SCOPE = (
    ("victims", ("id", "case_id", "code", "deleted_at")),
    ("cases", ("id", "team", "status", "deleted_at", "code")),
)


# SQLite plans joins by the statistics ANALYZE leaves, and calp never ran it: without any,
# SQLite starts each kind from every case of the team (`cases.team = ?` looks like ten
# rows) instead of walking the date index, 9.5 s a page at 1M victims instead of 8 ms.
# The tables the agenda joins are analysed once here (9 s at 1M; an empty table leaves no
# statistics). PostgreSQL keeps its own (autovacuum).
ANALYSED = (
    "cases",
    "victims",
    "plans",
    "plan_goals",
    "plan_reviews",
    "protection_measures",
    "referrals",
    "follow_ups",
    "follow_up_actions",
)


def upgrade() -> None:
    for table, columns, where, full in PARTIAL:
        op.drop_index(full, table_name=table)
        op.create_index(
            f"ix_agenda_{table}",
            table,
            list(columns),
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
    for table, columns in SCOPE:
        op.create_index(f"ix_agenda_{table}_scope", table, list(columns))
    if op.get_bind().dialect.name == "sqlite":
        for table in ANALYSED:
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    for table, _columns in SCOPE:
        op.drop_index(f"ix_agenda_{table}_scope", table_name=table)
    for table, columns, _where, full in PARTIAL:
        op.drop_index(f"ix_agenda_{table}", table_name=table)
        op.create_index(full, table, [columns[0], "id"])
