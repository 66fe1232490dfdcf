"""Response shapes of the routes API: places and counts only, never a record."""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    model_serializer,
)

_LIMA: dict[str, JsonValue] = {
    "country": "PE",
    "region": "15",
    "name": "Lima",
    "lat": -12.0464,
    "lon": -77.0428,
}
_VE: dict[str, JsonValue] = {"country": "VE", "name": "Venezuela", "lat": 6.42, "lon": -66.59}
_MDD: dict[str, JsonValue] = {
    "country": "PE",
    "region": "17",
    "name": "Madre de Dios",
    "lat": -12.5933,
    "lon": -69.1891,
}


class PlaceRead(BaseModel):
    """A department of Peru (`region` = INEI code) or a country (no `region`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_LIMA, _VE]})

    country: str = Field(description="ISO 3166-1 alpha-2")
    region: str | None = Field(default=None, description="INEI department code, Peru only")
    name: str = Field(description="Spanish name")
    lat: float | None
    lon: float | None

    @model_serializer(mode="wrap")
    def _drop_missing_region(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("region") is None:
            data.pop("region", None)
        return data


class FlowRead(BaseModel):
    """Victims whose route goes from one place to another (at least k of them)."""

    model_config = ConfigDict(
        populate_by_name=True,
        json_schema_extra={
            "examples": [{"from": _VE, "to": _LIMA, "victims": 12, "international": True}]
        },
    )

    from_: PlaceRead = Field(alias="from", serialization_alias="from")
    to: PlaceRead
    victims: int
    international: bool = Field(description="The flow starts or ends outside Peru")


class RoutesRead(BaseModel):
    """The published flows; left-out (small) flows are only counted."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "k": 5,
                    "flows": [{"from": _VE, "to": _LIMA, "victims": 12, "international": True}],
                    "suppressed_flows": 3,
                }
            ]
        }
    )

    k: int = Field(description="Minimum victims for a cell to be shown")
    flows: list[FlowRead]
    suppressed_flows: int


class PlaceCount(BaseModel):
    """A department (`region`) or a country (`country`) with its victims."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"region": "15", "name": "Lima", "victims": 80},
                {"country": "VE", "name": "Venezuela", "victims": 40},
            ]
        }
    )

    region: str | None = None
    country: str | None = None
    name: str
    victims: int

    @model_serializer(mode="wrap")
    def _drop_unused_key(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("region", "country"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class RoutesSummaryRead(BaseModel):
    """Top 5 departments per stage, top 5 foreign countries of capture, share crossing a border."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "k": 5,
                    "capture": [{"region": "15", "name": "Lima", "victims": 80}],
                    "transit": [{"region": "24", "name": "Tumbes", "victims": 30}],
                    "exploitation": [{"region": "17", "name": "Madre de Dios", "victims": 50}],
                    "foreign_capture": [{"country": "VE", "name": "Venezuela", "victims": 40}],
                    "international_share": 35,
                }
            ]
        }
    )

    k: int
    capture: list[PlaceCount]
    transit: list[PlaceCount]
    exploitation: list[PlaceCount]
    foreign_capture: list[PlaceCount]
    international_share: int | None = Field(
        description="Whole percent of victims whose route crosses a border; null when it "
        "would reveal a group smaller than k"
    )


GEOJSON_EXAMPLE = {
    "type": "FeatureCollection",
    "k": 5,
    "suppressed_flows": 3,
    "features": [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [[-77.0428, -12.0464], [-69.1891, -12.5933]],
            },
            "properties": {"from": _LIMA, "to": _MDD, "victims": 12, "international": False},
        }
    ],
}
