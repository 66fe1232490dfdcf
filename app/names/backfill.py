"""Rebuilding every victim's name tokens from the decrypted names: the backfill
(`calp reindex-names`) and the last step of a data-key rotation (tokens are keyed by the
data key, so new ones must be computed from the names, never from the old tokens)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, delete, func, insert, select

from app.crypto import DecryptionError, Keyring, bind, get_keyring
from app.names.models import NameToken
from app.names.tokens import victim_tokens
from app.victims.models import VictimIdentity

Progress = Callable[[int], None]


def count_identities(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(VictimIdentity.__table__)) or 0


def reindex(
    engine: Engine,
    batch_size: int = 500,
    progress: Progress | None = None,
    keyring: Keyring | None = None,
) -> int:
    """Replace every victim's tokens with tokens under the active key; the number of
    victims indexed. One short transaction per batch (the service keeps serving; a batch's
    identity rows are locked on PostgreSQL while their tokens are rewritten). Tokens of
    victims without identity (anonymised) are removed. Raises DecryptionError, naming no
    value, when a name does not open in its row (`calp audit verify` finds it)."""
    ring = keyring or get_keyring()
    table = VictimIdentity.__table__
    vid, given, family = table.c.victim_id, table.c.given_names, table.c.family_names
    with engine.begin() as conn:
        conn.execute(delete(NameToken).where(NameToken.victim_id.not_in(select(vid))))
    done = 0
    last = None
    while True:
        with engine.begin() as conn:
            query = select(vid, given, family).order_by(vid).limit(batch_size).with_for_update()
            if last is not None:
                query = query.where(vid > last)
            rows = conn.execute(query).all()
            if not rows:
                break
            out = []
            for victim_id, g, f in rows:
                given_names, family_names = (
                    ring.open(value, bind("victim_identities", column, victim_id))
                    if value
                    else None
                    for column, value in (("given_names", g), ("family_names", f))
                )
                out += [
                    {"token": t, "victim_id": victim_id, "kind": k}
                    for t, k in victim_tokens(given_names, family_names, ring).items()
                ]
            ids = [r[0] for r in rows]
            conn.execute(delete(NameToken).where(NameToken.victim_id.in_(ids)))
            if out:
                conn.execute(insert(NameToken), out)
        done += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(len(rows))
    return done


__all__ = ["DecryptionError", "count_identities", "reindex"]
