"""revoked browser sessions; the audit action `logout`

Signing out records the session's id (`sid` of its cookie) in `revoked_sessions`, so a copy
of the cookie taken before stops working at once. Adds `logout` to the audit actions.

Revision ID: 5b1e7c9d2f40
Revises: a04677cb3c71
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e7c9d2f40"
down_revision: str | None = "a04677cb3c71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The audit actions as of the previous revision, and the one this revision adds.
OLD_ACTIONS = [
    "create",
    "update",
    "delete",
    "restore",
    "read_identity",
    "read_narrative",
    "login",
    "login_failed",
    "export",
    "import",
    "backup",
    "restore_backup",
    "unverifiable",
    "rekey",
]
NEW_ACTIONS = [*OLD_ACTIONS[:8], "logout", *OLD_ACTIONS[8:]]
CHECK = "ck_audit_events_audit_action"


def _actions_check(actions: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade() -> None:
    op.create_table(
        "revoked_sessions",
        sa.Column("sid", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_revoked_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_revoked_sessions")),
    )
    with op.batch_alter_table("revoked_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revoked_sessions_expires_at"), ["expires_at"], unique=False
        )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), _actions_check(NEW_ACTIONS))


def downgrade() -> None:
    events = sa.table("audit_events", sa.column("action", sa.String()))
    kept = (
        op.get_bind()
        .execute(sa.select(sa.func.count()).select_from(events).where(events.c.action == "logout"))
        .scalar()
    )
    if kept:
        raise RuntimeError(
            f"refusing to downgrade: {kept} audit events record a logout, "
            "and the audit chain would no longer verify without them"
        )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), _actions_check(OLD_ACTIONS))
    with op.batch_alter_table("revoked_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revoked_sessions_expires_at"))
    op.drop_table("revoked_sessions")
