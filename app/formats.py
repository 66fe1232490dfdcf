"""Formatting shared by the pages and the statistics downloads (no domain imports here)."""

from __future__ import annotations

from typing import Any


def spanish_number(value: Any) -> str:
    """Numbers as the report prints them: Spanish decimals with two places (84,15)."""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)
