"""issue 17: single-use form submissions; initial passwords to change

`submission_tokens` records the token of each create form with the page of the record it
made, so a second submit of the same form creates nothing (its primary key decides, even
for two submits at the same moment). `users.must_change_password` marks an account whose
password an admin set: the first web sign-in must replace it.

Revision ID: b5b2a6f8eb07
Revises: a4a1f5e7da06
Create Date: 2026-12-03 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b5b2a6f8eb07"
down_revision: str | None = "a4a1f5e7da06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission_tokens",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=512), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_submission_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_submission_tokens")),
    )
    with op.batch_alter_table("submission_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_tokens_created_at"), ["created_at"], unique=False
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("submission_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_tokens_created_at"))
    op.drop_table("submission_tokens")
