"""issue 16: pair tokens in name_tokens (search at national scale)

Besides one token per word key, `name_tokens` now holds one PAIR token (kind 4) per two
keys of a victim's name (app/names/tokens.py): a search of two words and more looks those
up. No schema change (the same table and key; a new `kind` value); the stored tokens of
existing victims are rebuilt from their decrypted names when the data key is configured
(`calp migrate`, or CALP_DATA_KEY in the environment of a bare `alembic upgrade`), as
f1b8e2d4c603 built them. Without a key they are left as they are and the console says to
run `calp reindex-names`: until then a search of two words or more finds nobody (one word
still does).

Downgrade removes the pair tokens (the word tokens are what the older code reads).

Revision ID: c6c3b7a9fc08
Revises: b5b2a6f8eb07
Create Date: 2026-12-04 19:00:00
"""

import sys
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.crypto import bind, keyring_for_migrations

revision: str = "c6c3b7a9fc08"
down_revision: str | None = "b5b2a6f8eb07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
PAIR = 4  # app.names.tokens.PAIR, as of this revision

_identities = sa.table(
    "victim_identities",
    sa.column("victim_id", sa.Uuid()),
    sa.column("given_names", sa.Text()),
    sa.column("family_names", sa.Text()),
)
_tokens = sa.table(
    "name_tokens",
    sa.column("token", sa.BigInteger()),
    sa.column("victim_id", sa.Uuid()),
    sa.column("kind", sa.SmallInteger()),
)


def upgrade() -> None:
    _rebuild()


def _rebuild() -> None:
    from app.names.tokens import victim_tokens

    conn = op.get_bind()
    ids = _identities.c.victim_id
    named = sa.or_(_identities.c.given_names.is_not(None), _identities.c.family_names.is_not(None))
    if conn.execute(sa.select(sa.func.count()).select_from(_identities).where(named)).scalar() == 0:
        return
    keyring = keyring_for_migrations()
    if keyring is None:
        print(
            "calp: name tokens not rebuilt with pairs (no data key here): run "
            "`calp reindex-names` (until then a search of two words finds nobody)",
            file=sys.stderr,
        )
        return
    last = None
    while True:
        query = sa.select(_identities).where(named).order_by(ids).limit(BATCH)
        if last is not None:
            query = query.where(ids > last)
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
        batch = [r[0] for r in rows]
        conn.execute(sa.delete(_tokens).where(_tokens.c.victim_id.in_(batch)))
        if out:
            conn.execute(sa.insert(_tokens), out)
        last = rows[-1][0]


def downgrade() -> None:
    op.execute(sa.delete(_tokens).where(_tokens.c.kind == PAIR))
