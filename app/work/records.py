"""The columns every deletable record of case work has, in one mixin."""

from __future__ import annotations

from app.db import SoftDeleteMixin, TimestampMixin, UUIDPk, VersionedMixin


class DeletableRecord(UUIDPk, TimestampMixin, VersionedMixin, SoftDeleteMixin):
    """UUID key, created/updated timestamps, optimistic `version` and soft delete (the
    columns and their order are those of the four mixins, so tables do not change)."""
