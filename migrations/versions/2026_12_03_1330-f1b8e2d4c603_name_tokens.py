"""issue 16: keyed name tokens for search and duplicates

`name_tokens(token, victim_id, kind)`: keyed one-way tokens (HMAC under a key derived
from the data key) of each victim's name words, their phonetic keys and one-deletion
forms (app/names/tokens.py). On SQLite the table is its primary key (WITHOUT ROWID).

Backfill: when the data key is configured (`calp migrate`, or CALP_DATA_KEY in the
environment of a bare `alembic upgrade`), the tokens of existing victims are computed
here, from their decrypted names. Without a key the table is left empty and name search
finds nobody until `calp reindex-names` is run (it says so on the console); nothing else
depends on it. `calp reindex-names` can be run again at any time (it replaces them all).

Revision ID: f1b8e2d4c603
Revises: e2c7f1a9d402
Create Date: 2026-12-03 13:30:00
"""

import sys
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.crypto import bind, keyring_for_migrations

revision: str = "f1b8e2d4c603"
down_revision: str | None = "e2c7f1a9d402"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def upgrade() -> None:
    op.create_table(
        "name_tokens",
        sa.Column("token", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["victims.id"],
            name=op.f("fk_name_tokens_victim_id_victims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", "victim_id", name=op.f("pk_name_tokens")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_name_tokens_victim_id", "name_tokens", ["victim_id"], unique=False)
    _backfill()


def _backfill() -> None:
    from app.names.tokens import victim_tokens

    conn = op.get_bind()
    identities = sa.table(
        "victim_identities",
        sa.column("victim_id", sa.Uuid()),
        sa.column("given_names", sa.Text()),
        sa.column("family_names", sa.Text()),
    )
    tokens = sa.table(
        "name_tokens",
        sa.column("token", sa.BigInteger()),
        sa.column("victim_id", sa.Uuid()),
        sa.column("kind", sa.SmallInteger()),
    )
    named = sa.or_(identities.c.given_names.is_not(None), identities.c.family_names.is_not(None))
    if conn.execute(sa.select(sa.func.count()).select_from(identities).where(named)).scalar() == 0:
        return
    keyring = keyring_for_migrations()
    if keyring is None:
        print(
            "calp: name_tokens created empty (no data key here): run `calp reindex-names`",
            file=sys.stderr,
        )
        return
    last = None
    while True:
        query = sa.select(identities).where(named).order_by(identities.c.victim_id).limit(BATCH)
        if last is not None:
            query = query.where(identities.c.victim_id > last)
        rows = conn.execute(query).all()
        if not rows:
            break
        out = []
        for vid, given, family in rows:
            plain = [
                keyring.open(value, bind("victim_identities", col, vid)) if value else None
                for col, value in (("given_names", given), ("family_names", family))
            ]
            out += [
                {"token": t, "victim_id": vid, "kind": k}
                for t, k in victim_tokens(*plain, keyring).items()
            ]
        if out:
            conn.execute(sa.insert(tokens), out)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_name_tokens_victim_id", table_name="name_tokens")
    op.drop_table("name_tokens")
