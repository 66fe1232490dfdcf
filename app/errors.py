"""One error hierarchy, rendered as {"error": kind, "detail": ...} under /api/.

The kinds are those of api.md. Messages never carry identifying data: they name fields
and record types, never values typed into identity or narrative fields.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel


class AppError(Exception):
    status_code: ClassVar[int] = 400
    kind: ClassVar[str] = "bad_request"
    headers: dict[str, str] | None = None

    def __init__(self, detail: Any = None, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail if detail is not None else self.default_detail()
        if headers:
            self.headers = headers

    def default_detail(self) -> str:
        return self.kind.replace("_", " ")


class NotAuthenticated(AppError):
    status_code = 401
    kind = "not_authenticated"


class OtpRequired(AppError):
    status_code = 401
    kind = "otp_required"


class NotAllowed(AppError):
    status_code = 403
    kind = "forbidden"


class NotFound(AppError):
    status_code = 404
    kind = "not_found"


class Conflict(AppError):
    status_code = 409
    kind = "conflict"


class TooLarge(AppError):
    status_code = 413
    kind = "too_large"


class InvalidInput(AppError):
    """A business rule on the payload (422), beyond what the schema checks."""

    status_code = 422
    kind = "validation_error"

    def __init__(self, field: str, message: str) -> None:
        super().__init__([{"loc": field.split("."), "msg": message, "type": "value_error"}])


class AccountLocked(AppError):
    status_code = 423
    kind = "account_locked"


class RateLimited(AppError):
    status_code = 429
    kind = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Demasiados intentos: espere antes de volver a intentar.",
            headers={"Retry-After": str(max(retry_after, 1))},
        )


class Unavailable(AppError):
    """The database is locked too long by other writers, or down: not the caller's fault."""

    status_code = 503
    kind = "unavailable"

    def __init__(self) -> None:
        super().__init__(
            "The database is busy or unavailable: try again in a moment.",
            headers={"Retry-After": "2"},
        )


class StaleVersion(Conflict):
    def default_detail(self) -> str:
        return "The record was changed by someone else: reload it and try again."


class ErrorBody(BaseModel):
    error: str
    detail: Any = None


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the errors a route may raise."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        out[err.status_code] = {
            "model": ErrorBody,
            "description": err.kind,
            "content": {"application/json": {"example": {"error": err.kind, "detail": "…"}}},
        }
    return out
