"""Application factory: settings, database, routers, error handlers, security headers."""

from __future__ import annotations

import importlib
import logging
import re
import sqlite3
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.audit.service import append_pending
from app.config import Settings, get_settings
from app.crypto import configure_keyring
from app.db import install_commit_hooks, make_engine, make_session_factory
from app.error_texts import ErrorCode, error_text
from app.errors import AppError, Conflict, StaleVersion, Unavailable
from app.http_contract import allowed_methods, unparseable_body
from app.nul_guard import NulGuard, refuse_nul_in_multipart

log = logging.getLogger("calp")


class _NoResultRows(logging.Filter):
    """Drop SQLAlchemy's row-level debug records (echo="debug").

    Bound parameters are logged after encryption (ciphertext), but result rows are logged
    after decryption: a name or document number would reach the log. Nobody needs them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


def quiet_result_rows() -> None:
    target = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _NoResultRows) for f in target.filters):
        target.addFilter(_NoResultRows())


quiet_result_rows()  # at import: the CLI and workers import this module too

# Every module exposing `router` (an APIRouter), in inclusion order. Each domain owns its
# module; adding a domain means adding it here.
ROUTER_MODULES = [
    "app.users.router:auth",
    "app.users.router:users",
    "app.tokens.router:router",
    "app.catalog_router:router",
    "app.cases.router:router",
    "app.victims.router:router",
    "app.victimfile.router:router",
    "app.followups.router:router",
    "app.plans.router:router",
    "app.referrals.router:router",
    "app.protection.router:router",
    "app.consents.router:router",
    "app.documents.router:router",
    "app.detections.router:router",
    "app.links.router:router",
    "app.audit.router:router",
    "app.statistics.router:router",
    "app.routes.router:router",
    "app.imports.router:router",
    "app.transfers.router:router",
    "app.agenda.router:router",
    "app.caseload.router:router",
    "app.web.router:router",
]

# Framework HTTP errors (an unmatched path, a method the path does not take…): kind, code.
_HTTP_ERRORS: dict[int, tuple[str, ErrorCode]] = {
    400: ("bad_request", "bad_request"),
    401: ("not_authenticated", "not_authenticated"),
    403: ("forbidden", "forbidden"),
    404: ("not_found", "not_found"),
    405: ("method_not_allowed", "method_not_allowed"),
    409: ("conflict", "conflict"),
    413: ("too_large", "too_large"),
    415: ("unsupported_media_type", "unsupported_media_type"),
    422: ("validation_error", "invalid_input"),
    423: ("account_locked", "account_locked"),
    429: ("rate_limited", "rate_limited"),
}


# FastAPI's built-in OpenTelemetry records exception messages and stack traces, and
# FASTAPI_OTEL_AUTO_CONFIGURE=true in the environment would ship them to a collector:
# values a person typed must never leave the server that way. Off, and never auto-wired.
NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def create_app(
    settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    settings = (settings or get_settings()).ensure_keys()
    assert settings.data_key is not None
    configure_keyring(settings.data_key.get_secret_value(), settings.old_data_key_list)
    install_commit_hooks(append_pending)  # data version + audit chain at every COMMIT
    engine: Engine | None = None
    if session_factory is None:
        engine = make_engine(settings.database_url)
        session_factory = make_session_factory(engine)

    app = FastAPI(
        title="CALP — gestión de casos",
        version="0.1.0",
        description="API of CALP's case-management system. Spanish labels come from "
        "/api/v1/catalogs; identifying data never travels in a URL.",
        # The stock pages load Swagger UI from a CDN with an inline script: the strict CSP
        # (and an office without internet) would leave them blank. `_install_docs` serves
        # the same UI from a local package instead.
        docs_url=None,
        redoc_url=None,
        telemetry=NO_TELEMETRY,
        dependencies=[Depends(refuse_nul_in_multipart)],  # NulGuard's multipart half
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.engine = engine

    for spec in ROUTER_MODULES:
        module_name, attr = spec.split(":")
        app.include_router(getattr(importlib.import_module(module_name), attr))

    _install_handlers(app)
    _install_middleware(app, settings)
    _install_docs(app)

    @app.get("/healthz", tags=["health"])
    def healthz(request: Request) -> dict[str, str]:
        """Liveness and database reachability."""
        with request.app.state.session_factory() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and request.url.path not in (
        "/healthz",
        "/openapi.json",
    )


def _error(
    request: Request,
    status: int,
    kind: str,
    code: str,
    detail: Any,
    headers: dict[str, str] | None = None,
) -> Response:
    if _wants_html(request):
        from app.web.errors import render_error  # the UI owns its error pages

        return render_error(request, status, kind, detail, headers)
    body = {"error": kind, "code": code, "detail": detail}
    return JSONResponse(body, status_code=status, headers=headers)


_SQLITE_BUSY = re.compile(r"database is (locked|busy)|database table is locked")


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    def app_error(request: Request, exc: AppError) -> Response:
        return _error(request, exc.status_code, exc.kind, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    def validation_error(request: Request, exc: RequestValidationError) -> Response:
        # Only where and why: never echo the input, which may be a name or a document.
        detail = [
            {
                "loc": list(e.get("loc", ())),
                "msg": error_text(str(e.get("type", "")), e.get("ctx")),
                "type": e.get("type", ""),
            }
            for e in exc.errors()
        ]
        code = str(detail[0]["type"]) if detail else "invalid_input"
        return _error(request, 422, "validation_error", code, detail)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:  # an unparseable body: invalid input (app/http_contract.py)
            return validation_error(request, RequestValidationError([unparseable_body(request)]))
        if exc.status_code == 405:  # every method the path serves, not one route's
            exc.headers = {**(exc.headers or {}), "Allow": allowed_methods(request)}
        kind, code = _HTTP_ERRORS.get(exc.status_code, ("error", "http_error"))
        headers = getattr(exc, "headers", None)
        return _error(request, exc.status_code, kind, code, error_text(code), headers)

    @app.exception_handler(StaleDataError)
    def stale(request: Request, exc: StaleDataError) -> Response:
        return app_error(request, StaleVersion())

    @app.exception_handler(OperationalError)
    def unavailable(request: Request, exc: OperationalError) -> Response:
        # Lock waits that ran out and a database that is down or restarting are not the
        # caller's fault and not a bug: 503 with a hint to retry, never a 500. Anything else
        # SQLite calls "operational" (no such table, …) is a bug and stays a 500.
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.OperationalError) and not _SQLITE_BUSY.search(str(orig)):
            raise exc
        log.warning(
            "database unavailable: %s %s",
            type(orig or exc).__name__,
            getattr(orig, "sqlstate", "") or "",
        )
        return app_error(request, Unavailable())

    @app.exception_handler(IntegrityError)
    def integrity(request: Request, exc: IntegrityError) -> Response:
        log.warning("integrity error: %s", type(exc.orig).__name__)
        return app_error(request, Conflict("data_conflict"))


DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_DOCS_PAGE = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>CALP API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>"""
_DOCS_INIT = (
    "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui', "
    "deepLinking: true, presets: [SwaggerUIBundle.presets.apis]});"
)
_DOCS_FALLBACK = """<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">
<title>CALP API</title></head><body><p>Swagger UI no está instalado (paquete
swagger-ui-bundle-v2). La especificación está en <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>"""


def _install_docs(app: FastAPI) -> None:
    """/docs: Swagger UI from the swagger-ui-bundle-v2 package, no CDN, no inline script."""
    from fastapi.responses import HTMLResponse

    try:
        from starlette.staticfiles import StaticFiles
        from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]
    except ImportError:  # the page still answers and points at the specification
        swagger_ui_path = None

    if swagger_ui_path is not None:
        app.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        page = _DOCS_PAGE if swagger_ui_path is not None else _DOCS_FALLBACK
        return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_CSP})

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(_DOCS_INIT, media_type="text/javascript")


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Adds the security headers to every HTTP response that does not set its own.

    A plain ASGI middleware: Starlette's BaseHTTPMiddleware costs a task group and a
    stream per request, measurable on every write.
    """

    def __init__(self, app: ASGIApp, *, force_hsts: bool) -> None:
        self.app = app
        self.force_hsts = force_hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.force_hsts or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
                    )
                # Records about people must not linger in shared caches or browser history.
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(NulGuard)  # first added, innermost: its 422 gets the headers below
    app.add_middleware(SecurityHeaders, force_hsts=settings.behind_https)
    # Pages compress to a fraction (the new-victim form: 83 KB raw, under 25 KB sent). Against
    # BREACH: another site cannot have the browser fetch our pages signed in (SameSite=strict
    # cookies), and the one secret in every page, the CSRF token, is masked anew in each
    # response (app.web.session).
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET"],
            allow_headers=["Authorization", "If-None-Match"],
            expose_headers=["ETag"],
            allow_credentials=False,
        )
