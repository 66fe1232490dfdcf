"""An anchor for the audit chain, kept outside the database.

A hash chain shows an edited, inserted or removed event anywhere except at its end:
cutting the newest events leaves a shorter chain that still verifies. The anchor is the
newest (id, hash) seen by the last successful `calp audit verify`, authenticated with an
HMAC under CALP_SECRET_KEY (which is not in the database), in a file. A later verify
fails if that event is gone or different. Events newer than the anchor stay unprotected
against truncation until the next verify: run it often (cron) and keep the file off the
database host or in the backups.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.service import chain_head


def _mac(secret: str, event_id: int, digest: str) -> str:
    msg = f"calp-audit-anchor:{event_id}:{digest}".encode()
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def check_anchor(session: Session, path: Path, secret: str) -> list[str]:
    """Problems with the chain against the anchor file (none if there is no file yet)."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text())
        event_id, digest, mac = int(data["id"]), str(data["hash"]), str(data["mac"])
    except (ValueError, KeyError, TypeError):
        return [f"anchor {path}: unreadable"]
    if not hmac.compare_digest(mac, _mac(secret, event_id, digest)):
        return [f"anchor {path}: signature does not match (altered, or another secret key)"]
    if event_id == 0:
        return []
    stored = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == event_id))
    if stored is None:
        last, _ = chain_head(session)
        return [
            f"event {event_id}: missing; the anchor saw it but the chain now ends at "
            f"{last} (newest events deleted?)"
        ]
    if stored != digest:
        return [f"event {event_id}: differs from the anchored one (chain rewritten?)"]
    return []


def write_anchor(session: Session, path: Path, secret: str) -> tuple[int, str]:
    event_id, digest = chain_head(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"id": event_id, "hash": digest, "mac": _mac(secret, event_id, digest)}, fh)
    os.replace(tmp, path)
    return event_id, digest
