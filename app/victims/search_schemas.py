"""Response of `POST /api/v1/victims/search`: ranked victims of the caller's teams, and
where else (other teams) a strong match exists, by case code and team only."""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, Field

from app.catalogs import Team
from app.pagination import Page
from app.schemas import read_model
from app.victims.schemas import VictimItem

_ITEM_EXTRA = cast(dict[str, Any], VictimItem.model_config.get("json_schema_extra"))
_ITEM: dict[str, Any] = {
    **_ITEM_EXTRA["examples"][0],
    "match": {"score": 0.94, "matched_on": ["name", "sex", "age"]},
}


class MatchRead(BaseModel):
    """How well a victim matched: 0..1 (best first) and what agreed (`name`, `sex`,
    `birth_year`, `age`, `document_number`)."""

    score: float = Field(ge=0, le=1)
    matched_on: list[str]


class VictimMatch(VictimItem):
    """A victim found by a search (profile codes only, never identity), with its match."""

    model_config = read_model(_ITEM)

    match: MatchRead


class Elsewhere(BaseModel):
    """A strong match in a team the caller is not in: that it exists, nothing about who."""

    case_code: str
    team: Team


class VictimSearchPage(Page[VictimMatch]):
    """Ranked matches in the caller's teams; `elsewhere`: strong matches in other teams
    (each an audited disclosure, at most 30 per person and hour)."""

    model_config = read_model(
        {
            "items": [_ITEM],
            "next_cursor": None,
            "elsewhere": [{"case_code": "CUS-2019-0007", "team": "cusco"}],
        }
    )

    elsewhere: list[Elsewhere] = Field(default_factory=list)
