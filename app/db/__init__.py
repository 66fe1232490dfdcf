"""Database plumbing, for every domain to build on (and importing none of them).

- `base`: the model base, mixins, enum columns, the clock, the data version row;
- `types`: encrypted text and UTC timestamps;
- `sealed`: model attributes sealing their value to its table, column and row;
- `engine`: engines tuned for SQLite and PostgreSQL, pool sizes;
- `session`: the request session and its admission slots;
- `hooks`: the data version bump and the audit chain at COMMIT, installed explicitly with
  `install_commit_hooks` by `create_app`, the CLI and the tests.

Every write transaction bumps `data_versions.version` (audit and sign-in bookkeeping
excepted), so caches of computed statistics can be keyed on it across workers.
"""

from app.db.base import (
    NAMING_CONVENTION,
    Base,
    DataVersion,
    NotData,
    SoftDeleteMixin,
    TimestampMixin,
    UUIDPk,
    VersionedMixin,
    str_enum,
    today,
    utcnow,
)
from app.db.engine import DB_SLOTS, POOL_OVERFLOW, POOL_SIZE, make_engine
from app.db.hooks import (
    BUMP_DATA_VERSION,
    DEFER_LOCKS,
    ChainAppender,
    current_data_version,
    hooks_installed,
    install_commit_hooks,
    note_data_write,
)
from app.db.sealed import Sealed, SealedRow, on_unverifiable, seal_rows, sealed_columns
from app.db.session import SessionDep, get_session, make_session_factory
from app.db.types import EncryptedText, UTCDateTime

__all__ = [
    "BUMP_DATA_VERSION",
    "DB_SLOTS",
    "DEFER_LOCKS",
    "NAMING_CONVENTION",
    "POOL_OVERFLOW",
    "POOL_SIZE",
    "Base",
    "ChainAppender",
    "DataVersion",
    "EncryptedText",
    "NotData",
    "Sealed",
    "SealedRow",
    "SessionDep",
    "SoftDeleteMixin",
    "TimestampMixin",
    "UTCDateTime",
    "UUIDPk",
    "VersionedMixin",
    "current_data_version",
    "get_session",
    "hooks_installed",
    "install_commit_hooks",
    "make_engine",
    "make_session_factory",
    "note_data_write",
    "on_unverifiable",
    "seal_rows",
    "sealed_columns",
    "str_enum",
    "today",
    "utcnow",
]
