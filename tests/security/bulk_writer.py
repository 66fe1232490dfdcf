"""Helper process for the crash test: commit one batch, then write forever in one transaction.

Prints "committed N" after the first batch and "writing M" as the second, uncommitted
transaction grows; the test kills it with SIGKILL in the middle of that transaction.
"""

from __future__ import annotations

import os
import sys
import uuid
from datetime import date
from typing import cast

from sqlalchemy import Table, insert

from app.cases.models import Case
from app.crypto import configure_keyring
from app.db import make_engine, seal_rows

FIRST = 50
CASES = cast(Table, Case.__table__)


def rows(start: int, n: int) -> list[dict[str, object]]:
    """Cases as a bulk writer inserts them: free text sealed to each row."""
    return seal_rows(
        CASES,
        [
            {
                "id": uuid.uuid4(),
                "code": f"LIM-2023-{i:06d}",
                "team": "lima",
                "year": 2023,
                "seq": i,
                "opened_on": date(2023, 1, 1),
                "status": "open",
                "summary": "texto de prueba",
                "version": 1,
            }
            for i in range(start, start + n)
        ],
    )


def main() -> None:
    configure_keyring(os.environ["CALP_DATA_KEY"])
    engine = make_engine(os.environ["CALP_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(insert(CASES), rows(1, FIRST))
    print(f"committed {FIRST}", flush=True)
    with engine.begin() as conn:
        n = FIRST + 1
        for _ in range(10_000):  # bounded: far more than the test waits for
            conn.execute(insert(CASES), rows(n, 200))
            n += 200
            print(f"writing {n - FIRST - 1}", flush=True)
    sys.exit("not killed in time")


if __name__ == "__main__":
    main()
