"""The columns of a victim's profile that answer a catalogue question, in the record's order.

The profile edit, the importer's Core insert and the export list them in this order, each
with its own fields around them (intake date, age, reflection period, route).
"""

from __future__ import annotations

PROFILE_ANSWERS = (
    "typology",
    "trafficking_purpose",
    "capture_modality",
    "trafficker_relation",
    "education_level",
    "disability",
    "indigenous_language",
    "migration_status",
)
