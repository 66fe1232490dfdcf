"""One error hierarchy, rendered as {"error": kind, "code": code, "detail": ...} under /api/.

The kinds are those of api.md. Every error carries a stable `code` (the class default, or the
one given where it is raised); its Spanish text, from app.error_texts, is the `detail` people
read. Texts never carry identifying data: they name fields and record types, never values
typed into identity or narrative fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, Field
from pydantic_core import PydanticCustomError

from app.error_texts import ERROR_TEXTS, ErrorCode, error_text


class AppError(Exception):
    status_code: ClassVar[int] = 400
    kind: ClassVar[str] = "bad_request"
    code: ErrorCode = "bad_request"
    headers: dict[str, str] | None = None

    def __init_subclass__(
        cls,
        *,
        status: int | None = None,
        kind: str | None = None,
        code: ErrorCode | None = None,
        **kwargs: Any,
    ) -> None:
        """A kind of api.md declared in its class line: `class X(AppError, status=404,
        kind="not_found", code="not_found")`; a subclass without them inherits its parent's."""
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status_code = status
        if kind is not None:
            cls.kind = kind
        if code is not None:
            cls.code = code

    def __init__(
        self, code: ErrorCode | None = None, *, headers: dict[str, str] | None = None, **ctx: Any
    ) -> None:
        if code is not None:
            self.code = code
        super().__init__(self.code)  # the code, never a value, is what logs and tracebacks show
        self.detail: Any = error_text(self.code, ctx)
        if headers:
            self.headers = headers


class NotAuthenticated(AppError, status=401, kind="not_authenticated", code="not_authenticated"):
    """No valid session or token."""


class OtpRequired(AppError, status=401, kind="otp_required", code="otp_required"):
    """The second factor (a TOTP code) is missing or wrong."""


class NotAllowed(AppError, status=403, kind="forbidden", code="forbidden"):
    """Signed in, but the role or team does not allow it."""


class NotFound(AppError, status=404, kind="not_found", code="not_found"):
    """No such record, or none the caller may see (other teams' records look absent)."""


class Conflict(AppError, status=409, kind="conflict", code="conflict"):
    """The request contradicts the record's current state."""


class TooLarge(AppError, status=413, kind="too_large", code="too_large"):
    """A file or an import larger than the limits allow."""


def problem(field: str, code: ErrorCode, **ctx: Any) -> dict[str, Any]:
    """One item of a 422's `detail`: where (`loc`), which rule (`type`) and its text (`msg`)."""
    return {"loc": field.split("."), "msg": error_text(code, ctx), "type": code}


class InvalidInput(AppError, status=422, kind="validation_error", code="invalid_input"):
    """A business rule on the payload (422), beyond what the schema checks.

    `code` (the body's) is that of the first problem; `detail` lists every problem.
    """

    def __init__(self, field: str, code: ErrorCode, **ctx: Any) -> None:
        super().__init__(code, **ctx)
        self.detail = [problem(field, code, **ctx)]

    @classmethod
    def of(cls, problems: Iterable[tuple[str, ErrorCode]]) -> InvalidInput:
        """One 422 naming several fields (at least one)."""
        items = list(problems)
        err = cls(*items[0])
        err.detail = [problem(field, code) for field, code in items]
        return err


class AccountLocked(AppError, status=423, kind="account_locked", code="account_locked"):
    """The account is locked after failed sign-ins; an administrator unlocks it."""


class RateLimited(AppError, status=429, kind="rate_limited", code="rate_limited"):
    """Too many attempts from this client; `Retry-After` says when to try again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(headers={"Retry-After": str(max(retry_after, 1))})


class Unavailable(AppError, status=503, kind="unavailable", code="database_unavailable"):
    """The database is locked too long by other writers, or down: not the caller's fault."""

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "2"})


class StaleVersion(Conflict):
    code: ErrorCode = "record_stale"


def rule_error(code: ErrorCode, **ctx: Any) -> PydanticCustomError:
    """What a schema validator raises: pydantic reports `code` as the item's `type`."""
    return PydanticCustomError(code, ERROR_TEXTS[code], ctx or None)


class ErrorBody(BaseModel):
    error: str
    code: str = Field(
        description="Stable code of the problem (snake_case); `detail` is its Spanish text. "
        "For 422 the code of the first item, each item naming its own in `type`."
    )
    detail: Any = None


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the errors a route may raise."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        example = {"error": err.kind, "code": err.code, "detail": "…"}
        out[err.status_code] = {
            "model": ErrorBody,
            "description": err.kind,
            "content": {"application/json": {"example": example}},
        }
    return out
