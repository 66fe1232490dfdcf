"""issue 18: outgoing referrals record the consent that covers them, or an override

`referrals.consent_id` names the `data_sharing` consent live on the referral's date;
`consent_override_reason` (encrypted, like every free text: it is written as a sealed
value, so existing rows need no data key), `consent_overridden_at` and
`consent_overridden_by_id` record a worker's override in an emergency. Existing referrals
keep all four null: they were made before the rule. `consent_overridden_at` alone says
there is an override (anonymisation clears the reason and keeps the fact).

Revision ID: e2c7f1a9d402
Revises: e1d0c5a3b701
Create Date: 2026-12-03 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e2c7f1a9d402"
down_revision: str | None = "e1d0c5a3b701"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("consent_override_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("consent_overridden_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("consent_overridden_by_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_referrals_consent_id"), ["consent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_referrals_consent_id_consents"), "consents", ["consent_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_referrals_consent_overridden_by_id_users"),
            "users",
            ["consent_overridden_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_referrals_consent_overridden_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_referrals_consent_id_consents"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_referrals_consent_id"))
        batch_op.drop_column("consent_overridden_by_id")
        batch_op.drop_column("consent_overridden_at")
        batch_op.drop_column("consent_override_reason")
        batch_op.drop_column("consent_id")
