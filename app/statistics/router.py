"""JSON API of the statistics domain: the published tables, data quality and outcomes.

Coordinators and admin only (every team); staff roles and visualiser tokens get 403.
JSON responses carry a strong ETag; `If-None-Match` with it gets 304 (after the role check).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.catalogs import Role, Team
from app.db import SessionDep
from app.deps import require_role
from app.errors import NotAllowed, NotAuthenticated, error_responses
from app.etag import etag_response
from app.statistics import formats, service
from app.statistics.cache import StatsCache
from app.statistics.schemas import AnyTable, Report, StatsReport, StatsTable
from app.statistics.service import Figures

router = APIRouter(
    prefix="/api/v1/stats",
    tags=["statistics"],
    dependencies=[Depends(require_role(Role.coordinator, Role.admin))],
)

Format = Literal["json", "csv", "xlsx", "html"]
FromYear = Annotated[
    int | None, Query(alias="from", ge=1990, le=2100, description="First year (inclusive)")
]
ToYear = Annotated[int | None, Query(ge=1990, le=2100, description="Last year (inclusive)")]
TeamFilter = Annotated[Team | None, Query(description="Only this team")]
FormatParam = Annotated[Format, Query(description="json, csv, xlsx or html")]


@dataclass(frozen=True)
class StatsQuery:
    """What every statistics endpoint is asked: the years, the team and the format."""

    first: int | None
    last: int | None
    team: str | None
    format: Format


def stats_query(
    from_: FromYear = None,
    to: ToYear = None,
    team: TeamFilter = None,
    format: FormatParam = "json",
) -> StatsQuery:
    """The four query parameters, in the order the OpenAPI document lists them."""
    return StatsQuery(first=from_, last=to, team=team.value if team else None, format=format)


StatsParams = Annotated[StatsQuery, Depends(stats_query)]
_FILE_CONTENT: dict[str, Any] = {"text/csv": {}, formats.XLSX_MEDIA_TYPE: {}, "text/html": {}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": _FILE_CONTENT},
    304: {"description": "Not modified (JSON: If-None-Match matched the ETag)"},
    **error_responses(NotAuthenticated, NotAllowed),
}


async def get_stats_cache(request: Request) -> StatsCache:
    """The worker's cache of computed tables (one per application instance)."""
    cache: StatsCache | None = getattr(request.app.state, "stats_cache", None)
    if cache is None:
        cache = request.app.state.stats_cache = StatsCache()
    return cache


CacheDep = Annotated[StatsCache, Depends(get_stats_cache)]


def _file_name(stem: str, data: AnyTable | Report, extension: str) -> str:
    years = f"{data.from_}-{data.to}" if data.from_ else "sin-datos"
    team = f"-{data.team}" if data.team else ""
    return f"calp-{stem}{team}-{years}.{extension}"


def respond(
    request: Request,
    session: Session,
    cache: StatsCache,
    figures: Figures[AnyTable | Report],
    fmt: Format,
    stem: str,
) -> Response:
    """JSON from the cache of encoded bodies; the other formats from the cached figures."""
    if fmt == "json":
        return etag_response(request, service.get_json(session, figures, cache))
    return render(service.get_figures(session, figures, cache), fmt, stem)


@dataclass(frozen=True)
class StatsCall:
    """One statistics call: what it was asked and what it needs to answer."""

    request: Request
    session: Session
    cache: StatsCache
    query: StatsQuery

    @property
    def period(self) -> dict[str, Any]:
        """The years and team, as the service's keyword arguments."""
        return {"first": self.query.first, "last": self.query.last, "team": self.query.team}

    def answer(self, figures: Figures[AnyTable | Report], stem: str) -> Response:
        """The figures in the asked format (`respond`)."""
        return respond(self.request, self.session, self.cache, figures, self.query.format, stem)


async def stats_call(
    request: Request, session: SessionDep, cache: CacheDep, query: StatsParams
) -> StatsCall:
    """No I/O of its own: the endpoint's thread does the queries."""
    return StatsCall(request, session, cache, query)


Stats = Annotated[StatsCall, Depends(stats_call)]


def render(data: AnyTable | Report, fmt: Format, stem: str) -> Response:
    """The same figures as CSV, XLSX or a printable HTML page (JSON: `respond`)."""
    tables = data.tables if isinstance(data, Report) else [data]
    if fmt == "csv":
        body = formats.report_csv(data) if isinstance(data, Report) else formats.table_csv(data)
        return Response(
            body.encode("utf-8"),
            media_type=formats.CSV_MEDIA_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="{_file_name(stem, data, "csv")}"'
            },
        )
    if fmt == "xlsx":
        return Response(
            formats.workbook_bytes(tables),
            media_type=formats.XLSX_MEDIA_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="{_file_name(stem, data, "xlsx")}"'
            },
        )
    title = "Estadísticas CALP" if isinstance(data, Report) else formats.heading(data)
    return Response(formats.page_html(tables, title), media_type=formats.HTML_MEDIA_TYPE)


def _table_endpoint(number: str, stem: str) -> Callable[..., Response]:
    def endpoint(stats: Stats) -> Response:
        return stats.answer(service.table_figures(stats.session, number, **stats.period), stem)

    return endpoint


TABLE_ROUTES = [
    ("10", "cases-by-team", "Tabla 10: cases and victims by team (región)."),
    ("11", "cases-by-year", "Tabla 11: cases and victims by year."),
    ("12", "victim-profile", "Tabla 12: victims by sex, age range and nationality."),
    ("13", "typology", "Tabla 13: victims by typology."),
    ("14", "trafficking-purpose", "Tabla 14: trafficking victims by purpose."),
    ("15", "capture-modality", "Tabla 15: trafficking victims by capture modality."),
    ("16", "violence-history", "Tabla 16: violence history, counts and percents per answer."),
]
for _number, _slug, _doc in TABLE_ROUTES:
    router.add_api_route(
        f"/{_slug}",
        _table_endpoint(_number, f"tabla-{_number}"),
        methods=["GET"],
        response_model=StatsTable,
        responses=RESPONSES,
        name=f"stats:{_slug}",
        description=_doc,
        summary=_doc.split(":")[0],
        operation_id=f"stats_{_slug.replace('-', '_')}",
    )


@router.get("/practices", response_model=StatsTable, responses=RESPONSES)
def practices_by_category(
    polarity: Annotated[Literal["good", "bad"], Query()], stats: Stats
) -> Response:
    """Tablas 17 (good) and 18 (bad): practices detected by category."""
    number = "17" if polarity == "good" else "18"
    figures = service.table_figures(stats.session, number, **stats.period)
    return stats.answer(figures, f"tabla-{number}")


@router.get("/report", response_model=StatsReport, responses=RESPONSES)
def full_report(stats: Stats) -> Response:
    """Every published table (Tablas 10-18); XLSX is one workbook with a sheet per table."""
    return stats.answer(service.report_figures(stats.session, **stats.period), "informe")


@router.get("/data-quality", response_model=StatsTable, responses=RESPONSES)
def data_quality(stats: Stats) -> Response:
    """Per team and year, the share of victims with each profile field not recorded."""
    figures = service.data_quality_figures(stats.session, **stats.period)
    return stats.answer(figures, "calidad-de-datos")


@router.get("/outcomes", response_model=StatsTable, responses=RESPONSES)
def outcome_indicators(stats: Stats) -> Response:
    """Outcome indicators: plan coverage and status, actions, closures, referrals."""
    return stats.answer(service.outcomes_figures(stats.session, **stats.period), "resultados")
