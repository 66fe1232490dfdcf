"""Single-use form submissions: a second submit of the same create form creates nothing.

Every create form carries a `submission_token` (a random value, new for each rendered form:
`submission_field()` in templates). `@single_use` under a page's `@router.post` records the
token in `submission_tokens` in the same transaction as the record, with the page the first
submit went to. A second submit finds the token and goes to that page instead. Two submits
arriving at the same moment both try to insert the token: the primary key lets one in; the
other waits for it to commit (PostgreSQL's unique index; SQLite's single writer), then fails
on the key, saves nothing and goes to the first one's page.

A form without the field (an old tab, a script) is saved as before: the token makes a repeat
harmless, it is not a permission.
"""

from __future__ import annotations

import functools
import inspect
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import ParamSpec

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.db import utcnow
from app.templating import templates
from app.users.models import User
from app.web.models import SubmissionToken
from app.web.respond import redirect

SUBMISSION_FIELD = "submission_token"
# What secrets.token_urlsafe(32) makes; anything else is no token of ours (saved as before).
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# A form is resent within minutes (double click, back button, a retry after a lost answer);
# a day is ample, and the table stays small.
KEEP = timedelta(days=1)

P = ParamSpec("P")


def submission_field() -> Markup:
    """The hidden input of a create form: a new token for each rendered form."""
    return Markup(
        f'<input type="hidden" name="{SUBMISSION_FIELD}" value="{secrets.token_urlsafe(32)}">'
    )


templates.env.globals["submission_field"] = submission_field


def made(request: Request, url: str) -> None:
    """For a page that shows the new record itself (no redirect): where a repeat should go."""
    request.state.submission_made = url


def token_of(form: FormData) -> str | None:
    """The form's submission token, or None when it carries none of ours. `claim` and
    `settle` are the two halves of `single_use`, for a page that reads its own body."""
    value = form.get(SUBMISSION_FIELD)
    return value if isinstance(value, str) and _TOKEN.match(value) else None


def _url_of(session: Session, token: str, user: User) -> str | None:
    return session.scalar(
        select(SubmissionToken.url).where(
            SubmissionToken.token == token, SubmissionToken.user_id == user.id
        )
    )


def claim(session: Session, token: str, user: User) -> str | None:
    """Record the token; None when this is its first submit, else the page to go to."""
    if session.get(SubmissionToken, token) is not None:
        return _url_of(session, token, user) or "/"
    try:
        with session.begin_nested():
            session.execute(
                delete(SubmissionToken).where(SubmissionToken.created_at < utcnow() - KEEP)
            )
            session.add(SubmissionToken(token=token, user_id=user.id, created_at=utcnow()))
            session.flush()
    except IntegrityError:  # the same form, sent at the same moment, committed first
        return _url_of(session, token, user) or "/"
    return None


def settle(session: Session, request: Request, token: str, response: Response) -> None:
    made_url = getattr(request.state, "submission_made", None)
    location = response.headers.get("location") if response.status_code == 303 else None
    url = made_url or location
    if url:
        session.execute(
            update(SubmissionToken).where(SubmissionToken.token == token).values(url=url[:512])
        )
    else:  # refused (the form is shown again, with a new token): nothing was made
        session.execute(delete(SubmissionToken).where(SubmissionToken.token == token))


def single_use(page: Callable[P, Response]) -> Callable[P, Response]:
    """Decorate a create page (its parameters must include request, session, user, form)."""
    names = set(inspect.signature(page).parameters)
    missing = {"request", "session", "user", "form"} - names
    if missing:
        raise TypeError(f"{page.__name__}: single_use needs {sorted(missing)}")

    @functools.wraps(page)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        request: Request = kwargs["request"]  # type: ignore[assignment]
        session: Session = kwargs["session"]  # type: ignore[assignment]
        user: User = kwargs["user"]  # type: ignore[assignment]
        token = token_of(kwargs["form"])  # type: ignore[arg-type]
        if token is None:
            return page(*args, **kwargs)
        first = claim(session, token, user)
        if first is not None:
            return redirect(request, first)
        response = page(*args, **kwargs)
        settle(session, request, token, response)
        return response

    return wrapper
