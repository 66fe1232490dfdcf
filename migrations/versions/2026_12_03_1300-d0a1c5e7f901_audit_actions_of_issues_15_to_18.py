"""the audit actions of documents, consent overrides and name-match disclosures

Adds `read_document` (a document's bytes were downloaded), `consent_override` (an outgoing
referral recorded without a live data-sharing consent, with a reason) and
`disclose_existence` (a name or duplicate search told the caller that a person exists in
another team, case code and team only). One revision for all three, so the revisions that
add the records themselves need not repeat the list.

Revision ID: d0a1c5e7f901
Revises: c3d91e7a5b26
Create Date: 2026-12-03 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0a1c5e7f901"
down_revision: str | None = "c3d91e7a5b26"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The audit actions as of the previous revision, and the ones this revision adds.
OLD_ACTIONS = [
    "create",
    "update",
    "delete",
    "restore",
    "read_identity",
    "read_narrative",
    "login",
    "login_failed",
    "logout",
    "export",
    "import",
    "backup",
    "restore_backup",
    "unverifiable",
    "rekey",
]
ADDED = ["read_document", "consent_override", "disclose_existence"]
NEW_ACTIONS = [*OLD_ACTIONS, *ADDED]
CHECK = "ck_audit_events_audit_action"
# The column is as wide as the longest code + 8 (app.db.base.str_enum).
OLD_WIDTH, NEW_WIDTH = 22, 26


def _actions_check(actions: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.alter_column(
            "action", type_=sa.String(NEW_WIDTH), existing_type=sa.String(OLD_WIDTH)
        )
        batch_op.create_check_constraint(op.f(CHECK), _actions_check(NEW_ACTIONS))


def downgrade() -> None:
    events = sa.table("audit_events", sa.column("action", sa.String()))
    kept = (
        op.get_bind()
        .execute(sa.select(sa.func.count()).select_from(events).where(events.c.action.in_(ADDED)))
        .scalar()
    )
    if kept:
        raise RuntimeError(
            f"refusing to downgrade: {kept} audit events use an action this revision added, "
            "and the audit chain would no longer verify without them"
        )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.alter_column(
            "action", type_=sa.String(OLD_WIDTH), existing_type=sa.String(NEW_WIDTH)
        )
        batch_op.create_check_constraint(op.f(CHECK), _actions_check(OLD_ACTIONS))
