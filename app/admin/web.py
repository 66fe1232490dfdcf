"""Administration pages: staff accounts (role, teams, deactivation, unlock) and the route
visualiser's API tokens (shown once, then only revoked)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.catalogs import Role
from app.db import SessionDep
from app.deps import SettingsDep, require_role
from app.errors import Conflict
from app.tokens import service as tokens
from app.tokens.schemas import TokenCreate
from app.users import service as users
from app.users.models import User
from app.users.schemas import UserCreate, UserUpdate
from app.web.forms import PostedForm, attempt, clean, parse_id, values_of
from app.web.once import made, single_use
from app.web.respond import redirect_to, render
from app.web.session import WebUser, sign_out

router = APIRouter(prefix="/admin", dependencies=[Depends(require_role(Role.admin))])
PAGE = 50


def _user_body(form: Any, *, with_username: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": str(form.get("full_name") or "").strip(),
        "role": form.get("role") or None,
        "teams": [t for t in form.getlist("teams") if isinstance(t, str)],
    }
    password = clean(str(form.get("password") or ""))
    if with_username:
        body["username"] = str(form.get("username") or "").strip()
        body["password"] = password or ""
    elif password:
        body["password"] = password
    return body


@router.get("/usuarios", name="admin:users")
def list_users(request: Request, session: SessionDep, user: WebUser, desde: str = "") -> Response:
    """Every staff account, by username."""
    rows = users.list_users(session, limit=PAGE, after=desde[:64] or None)
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render(
        request,
        "admin/users.html",
        {"users": rows, "next": rows[-1].username if more and rows else None},
    )


@router.get("/usuarios/nuevo", name="admin:user:new")
def new_user(request: Request, user: WebUser) -> Response:
    """The form to create an account."""
    return render(request, "admin/user_form.html", {"target": None, "values": {}, "errors": {}})


@router.post("/usuarios/nuevo", name="admin:user:create")
@single_use
def create_user(
    request: Request, session: SessionDep, settings: SettingsDep, user: WebUser, form: PostedForm
) -> Response:
    """Create the account (the password is given to the person by a safe channel)."""

    def save() -> Any:
        try:
            return users.create_user(
                session,
                UserCreate.model_validate(_user_body(form, with_username=True)),
                settings=settings,
                actor=user,
                temporary_password=True,
            )
        except Conflict as exc:  # a taken username belongs beside its field
            from app.errors import InvalidInput

            raise InvalidInput("username", "username_taken") from exc

    created, errors = attempt(session, save)
    if errors:
        return _form_refused(request, None, form, errors)
    return redirect_to(request, "admin:users", notice="creado")


def _form_refused(
    request: Request, target: User | None, form: PostedForm, errors: dict[str, str]
) -> Response:
    """The account form again with what was sent and what is wrong with it (422)."""
    return render(
        request,
        "admin/user_form.html",
        {"target": target, "values": values_of(form), "errors": errors},
        status=422,
    )


@router.get("/usuarios/{user_id}", name="admin:user")
def edit_user(request: Request, session: SessionDep, user: WebUser, user_id: str) -> Response:
    """One account: role, teams, active, password reset."""
    target = users.get_user(session, parse_id(user_id))
    values = {
        "full_name": target.full_name,
        "role": target.role.value,
        "teams": [t.value for t in target.teams],
        "active": "1" if target.active else "",
        "version": target.version,
    }
    return render(
        request, "admin/user_form.html", {"target": target, "values": values, "errors": {}}
    )


@router.post("/usuarios/{user_id}", name="admin:user:update")
def update_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: WebUser,
    user_id: str,
    form: PostedForm,
) -> Response:
    """Save role, teams, name, active (deactivation ends every session) or a new password."""
    target = users.get_user(session, parse_id(user_id))
    body = _user_body(form, with_username=False)
    body.update(
        {
            "version": form.get("version") or "",
            "active": form.get("active") == "1",
            "otp_reset": form.get("otp_reset") == "1",
        }
    )
    _, errors = attempt(
        session,
        lambda: users.update_user(
            session, target, UserUpdate.model_validate(body), settings=settings, actor=user
        ),
    )
    if errors:
        return _form_refused(request, target, form, errors)
    return redirect_to(request, "admin:users", notice="guardado")


@router.post("/usuarios/{user_id}/desbloquear", name="admin:user:unlock")
def unlock_user(request: Request, session: SessionDep, user: WebUser, user_id: str) -> Response:
    """Unlock an account locked after many failed sign-ins."""
    users.unlock_user(session, users.get_user(session, parse_id(user_id)), actor=user)
    return redirect_to(request, "admin:users", notice="desbloqueado")


@router.post("/usuarios/{user_id}/cerrar-sesiones", name="admin:user:logout-all")
def logout_user_everywhere(
    request: Request, session: SessionDep, user: WebUser, user_id: str
) -> Response:
    """End every session and bearer token of one account; the admin's own only if targeted."""
    target = users.get_user(session, parse_id(user_id))
    users.end_all_sessions(session, target, actor=user)
    if target.id == user.id:
        sign_out(request)
        return redirect_to(request, "login", notice="sesiones")
    return redirect_to(request, "admin:users", notice="sesiones_cerradas")


def _tokens_page(request: Request, session: SessionDep, **context: Any) -> Response:
    rows, _ = tokens.list_tokens(session, limit=100)
    status = context.pop("status", 200)
    return render(
        request,
        "admin/tokens.html",
        {"tokens": rows, "new_token": None, "errors": {}, "values": {}, **context},
        status=status,
    )


@router.get("/tokens", name="admin:tokens")
def list_tokens(request: Request, session: SessionDep, user: WebUser) -> Response:
    """The visualiser tokens (never their values)."""
    return _tokens_page(request, session)


@router.post("/tokens", name="admin:tokens:create")
@single_use
def create_token(
    request: Request, session: SessionDep, user: WebUser, form: PostedForm
) -> Response:
    """Create a token and show it this once (not redirected: it must not be shown again)."""
    created, errors = attempt(
        session,
        lambda: tokens.create_token(
            session,
            TokenCreate.model_validate(
                {"name": str(form.get("name") or "").strip(), "role": "visualiser"}
            ),
            actor=user,
            via="web",
        ),
    )
    if errors:
        return _tokens_page(request, session, errors=errors, values=values_of(form), status=422)
    made(request, str(request.url_for("admin:tokens").path))  # a repeat: the list, not the token
    return _tokens_page(request, session, new_token=created[1], saved_now=True)


@router.post("/tokens/{token_id}/revocar", name="admin:tokens:revoke")
def revoke_token(request: Request, session: SessionDep, user: WebUser, token_id: str) -> Response:
    """Revoke a token at once."""
    tokens.revoke_token(session, parse_id(token_id), actor=user)
    return redirect_to(request, "admin:tokens", notice="revocado")
