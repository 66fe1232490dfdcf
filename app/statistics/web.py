"""Statistics pages for coordinators and admin: Tablas 10-18 with a chart and downloads,
data quality, outcomes, and a printable report; period and team filters on each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from app.catalogs import Role
from app.db import SessionDep
from app.deps import require_role
from app.errors import AppError, NotFound
from app.statistics import formats, service
from app.statistics.charts import bar_chart
from app.statistics.router import CacheDep
from app.statistics.schemas import AnyTable, CasesVictims
from app.statistics.tables import REPORT_ORDER, TABLES
from app.web.forms import errors_of
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter(
    prefix="/estadisticas", dependencies=[Depends(require_role(Role.coordinator, Role.admin))]
)
API_PATHS = {n: f"/api/v1/stats/{spec.slug}" for n, spec in TABLES.items()}
API_PATHS.update({"17": "/api/v1/stats/practices", "18": "/api/v1/stats/practices"})
EXTRA = {"17": {"polarity": "good"}, "18": {"polarity": "bad"}}


@dataclass(frozen=True)
class Filters:
    """The period and team asked for: as typed (`raw`, shown back in the form) and parsed."""

    raw: dict[str, str]
    first: int | None = None
    last: int | None = None
    team: str | None = None

    @property
    def period(self) -> service.Period:
        """The parsed filters, as the service's keyword arguments."""
        return {"first": self.first, "last": self.last, "team": self.team}


def _filters(request: Request) -> tuple[Filters, dict[str, str]]:
    """Years and team from the query string; bad values are reported, not fatal."""
    raw = {k: request.query_params.get(k, "").strip() for k in ("from", "to", "team")}
    errors: dict[str, str] = {}
    years: dict[str, int | None] = {"from": None, "to": None}
    for key in years:
        if raw[key]:
            if raw[key].isdigit():
                years[key] = int(raw[key])
            else:
                errors[key] = "Escriba un año (por ejemplo, 2024)."
    return Filters(raw, years["from"], years["to"], raw["team"] or None), errors


def _query(raw: dict[str, str], **extra: str) -> str:
    return urlencode({k: v for k, v in {**raw, **extra}.items() if v})


class GroupView(TypedDict):
    label: str
    rows: list[tuple[str, list[int | float]]]  # (row label, its numbers)
    totals: list[int]
    not_recorded: int
    unit_label: str  # what the group counts (outcomes groups count units of their own)
    chart: Markup


# Functional form: "from" is a keyword. The templates read `data['from']`.
TableView = TypedDict(
    "TableView",
    {
        "heading": str,
        "number": str,
        "unit_label": str,
        "denominator_label": str,
        "headers": list[str],
        "groups": list[GroupView],
        "from": int | None,
        "to": int | None,
    },
)
ReportView = TypedDict(
    "ReportView", {"from": int | None, "to": int | None, "views": list[TableView]}
)


def table_view(table: AnyTable) -> TableView:
    """A table as the template draws it: headers, rows of numbers, totals and one chart each."""
    headers = formats.value_headers(table)
    kind = "cv" if headers == ["Casos", "Víctimas"] else "keyed" if "%" not in headers else "count"
    groups: list[GroupView] = []
    for group in table.groups:
        rows = [(row.label, formats.row_values(table, row)) for row in group.rows]
        total = group.total
        totals = [total.cases, total.victims] if isinstance(total, CasesVictims) else [total]
        if kind == "cv":
            chart = bar_chart(group.label, [(lbl, v[:2]) for lbl, v in rows], ["Casos", "Víctimas"])
        else:
            first = 1 if kind == "keyed" and headers[0] == "Total" else 0
            chart = bar_chart(
                f"{group.label} ({headers[first]})", [(lbl, [v[first]]) for lbl, v in rows]
            )
        groups.append(
            {
                "label": group.label,
                "rows": rows,
                "totals": totals,
                "not_recorded": group.not_recorded,
                "unit_label": getattr(group, "unit_label", table.unit_label),
                "chart": chart,
            }
        )
    return {
        "heading": formats.heading(table),
        "number": table.table,
        "unit_label": table.unit_label,
        "denominator_label": table.denominator_label,
        "headers": headers,
        "groups": groups,
        "from": table.from_,
        "to": table.to,
    }


def _page(
    request: Request,
    session: Session,
    template: str,
    load: Callable[[Filters], object],
    **context: object,
) -> Response:
    filters, errors = _filters(request)
    data = None
    if not errors:
        try:
            data = load(filters)
        except AppError as exc:
            if exc.status_code != 422:
                raise
            errors = {k.replace("first", "from"): v for k, v in errors_of(exc).items()}
    return render(
        request,
        template,
        {
            "filters": filters.raw,
            "errors": errors,
            "data": data,
            "numbers": REPORT_ORDER,
            **context,
        },
        status=422 if errors else 200,
    )


@router.get("", name="stats:index")
def stats_index(request: Request, user: WebUser) -> Response:
    """The list of tables and indicator pages."""
    return render(request, "statistics/index.html", {"tables": [TABLES[n] for n in REPORT_ORDER]})


@router.get("/tablas/{number}", name="stats:table")
def stats_table(
    request: Request, session: SessionDep, cache: CacheDep, user: WebUser, number: str
) -> Response:
    """One published table: the figures, a bar chart and CSV/XLSX downloads."""
    if number not in TABLES:
        raise NotFound()

    def load(f: Filters) -> TableView:
        table = service.get_table(session, number, cache=cache, **f.period)
        return table_view(table)

    filters, _ = _filters(request)
    api = API_PATHS[number]
    downloads = {
        fmt: f"{api}?{_query(filters.raw, format=fmt, **EXTRA.get(number, {}))}"
        for fmt in ("csv", "xlsx")
    }
    return _page(
        request, session, "statistics/table.html", load, number=number, downloads=downloads
    )


@router.get("/calidad", name="stats:quality")
def stats_quality(
    request: Request, session: SessionDep, cache: CacheDep, user: WebUser
) -> Response:
    """Share of victims with each profile field not recorded, per team and year."""
    return _page(
        request,
        session,
        "statistics/quality.html",
        lambda f: service.get_data_quality(session, cache=cache, **f.period),
    )


@router.get("/resultados", name="stats:outcomes")
def stats_outcomes(
    request: Request, session: SessionDep, cache: CacheDep, user: WebUser
) -> Response:
    """Plans, actions, closures and referrals of the period."""
    return _page(
        request,
        session,
        "statistics/outcomes.html",
        lambda f: table_view(service.get_outcomes(session, cache=cache, **f.period)),
    )


@router.get("/informe", name="stats:report")
def stats_report(request: Request, session: SessionDep, cache: CacheDep, user: WebUser) -> Response:
    """Every table on one printable page."""

    def load(f: Filters) -> ReportView:
        report = service.get_report(session, cache=cache, **f.period)
        return {
            "from": report.from_,
            "to": report.to,
            "views": [table_view(t) for t in report.tables],
        }

    filters, _ = _filters(request)
    return _page(
        request,
        session,
        "statistics/report.html",
        load,
        xlsx=f"/api/v1/stats/report?{_query(filters.raw, format='xlsx')}",
    )
