"""Spanish wording for the English rules of the services that the case-work forms reach
(victim edits, consents, restores), on top of app.web.messages."""

from __future__ import annotations

from app.web.messages import translate

# (substring of the service's English message, Spanish text)
EXTRA: list[tuple[str, str]] = [
    ("cannot be empty", "Este campo es obligatorio."),
    ("does not match birth_date", "No coincide con la edad que da la fecha de nacimiento."),
    ("must not be after intake_on", "La fecha de nacimiento no puede ser posterior al ingreso."),
    ("gives an age above 120", "La fecha de nacimiento da una edad mayor de 120 años."),
    (
        "is required for typology trafficking",
        "Obligatoria cuando la tipificación es trata de personas.",
    ),
    (
        "must be absent unless typology is trafficking",
        "Déjela vacía si la tipificación no es trata de personas.",
    ),
    ("unknown violence type", "Tipo de violencia desconocido."),
]

# Conflicts (409) the pages explain in place instead of on an error page.
CONFLICTS: list[tuple[str, str]] = [
    ("already revoked", "Este consentimiento ya está revocado."),
    ("already in force", "Ya hay un consentimiento vigente para esa finalidad: revóquelo antes."),
    ("already superseded", "Este seguimiento ya tiene una corrección: corrija la más reciente."),
    (
        "not a current follow-up",
        "Este seguimiento ya tiene una corrección: corrija la más reciente.",
    ),
    ("restore the case first", "El caso de esta víctima está eliminado: restaure primero el caso."),
    ("not deleted", "Ese registro ya no está eliminado."),
]
STALE = (
    "Otra persona guardó cambios en este registro mientras usted lo editaba. Lo que usted "
    "escribió sigue en el formulario: revise el registro actual y vuelva a guardar si "
    "quiere aplicar sus cambios."
)


def spanish(errors: dict[str, str]) -> dict[str, str]:
    """app.web.messages' rules first, then the ones of these pages."""
    out: dict[str, str] = {}
    for field, message in translate(errors).items():
        for needle, text in EXTRA:
            if needle in message:
                message = text
                break
        out.setdefault(field, message)
    return out


def conflict_message(detail: object) -> str:
    text = str(detail)
    for needle, spanish_text in CONFLICTS:
        if needle in text:
            return spanish_text
    return STALE
