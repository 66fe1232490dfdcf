"""issue 16: links between two victim records of the same person

`victim_links` holds one row per pair of victim records found to be the same person,
stored in id order (CHECK) so a pair has at most one live link (partial unique index on
the live rows); unlinking soft-deletes the row. `reason` is sealed (AES-GCM, app.db.sealed):
the new table starts empty, so no data key is needed to upgrade.

Revision ID: f2c9a3e5d704
Revises: f1b8e2d4c603
Create Date: 2026-12-03 13:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2c9a3e5d704"
down_revision: str | None = "f1b8e2d4c603"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "victim_links",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("other_victim_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "victim_id < other_victim_id", name=op.f("ck_victim_links_ordered_pair")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_victim_links_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_victim_links_deleted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["other_victim_id"],
            ["victims.id"],
            name=op.f("fk_victim_links_other_victim_id_victims"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_victim_links_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_links")),
    )
    with op.batch_alter_table("victim_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_victim_links_other_victim_id"), ["other_victim_id"], unique=False
        )
        batch_op.create_index(
            "ix_victim_links_live_pair",
            ["victim_id", "other_victim_id"],
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table("victim_links", schema=None) as batch_op:
        batch_op.drop_index("ix_victim_links_live_pair")
        batch_op.drop_index(batch_op.f("ix_victim_links_other_victim_id"))
    op.drop_table("victim_links")
