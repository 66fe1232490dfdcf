"""Built benchmark databases kept for later runs (`--keep DIR`, `--reuse DIR`, `--drop-kept DIR`).

Building 1M victims takes 10+ minutes; the measurements need only the database, the keys
its ciphertexts and blind indexes were made with, and a few generator samples (victim ids,
case codes, document numbers, row counts). `DIR/<backend>-<size>.json` holds those and the
build timings; a database counts as kept from the moment that file names it, so a build cut
short (SIGTERM) is still removed. The file holds the run's throwaway keys: mode 0600.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.db import make_engine
from bench.load import drop_database
from bench.synth import Samples

_KEPT: set[str] = set()  # URLs whose metadata file was written by this process


def meta_path(keep_dir: Path, backend: str, size: int) -> Path:
    return keep_dir / f"{backend}-{size}.json"


def load_meta(keep_dir: Path | None, backend: str, size: int) -> dict[str, Any] | None:
    if keep_dir is None:
        return None
    path = meta_path(keep_dir, backend, size)
    return dict(json.loads(path.read_text())) if path.exists() else None


def save_meta(
    keep_dir: Path,
    backend: str,
    size: int,
    url: str,
    keys: dict[str, str],
    samples: Samples,
    build: dict[str, float],
    seed: int,
    db_size_mb: float | None = None,
) -> Path:
    """Record a built database; from now on it is kept (not removed at the end)."""
    keep_dir.mkdir(parents=True, exist_ok=True)
    meta = {
        "backend": backend,
        "size": size,
        "url": url,
        "seed": seed,
        "built_at": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "keys": keys,
        "build": build,
        "db_size_mb": db_size_mb,
        "rows": dict(samples.counts),
        "samples": {
            "victim_ids": [str(v) for v in samples.victim_ids],
            "case_codes": list(samples.case_codes),
            "documents": list(samples.documents),
        },
    }
    path = meta_path(keep_dir, backend, size)
    tmp = path.with_suffix(".tmp")
    # Kept before the file exists: a SIGTERM in between leaves an unnamed database behind
    # (found by its calp_bench_keep_ name), never a file naming a dropped one.
    _KEPT.add(url)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(meta, fh, indent=1)
        tmp.replace(path)  # atomic: a half-written file never names a database
    except Exception:
        _KEPT.discard(url)
        raise
    return path


def is_kept(url: str) -> bool:
    """For `load.database`'s cleanup: keep a database once its metadata was saved."""
    return url in _KEPT


def samples_of(meta: dict[str, Any]) -> Samples:
    s = meta["samples"]
    return Samples(
        victim_ids=[uuid.UUID(v) for v in s["victim_ids"]],
        case_codes=list(s["case_codes"]),
        documents=list(s["documents"]),
        counts=dict(meta["rows"]),
    )


def check_reachable(url: str) -> None:
    """Fail early, and clearly, when a kept database has gone (file removed, db dropped)."""
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        raise RuntimeError(f"kept SQLite file is missing: {url}")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM victims LIMIT 1"))
    finally:
        engine.dispose()


def drop_kept(keep_dir: Path, log: Any = print) -> list[str]:
    """Remove every kept database of `keep_dir` and its metadata; the URLs removed."""
    dropped = []
    for path in sorted(keep_dir.glob("*.json")):
        try:
            meta = json.loads(path.read_text())
            url = meta["url"]
        except (OSError, ValueError, KeyError):
            log(f"  skipped {path.name}: not a kept-database file")
            continue
        drop_database(url)
        path.unlink()
        dropped.append(url)
        log(f"  dropped {meta.get('backend')} {meta.get('size')}: {url}")
    if keep_dir.exists() and not any(keep_dir.iterdir()):
        keep_dir.rmdir()
    return dropped
