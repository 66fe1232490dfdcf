"""Which figure model each statistics endpoint's JSON body is (app.statistics.schemas)."""

from __future__ import annotations

from pydantic import BaseModel

from app.statistics.schemas import (
    CaptureModalityTable,
    CasesVictimsTable,
    CountTable,
    DataQualityTable,
    OutcomesTable,
    PracticesTable,
    Report,
    StatsReport,
    StatsTable,
    ViolenceTable,
)

# path (with the polarity of Tablas 17-18) -> the model of its body
MODELS: dict[str, type[BaseModel]] = {
    "cases-by-team": CasesVictimsTable,
    "cases-by-year": CasesVictimsTable,
    "victim-profile": CountTable,
    "typology": CountTable,
    "trafficking-purpose": CountTable,
    "capture-modality": CaptureModalityTable,
    "violence-history": ViolenceTable,
    "practices?polarity=good": PracticesTable,
    "practices?polarity=bad": PracticesTable,
    "report": Report,
    "data-quality": DataQualityTable,
    "outcomes": OutcomesTable,
}


def model_of(path: str, params: dict[str, object] | None = None) -> type[BaseModel]:
    polarity = (params or {}).get("polarity")
    return MODELS[f"{path}?polarity={polarity}" if polarity else path]


def response_model_of(path: str) -> type[BaseModel]:
    """The model the OpenAPI document names for the endpoint."""
    return StatsReport if path == "report" else StatsTable
