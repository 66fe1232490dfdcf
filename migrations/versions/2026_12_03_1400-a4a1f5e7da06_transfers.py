"""issue 15: transfers between teams; cases keep the team that opened them

`transfers`: a proposal to move a case to another team (reason from `transfer_reason`, a
sealed note), pending until the receiving team accepts or rejects it or the sending team
withdraws it; at most one pending per case (partial unique index).

`cases.opened_by_team`: the team statistics count a case under, whatever team is in charge
of it later; existing cases were opened by the team that holds them, so it is filled from
`team`. No ciphertext is touched: the data key is not needed.

Revision ID: a4a1f5e7da06
Revises: a3f0e4d6c905
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4a1f5e7da06"
down_revision: str | None = "a3f0e4d6c905"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAMS = ["lima", "cusco", "loreto", "puno", "madre_de_dios"]
REASONS = ["victim_moved", "specialised_attention", "closer_to_family", "other"]
STATUSES = ["pending", "accepted", "rejected", "withdrawn"]
TEAM_WIDTH = 21  # longest code + 8, as app.db.base.str_enum makes it


def _enum(values: list[str], name: str) -> sa.Enum:
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values) + 8,
    )


def _in(column: str, values: list[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    check = _in("opened_by_team", TEAMS)
    if op.get_bind().dialect.name == "sqlite":
        # In place: rebuilding `cases` (batch mode) would trip the foreign keys of every
        # table that points at it. SQLite adds a NOT NULL column only with a default, here
        # overwritten at once; the application always writes the column itself.
        op.execute(
            f"ALTER TABLE cases ADD COLUMN opened_by_team VARCHAR({TEAM_WIDTH}) NOT NULL "
            f"DEFAULT 'lima' CONSTRAINT ck_cases_opened_by_team CHECK ({check})"
        )
        op.execute("UPDATE cases SET opened_by_team = team")
    else:
        op.add_column("cases", sa.Column("opened_by_team", sa.String(TEAM_WIDTH), nullable=True))
        op.execute("UPDATE cases SET opened_by_team = team")
        op.alter_column("cases", "opened_by_team", nullable=False)
        op.create_check_constraint(op.f("ck_cases_opened_by_team"), "cases", check)
    op.create_index(
        "ix_cases_opened_by_team_opened", "cases", ["opened_by_team", "opened_on"], unique=False
    )

    op.create_table(
        "transfers",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("from_team", _enum(TEAMS, "from_team"), nullable=False),
        sa.Column("to_team", _enum(TEAMS, "to_team"), nullable=False),
        sa.Column("reason", _enum(REASONS, "transfer_reason"), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", _enum(STATUSES, "transfer_status"), nullable=False),
        sa.Column("proposed_by_id", sa.Uuid(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("from_team <> to_team", name=op.f("ck_transfers_other_team")),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)", name=op.f("ck_transfers_decided_when")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_transfers_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_transfers_proposed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_transfers_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfers_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_transfers_from_team_status", ["from_team", "status"], unique=False
        )
        batch_op.create_index("ix_transfers_to_team_status", ["to_team", "status"], unique=False)
        batch_op.create_index(
            "uq_transfers_one_pending",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )


def downgrade() -> None:
    cases = sa.table("cases", sa.column("team", sa.String()), sa.column("opened_by_team"))
    moved = (
        op.get_bind()
        .execute(
            sa.select(sa.func.count())
            .select_from(cases)
            .where(cases.c.team != cases.c.opened_by_team)
        )
        .scalar()
    )
    if moved:
        raise RuntimeError(
            f"refusing to downgrade: {moved} cases were transferred, and without "
            "opened_by_team their statistics would move to the team now in charge"
        )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index("uq_transfers_one_pending")
        batch_op.drop_index("ix_transfers_to_team_status")
        batch_op.drop_index("ix_transfers_from_team_status")
        batch_op.drop_index(batch_op.f("ix_transfers_case_id"))
    op.drop_table("transfers")
    op.drop_index("ix_cases_opened_by_team_opened", table_name="cases")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a column (and its own CHECK) without rebuilding the table.
        op.execute("ALTER TABLE cases DROP COLUMN opened_by_team")
    else:
        op.drop_constraint(op.f("ck_cases_opened_by_team"), "cases", type_="check")
        op.drop_column("cases", "opened_by_team")
