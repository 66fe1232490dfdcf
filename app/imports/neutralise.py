"""Formula neutralisation: a cell a spreadsheet would run as a formula gets a leading quote.

Shared by the export (which adds the quote) and the reader (which strips it again, so an
exported file re-imports with the same values).
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text starting with = + - @ tab or CR with a single quote; leave the rest."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
