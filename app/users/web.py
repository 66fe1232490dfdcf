"""Sign-in and sign-out pages, the account page (password) and two-factor enrolment."""

from __future__ import annotations

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import ValidationError

from app.db import SessionDep
from app.deps import SettingsDep
from app.errors import AppError, InvalidInput, NotAuthenticated, OtpRequired
from app.users import service
from app.users.models import User
from app.users.schemas import OtpConfirm, PasswordChange
from app.web.forms import PostedForm, errors_of
from app.web.respond import redirect, render
from app.web.session import (
    FIRST_PASSWORD_PATH,
    OptionalUser,
    WebUser,
    apply_cookies,
    remember_user,
    sign_in,
    sign_out,
)

router = APIRouter()


def safe_next(value: str | None) -> str:
    """Only a local path may follow sign-in (no open redirect to another site)."""
    if (
        not value
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(c in value for c in "\\\r\n")
        or len(value) > 512
    ):
        return "/"
    return value


def login_page(
    request: Request,
    *,
    next_path: str,
    status: int = 200,
    message: str | None = None,
    username: str = "",
    ask_otp: bool = False,
    notice: str | None = None,
) -> Response:
    return render(
        request,
        "users/login.html",
        {
            "next": safe_next(next_path),
            "message": message,
            "username": username,
            "ask_otp": ask_otp,
            "expired_notice": notice,
        },
        status=status,
    )


EXPIRED = (
    "Tu sesión había expirado por inactividad. Inicie sesión de nuevo para continuar: "
    "lo que había escrito se recuperará en el formulario."
)


@router.get("/login", name="login")
def show_login(request: Request, user: OptionalUser, next: str = "/", motivo: str = "") -> Response:
    """The sign-in form (straight to the destination for someone already signed in)."""
    expired = motivo == "expirada"
    # Back on the form after signing in again, a notice says why it was interrupted.
    target = safe_next(next)
    if expired and target != "/" and "?" not in target:
        target = f"{target}?aviso=expirada"
    if user is not None:
        return redirect(request, target)
    return login_page(request, next_path=target, notice=EXPIRED if expired else None)


@router.get("/sesion/activa", name="session:alive")
def session_alive(request: Request, user: OptionalUser) -> Response:
    """The keep-alive of a page being typed in: renews the session cookie when due (204),
    or says it has ended (401) so the page can keep what was typed before signing in."""
    if user is None:
        return Response(status_code=401, headers={"Cache-Control": "no-store"})
    return apply_cookies(request, Response(status_code=204))


@router.post("/login", name="login:submit")
def submit_login(
    request: Request, session: SessionDep, settings: SettingsDep, form: PostedForm
) -> Response:
    """Check the credentials (throttled like the API) and start a session."""
    username = str(form.get("username") or "")[:64].strip()
    password = str(form.get("password") or "")[:256]
    otp = str(form.get("otp") or "").strip()[:12] or None
    next_path = safe_next(str(form.get("next") or "/"))
    client = request.client.host if request.client else "unknown"
    try:
        user = service.authenticate(
            session, username, password, otp, client=client, settings=settings
        )
    except AppError as exc:
        session.commit()  # the failed attempt must count even though we answer an error
        message = exc.detail if isinstance(exc.detail, str) else "No se pudo iniciar sesión."
        response = login_page(
            request,
            next_path=next_path,
            status=exc.status_code,
            message=message,
            username=username,
            ask_otp=isinstance(exc, OtpRequired),
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response
    remember_user(request, user)
    sign_in(request, settings, user)
    return redirect(request, next_path)


@router.post("/salir", name="logout")
def logout(
    request: Request, session: SessionDep, settings: SettingsDep, user: OptionalUser
) -> Response:
    """End this browser's session, server-side: a copy of its cookie stops working too."""
    session_id = getattr(request.state, "session_id", None)
    if user is not None and session_id:
        service.end_session(session, user, session_id, settings=settings)
    return _signed_out(request, "salida")


@router.post("/cuenta/cerrar-sesiones", name="account:logout-all")
def logout_everywhere(request: Request, session: SessionDep, user: WebUser) -> Response:
    """End every session and bearer token of the signed-in person, this one included."""
    service.end_all_sessions(session, user, actor=user)
    return _signed_out(request, "sesiones")


def _signed_out(request: Request, notice: str) -> Response:
    sign_out(request)
    remember_user(request, None)
    return redirect(request, str(request.app.url_path_for("login")), notice=notice)


@router.get("/cuenta", name="account")
def account(request: Request, user: WebUser) -> Response:
    """The signed-in person's account: role, teams, password, two-factor."""
    return render(request, "users/account.html", {"errors": {}})


def _new_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: User,
    form: PostedForm,
    *,
    template: str,
    then: str,
) -> Response:
    """Change one's password from a form; other sessions end, this one continues with a new
    cookie. Errors: the same page again (422), each beside its field."""
    try:
        body = PasswordChange.model_validate(
            {"current": form.get("current") or "", "new": form.get("new") or ""}
        )
        if body.new != form.get("repeat"):
            raise InvalidInput("repeat", "passwords_differ")
        service.change_password(
            session,
            user,
            body.current,
            body.new,
            settings=settings,
            client=request.client.host if request.client else None,
        )
    except (ValidationError, InvalidInput) as exc:
        return render(request, template, {"errors": errors_of(exc)}, status=422)
    except NotAuthenticated as exc:  # the wrong current password, beside its field
        return render(request, template, {"errors": {"current": exc.detail}}, status=422)
    sign_in(request, settings, user)
    return redirect(request, str(request.app.url_path_for(then)), notice="clave")


@router.post("/cuenta/clave", name="account:password")
def change_password(
    request: Request, session: SessionDep, settings: SettingsDep, user: WebUser, form: PostedForm
) -> Response:
    """Change one's password from the account page."""
    return _new_password(
        request, session, settings, user, form, template="users/account.html", then="account"
    )


FIRST_PASSWORD = "users/first_password.html"


@router.get(FIRST_PASSWORD_PATH, name="account:first-password")
def first_password_form(request: Request, user: WebUser) -> Response:
    """The temporary password an admin gave must be replaced before anything else."""
    if not user.must_change_password:
        return redirect(request, "/")
    return render(request, FIRST_PASSWORD, {"errors": {}})


@router.post(FIRST_PASSWORD_PATH, name="account:first-password:submit")
def first_password_submit(
    request: Request, session: SessionDep, settings: SettingsDep, user: WebUser, form: PostedForm
) -> Response:
    """Replace the temporary password, then on to the home page."""
    return _new_password(
        request, session, settings, user, form, template=FIRST_PASSWORD, then="home"
    )


def _qr_svg(uri: str) -> Markup:
    """The enrolment link as a QR code, inline SVG drawn here: the secret never goes to a
    third-party service, and the page needs no script or image from elsewhere."""
    code = segno.make(uri, error="m")
    return Markup(code.svg_inline(scale=5, border=4, title="Código QR de la clave", omitsize=True))


@router.get("/cuenta/2fa", name="account:otp")
def otp_page(request: Request, user: WebUser) -> Response:
    """Two-factor state and how to enrol."""
    return render(request, "users/otp.html", {"errors": {}, "secret": None})


@router.post("/cuenta/2fa", name="account:otp:submit")
def otp_submit(request: Request, session: SessionDep, user: WebUser, form: PostedForm) -> Response:
    """Start enrolment (shows the secret once) or confirm it with a current code."""
    if form.get("action") == "start":
        try:
            secret, uri = service.start_otp_enrolment(session, user)
        except service.OtpAlreadyEnrolled:
            return render(
                request,
                "users/otp.html",
                {
                    "errors": {
                        "otp": "Ya tiene activado el doble factor. Si perdió su dispositivo, "
                        "pida a administración que lo restablezca."
                    },
                    "secret": None,
                },
                status=409,
            )
        context = {"errors": {}, "secret": secret, "uri": uri, "qr": _qr_svg(uri)}
        return render(request, "users/otp.html", context)
    try:
        body = OtpConfirm.model_validate({"otp": str(form.get("otp") or "").strip()})
        service.confirm_otp(session, user, body.otp)
    except (ValidationError, InvalidInput):
        return render(
            request,
            "users/otp.html",
            {
                "errors": {
                    "otp": "El código no es válido: escriba los 6 dígitos "
                    "que muestra su aplicación."
                },
                "secret": None,
                "confirming": True,
            },
            status=422,
        )
    return redirect(request, str(request.app.url_path_for("account")), notice="2fa")
