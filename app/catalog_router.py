"""GET /api/v1/catalogs: every catalog's codes with Spanish labels, countries and regions."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter

from app.catalogs import LABELS
from app.countries import country_catalog
from app.deps import CurrentUser
from app.errors import NotAuthenticated, error_responses

router = APIRouter(prefix="/api/v1", tags=["catalogs"])


@lru_cache
def _catalogs() -> dict[str, list[dict[str, str]]]:
    out = {
        name: [{"code": c, "label": lbl} for c, lbl in labels.items()]
        for name, labels in LABELS.items()
    }
    out["regions"] = out["region"]
    out["countries"] = country_catalog()
    return out


@router.get(
    "/catalogs",
    responses={
        **error_responses(NotAuthenticated),
        200: {
            "content": {
                "application/json": {"example": {"sex": [{"code": "female", "label": "Femenino"}]}}
            }
        },
    },
)
def read_catalogs(user: CurrentUser) -> dict[str, Any]:
    """Every catalog of the domain, in order, with Spanish labels (plus countries, regions)."""
    return _catalogs()
