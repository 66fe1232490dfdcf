"""Server memory while a 25 MB document is uploaded and downloaded (issue 18).

    python -m bench.documents_memory [--mb 25] [--db sqlite|postgresql] [--pg-server URL]

A real `calp serve` (one worker) on 127.0.0.1, on a fresh migrated database in a temp dir
(or a throwaway database on the PostgreSQL server), one staff account and one victim. After
a small warm-up upload and download (imports, pools, caches), the server's RSS (summed over
its processes, sampled every 50 ms: bench/server.py) is taken as the base; then one file of
`--mb` MB of incompressible bytes behind a PDF header is uploaded (streamed by the client,
multipart written by hand) and downloaded (streamed, hashed as it arrives, compared with the
upload's). Prints the base, the peaks and the growth; exits 1 if the growth reaches 40 MB or
the bytes differ. Bounded: two requests of the file, then everything is removed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.config import new_key

LIMIT_MB = 40.0
BOUNDARY = "calp-bench-boundary"
PIECE = 256 * 1024


def _content(total: int, seed: bytes) -> Iterator[bytes]:
    """`total` bytes: a PDF header, then pseudo-random pieces (the same for the same seed)."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    yield head
    sent, counter = len(head), 0
    while sent < total:
        block = b"".join(
            hashlib.sha256(seed + (counter * 1000 + i).to_bytes(8, "big")).digest()
            for i in range(PIECE // 32)
        )[: total - sent]
        counter += 1
        sent += len(block)
        yield block


def _multipart(total: int, seed: bytes) -> Iterator[bytes]:
    def field(name: str, value: str) -> bytes:
        return (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()

    yield field("kind", "judicial_resolution") + field("title", "Bench")
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    yield from _content(total, seed)
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


@contextmanager
def _database(kind: str, pg_server: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench-documents.db'}"
        return
    from sqlalchemy import create_engine, text

    name = f"calp_bench_docs_{os.getpid()}"
    admin = create_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{pg_server}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _seed(url: str, data_key: str) -> tuple[str, str]:
    """A migrated schema, one lawyer and one victim: (username, victim id)."""
    from app.audit.service import append_pending
    from app.catalogs import Role
    from app.crypto import configure_keyring
    from app.db import install_commit_hooks, make_engine, make_session_factory
    from bench.load import alembic_migrate
    from tests.factories import make_user, make_victim

    configure_keyring(data_key)
    install_commit_hooks(append_pending)
    engine = make_engine(url)
    try:
        alembic_migrate(engine)
        with make_session_factory(engine)() as s:
            user = make_user(s, role=Role.lawyer, username="bench_docs")
            victim = make_victim(s)
            s.commit()
            return user.username, str(victim.id)
    finally:
        engine.dispose()


def _login(base: str, username: str) -> dict[str, str]:
    from tests.factories import PASSWORD

    r = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30
    )
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _round_trip(client: httpx.Client, victim_id: str, size: int, seed: bytes) -> bool:
    up = client.post(
        f"/api/v1/victims/{victim_id}/documents",
        content=_multipart(size, seed),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    up.raise_for_status()
    doc = up.json()
    digest = hashlib.sha256()
    with client.stream("GET", f"/api/v1/documents/{doc['id']}/content") as down:
        down.raise_for_status()
        for piece in down.iter_bytes():
            digest.update(piece)
    expected = hashlib.sha256(b"".join(_content(size, seed))).hexdigest()
    return bool(doc["sha256"] == digest.hexdigest() == expected and doc["size"] == size)


def main(argv: list[str] | None = None) -> int:
    from bench.server import Server

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=25)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-server", default="postgresql+psycopg://postgres@127.0.0.1:54329")
    args = parser.parse_args(argv)
    size = args.mb * 1024 * 1024  # exactly the limit (it counts the file, not the form)
    keys = {
        "CALP_SECRET_KEY": new_key(),
        "CALP_DATA_KEY": new_key(),
        "CALP_FAST_PASSWORD_HASH": "true",
        "CALP_MAX_DOCUMENT_MB": str(args.mb),
    }
    tmp = Path(tempfile.mkdtemp(prefix="calp-bench-docs-"))
    try:
        with _database(args.db, args.pg_server, tmp) as url:
            username, victim_id = _seed(url, keys["CALP_DATA_KEY"])
            with Server(url, 1, keys, tmp) as srv:
                headers = _login(srv.base, username)
                with httpx.Client(base_url=srv.base, headers=headers, timeout=300) as client:
                    assert _round_trip(client, victim_id, 300_000, b"warm-up")
                    base = srv.rss_mb()
                    srv.peak_kb = 0
                    ok = _round_trip(client, victim_id, size, b"bench")
                    peak = max(srv.peak_mb, srv.rss_mb())
                    after = srv.rss_mb()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    growth = peak - base
    print(f"documents memory ({args.db}, {size / 1024 / 1024:.1f} MB file, 1 worker)")
    print(f"  server RSS before     {base:7.1f} MB")
    print(f"  peak during up+down   {peak:7.1f} MB")
    print(f"  after                 {after:7.1f} MB")
    print(f"  growth (peak - base)  {growth:7.1f} MB   (limit {LIMIT_MB:.0f} MB)")
    print(f"  bytes identical       {'yes' if ok else 'NO'}")
    return 0 if ok and growth < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
