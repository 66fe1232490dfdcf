"""Page responses that carry the cookies a request decided on (session renewal, CSRF)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from app.templating import templates
from app.web.session import apply_cookies, csrf_field

# Every page renders through here; the shared templating layer does not import the session.
templates.env.globals["csrf_field"] = csrf_field

# Post/redirect/get notices travel as a short code, never as free text in the URL.
NOTICES = {
    "guardado": "Cambios guardados.",
    "creado": "Registro creado.",
    "cerrado": "Caso cerrado.",
    "reabierto": "Caso reabierto.",
    "clave": "Contraseña cambiada.",
    "2fa": "Verificación en dos pasos activada.",
    "salida": "Sesión cerrada.",
    "sesiones": "Se cerraron todas sus sesiones.",
    "sesiones_cerradas": "Se cerraron todas las sesiones de la cuenta.",
    "desbloqueado": "Cuenta desbloqueada.",
    "revocado": "Token revocado.",
    "vinculado": "Atenciones vinculadas como la misma persona.",
    "desvinculado": "Vínculo quitado.",
    "traslado_propuesto": "Traslado propuesto: el otro equipo debe aceptarlo.",
    "traslado_aceptado": "Traslado aceptado: el caso está ahora a cargo de su equipo.",
    "traslado_rechazado": "Traslado rechazado: el caso sigue en su equipo.",
    "traslado_retirado": "Traslado retirado.",
    "asignado": "Asignación registrada.",
    "asignacion_terminada": "Asignación terminada: queda en el historial del caso.",
    "expirada": "Tu sesión había expirado; ya puede continuar donde lo dejó.",
}
# Notices of a record saved: the page tells the browser's local drafts (app/static/calp.js)
# that the form sent before this page is saved, so its draft goes.
SAVED = frozenset({"guardado", "creado", "cerrado", "reabierto"})
SIGNED_OUT = frozenset({"salida", "sesiones"})


def person_key(request: Request, user: object) -> str:
    """An opaque id of the signed-in person for the browser's drafts: not the name, not the
    account id, stable for the person and useless anywhere else."""
    settings = request.app.state.settings
    key = hashlib.sha256(b"calp-draft-owner:" + settings.secret().encode()).digest()
    return hmac.new(key, str(getattr(user, "id", "")).encode(), hashlib.sha256).hexdigest()[:24]


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> Response:
    """A page; `user` (the signed-in person, when any) and any notice are in the context.
    A page that shows what a save made without a redirect (a new token, shown once) says
    so with `saved_now`, so the browser drops the draft of the form just sent."""
    code = request.query_params.get("aviso", "")
    user = getattr(request.state, "user", None)
    ctx = {
        "user": user,
        "notice": NOTICES.get(code),
        "page_state": {
            "person": person_key(request, user) if user else "",
            "idle": request.app.state.settings.session_idle_minutes * 60 if user else 0,
            "saved": code in SAVED or bool((context or {}).get("saved_now")),
            "signed_out": code in SIGNED_OUT,
        },
    } | (context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    return apply_cookies(request, response)


def redirect(request: Request, url: str, *, notice: str | None = None) -> Response:
    """Post/redirect/get: always 303 so the browser follows with a GET."""
    if notice:
        url = f"{url}{'&' if '?' in url else '?'}aviso={notice}"
    return apply_cookies(request, RedirectResponse(str(url), status_code=303))


def redirect_to(
    request: Request, name: str, *, notice: str | None = None, **params: Any
) -> Response:
    """Post/redirect/get to a named page (its path only, as `request.url_for` builds it)."""
    return redirect(request, str(request.url_for(name, **params).path), notice=notice)
