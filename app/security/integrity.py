"""The scan behind `calp audit verify`: every encrypted value of every table must open
under its own binding (table, column, row), and every blind index must be the one of its
row's document number. Problems name tables, columns and row ids, never a value."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.crypto import DecryptionError, get_keyring
from app.documents.storage import damaged_documents
from app.security.rotation import BLIND_INDEXES, binding_of, sealed_tables

_SHOWN = 5  # row ids named per column; the count says how many more


def verify_ciphertexts(conn: Connection) -> list[str]:
    keyring = get_keyring()
    failed: dict[str, list[str]] = defaultdict(list)
    for table, pk, cols in sealed_tables():
        indexes = {idx: src for (t, idx), src in BLIND_INDEXES.items() if t == table.name}
        extra = [table.c[idx] for idx in indexes]
        # Streamed; the option on the statement, not on the connection (which keeps it).
        result = conn.execute(select(*pk, *cols, *extra).execution_options(yield_per=1000))
        for row in result:
            m = row._mapping
            row_key = ",".join(str(m[p.name]) for p in pk)
            plain: dict[str, str | None] = {}
            for c in cols:
                stored = m[c.name]
                plain[c.name] = None
                if stored is None:
                    continue
                try:
                    plain[c.name] = keyring.open(stored, binding_of(table, c.name, pk, m))
                except DecryptionError:
                    failed[f"{table.name}.{c.name}"].append(row_key)
            for idx, src in indexes.items():
                doc, index = plain[src], m[idx]
                if f"{table.name}.{src}" in failed and row_key in failed[f"{table.name}.{src}"]:
                    continue  # already named: its document cannot be read
                expected = keyring.blind_index_candidates(doc) if doc else [None]
                if index not in expected:
                    failed[f"{table.name}.{idx}"].append(row_key)
    # Document contents: chunks bound to document, position and last flag, then the hash.
    documents = [str(d) for d in damaged_documents(Session(bind=conn))]
    if documents:
        failed["document_chunks"] = documents
    problems = []
    for place, rows in sorted(failed.items()):
        shown = ", ".join(rows[:_SHOWN]) + (
            f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
        )
        problems.append(
            f"{place}: {len(rows)} stored values fail to verify in their row (moved, "
            f"altered, or under a key not configured): rows {shown}"
        )
    return problems
