"""The columns every deletable record of case work has, in one mixin."""

from __future__ import annotations

from app.db import SoftDeleteMixin, TimestampMixin, UUIDPk, VersionedMixin
from app.work.authors import Authored


class DeletableRecord(UUIDPk, TimestampMixin, VersionedMixin, SoftDeleteMixin, Authored):
    """UUID key, created/updated timestamps, optimistic `version` and soft delete (the
    columns and their order are those of the four mixins, so tables do not change), and
    the `author` read from `created_by_id` (app.work.authors)."""
