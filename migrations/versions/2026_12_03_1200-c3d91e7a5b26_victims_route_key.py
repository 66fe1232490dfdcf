"""victims.route_key: the stored record key of the route map's cell-key method

Each victim gets a random integer in [0, 2^31) (app/routes/cellkey.py); the routes sum them
per cell in SQL instead of hashing every victim id in the process. Existing rows are filled
with random values by the database itself (no key needed). SQLite cannot add a NOT NULL
column without a constant default, nor drop a default without rebuilding `victims` (which,
referenced by foreign keys with cascades, is not done in a migration): there the column
keeps `DEFAULT 0`; every writer sets the key (the model's default), PostgreSQL has none.

Revision ID: c3d91e7a5b26
Revises: 5b1e7c9d2f40
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d91e7a5b26"
down_revision: str | None = "5b1e7c9d2f40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A uniform draw in [0, 2^31) per row, by each database's own generator.
RANDOM_KEY = {
    "sqlite": "random() & 2147483647",
    "postgresql": "floor(random() * 2147483648)::integer",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("ALTER TABLE victims ADD COLUMN route_key INTEGER NOT NULL DEFAULT 0")
        op.execute(f"UPDATE victims SET route_key = {RANDOM_KEY[dialect]}")
        return
    op.add_column("victims", sa.Column("route_key", sa.Integer(), nullable=True))
    op.execute(f"UPDATE victims SET route_key = {RANDOM_KEY[dialect]}")
    op.alter_column("victims", "route_key", nullable=False)


def downgrade() -> None:
    # SQLite 3.35+ drops a column without rebuilding the table.
    op.execute("ALTER TABLE victims DROP COLUMN route_key")
