"""bind every ciphertext to its table, column and row; record digests in the audit log

Re-seals every encrypted value from the unbound `k1` form into the bound `k2` form
(associated data: table, column, row id), so this step needs the data key: the one the
process configured (`calp migrate`, `calp serve`), else CALP_DATA_KEY and
CALP_OLD_DATA_KEYS from the environment. An empty database needs none.

Adds `audit_events.record_digest` and the audit actions `unverifiable` and `rekey`.

Revision ID: a04677cb3c71
Revises: 292ec4f2657b
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from app.crypto import Binding, DecryptionError, Keyring, bind, keyring_for_migrations

revision: str = "a04677cb3c71"
down_revision: str | None = "292ec4f2657b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The encrypted columns as of this revision: table -> (primary key, columns).
SEALED: dict[str, tuple[str, list[str]]] = {
    "users": ("id", ["otp_secret"]),
    "cases": ("id", ["summary"]),
    "case_status_changes": ("id", ["note"]),
    "detections": ("id", ["description"]),
    "follow_ups": ("id", ["narrative"]),
    "referrals": ("id", ["reason", "external_ref"]),
    "victim_identities": (
        "victim_id",
        ["given_names", "family_names", "document_number", "phone", "address", "birth_date"],
    ),
    "plan_needs": ("id", ["description"]),
    "plan_goals": ("id", ["description"]),
    "plan_reviews": ("id", ["summary"]),
    "plan_review_goals": ("id", ["note"]),
}
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
]
NEW_ACTIONS = [*OLD_ACTIONS, "unverifiable", "rekey"]
CHECK = "ck_audit_events_audit_action"
BATCH = 500

Convert = Callable[[Keyring, str, Binding], str]


def _actions_check(actions: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def _table(name: str) -> tuple[sa.TableClause, sa.ColumnClause[object], list[sa.ColumnClause[str]]]:
    pk_name, names = SEALED[name]
    pk = sa.column(pk_name, sa.Uuid())
    cols = [sa.column(c, sa.Text()) for c in names]
    return sa.table(name, pk, *cols), pk, cols


def _reseal(source_prefix: str, convert: Convert) -> None:
    """Rewrite every value stored in `source_prefix` form, table by table, by keyset."""
    conn = op.get_bind()
    keyring: Keyring | None = None
    for name in SEALED:
        table, pk, cols = _table(name)
        stale = sa.or_(*[c.like(f"{source_prefix}.%") for c in cols])
        if conn.execute(sa.select(sa.func.count()).select_from(table).where(stale)).scalar() == 0:
            continue
        if keyring is None:
            keyring = keyring_for_migrations()
            if keyring is None:
                raise RuntimeError(
                    "the database holds encrypted values and no data key is configured: "
                    "set CALP_DATA_KEY (and CALP_OLD_DATA_KEYS) to migrate"
                )
        last = None
        while True:
            query = sa.select(pk, *cols).where(stale).order_by(pk).limit(BATCH)
            if last is not None:
                query = query.where(pk > last)
            rows = conn.execute(query).all()
            if not rows:
                break
            for row in rows:
                values = {}
                for c in cols:
                    stored = row._mapping[c.name]
                    if stored is not None and stored.startswith(f"{source_prefix}."):
                        values[c.name] = _convert(convert, keyring, stored, name, c.name, row[0])
                conn.execute(sa.update(table).where(pk == row[0]).values(values))
            last = rows[-1][0]


def _convert(
    convert: Convert, keyring: Keyring, stored: str, table: str, column: str, row: object
) -> str:
    try:
        return convert(keyring, stored, bind(table, column, str(row)))
    except DecryptionError:
        raise RuntimeError(
            f"a value of {table}.{column} cannot be decrypted with the configured keys: "
            "add the key it was written under to CALP_OLD_DATA_KEYS"
        ) from None


def _bound(keyring: Keyring, stored: str, binding: Binding) -> str:
    return keyring.seal(keyring.open_unbound(stored), binding)


def _unbound(keyring: Keyring, stored: str, binding: Binding) -> str:
    return keyring.seal_unbound(keyring.open(stored, binding))


def upgrade() -> None:
    _reseal("k1", _bound)  # first: without a key, it stops before anything else changed
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_digest", sa.String(length=80), nullable=True))
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), _actions_check(NEW_ACTIONS))


def downgrade() -> None:
    conn = op.get_bind()
    events = sa.table(
        "audit_events", sa.column("action", sa.String()), sa.column("record_digest", sa.String())
    )
    kept = conn.execute(
        sa.select(sa.func.count())
        .select_from(events)
        .where(
            sa.or_(
                events.c.record_digest.is_not(None),
                events.c.action.in_(set(NEW_ACTIONS) - set(OLD_ACTIONS)),
            )
        )
    ).scalar()
    if kept:
        raise RuntimeError(
            f"refusing to downgrade: {kept} audit events carry record digests or new actions, "
            "and the audit chain would no longer verify without them"
        )
    _reseal("k2", _unbound)
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), _actions_check(OLD_ACTIONS))
        batch_op.drop_column("record_digest")
