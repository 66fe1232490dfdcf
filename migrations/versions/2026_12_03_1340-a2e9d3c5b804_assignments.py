"""issue 15: assignments of staff to cases (case_staff gains responsibility, since, until)

`case_staff` held bare (case, user) pairs that only the demo loader wrote. It becomes the
assignments table: its own id (assignments are ended by id and kept in the history), a
responsibility, `since`/`until`, who assigned and who ended it, and partial unique indexes
for "one current lead per case" and "one current assignment per user and responsibility".

The old pairs are carried over as current assignments since the case's opening: per case
the first pair (by user id) becomes the lead, any other one takes the responsibility of the
user's role (psychologist → psychological, lawyer → legal, others → social). The table is
rebuilt (read, drop, create, insert), since a primary key cannot change in place on SQLite.
The authorship columns every record needs already exist (`created_by_id` or `author_id`).

Revision ID: a2e9d3c5b804
Revises: f2c9a3e5d704
Create Date: 2026-12-03 13:40:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "a2e9d3c5b804"
down_revision: str | None = "f2c9a3e5d704"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RESPONSIBILITIES = ("lead", "psychological", "legal", "social")
_BY_ROLE = {"psychologist": "psychological", "lawyer": "legal"}
_CURRENT = sa.text("until IS NULL")
_CURRENT_LEAD = sa.text("until IS NULL AND responsibility = 'lead'")
_BATCH = 5000


def _old_pairs() -> list[tuple[uuid.UUID, uuid.UUID, object, str]]:
    rows = op.get_bind().execute(
        sa.text(
            "SELECT cs.case_id, cs.user_id, c.opened_on, u.role FROM case_staff cs"
            " JOIN cases c ON c.id = cs.case_id JOIN users u ON u.id = cs.user_id"
            " ORDER BY cs.case_id, cs.user_id"
        ).columns(case_id=sa.Uuid(), user_id=sa.Uuid(), opened_on=sa.Date(), role=sa.String())
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def upgrade() -> None:
    pairs = _old_pairs()
    op.drop_table("case_staff")
    table = op.create_table(
        "case_staff",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "responsibility",
            sa.Enum(
                *_RESPONSIBILITIES,
                name="responsibility",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("assigned_by_id", sa.Uuid(), nullable=True),
        sa.Column("ended_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "until IS NULL OR until >= since", name=op.f("ck_case_staff_until_after_since")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_case_staff_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_staff_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["users.id"], name=op.f("fk_case_staff_ended_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_staff_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_staff")),
    )
    with op.batch_alter_table("case_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_staff_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_case_staff_user_until", ["user_id", "until"], unique=False)
        batch_op.create_index(
            "uq_case_staff_current",
            ["case_id", "user_id", "responsibility"],
            unique=True,
            sqlite_where=_CURRENT,
            postgresql_where=_CURRENT,
        )
        batch_op.create_index(
            "uq_case_staff_current_lead",
            ["case_id"],
            unique=True,
            sqlite_where=_CURRENT_LEAD,
            postgresql_where=_CURRENT_LEAD,
        )
    now = datetime.now(UTC)
    rows, led = [], set()
    for case_id, user_id, opened_on, role in pairs:
        responsibility = "lead" if case_id not in led else _BY_ROLE.get(role, "social")
        led.add(case_id)
        rows.append(
            {
                "id": uuid.uuid4(),
                "case_id": case_id,
                "user_id": user_id,
                "responsibility": responsibility,
                "since": opened_on,
                "until": None,
                "assigned_by_id": None,
                "ended_by_id": None,
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), _BATCH):
        op.bulk_insert(table, rows[start : start + _BATCH])


def downgrade() -> None:
    # Back to bare pairs: the current assignments, one row per (case, user).
    pairs = {
        (r[0], r[1])
        for r in op.get_bind().execute(
            sa.text("SELECT case_id, user_id FROM case_staff WHERE until IS NULL").columns(
                case_id=sa.Uuid(), user_id=sa.Uuid()
            )
        )
    }
    op.drop_table("case_staff")
    table = op.create_table(
        "case_staff",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_staff_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_staff_user_id_users")
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_staff")),
    )
    rows = [{"case_id": c, "user_id": u} for c, u in sorted(pairs)]
    for start in range(0, len(rows), _BATCH):
        op.bulk_insert(table, rows[start : start + _BATCH])
