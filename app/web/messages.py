"""Spanish wording (and the right field) for the English rules the API schemas state."""

from __future__ import annotations

# (substring of the English message, field it belongs to (None: keep; ".x": that input
# of the row) and the Spanish text)
RULES: list[tuple[str, str | None, str]] = [
    ("must not be in the future", None, "La fecha no puede ser posterior a hoy."),
    (
        "either age_at_intake or birth_date",
        "age_at_intake",
        "Indique la edad al ingreso o la fecha de nacimiento.",
    ),
    (
        "trafficking_purpose is required",
        "trafficking_purpose",
        "Obligatoria cuando la tipificación es trata de personas; vacía en las demás.",
    ),
    ("ISO 3166-1", None, "Elija un país de la lista."),
    (
        "region is the INEI department",
        ".region",
        "El departamento solo se indica cuando el país es Perú.",
    ),
    ("stage order", "route", "Los tramos van en orden: captación, tránsito, explotación."),
    (
        "must not be before the opening date",
        None,
        "La fecha no puede ser anterior a la apertura del caso.",
    ),
    ("You do not belong to that team", "team", "Usted no pertenece a ese equipo."),
]


def translate(errors: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for field, message in errors.items():
        for needle, target, spanish in RULES:
            if needle in message:
                if target and target.startswith("."):  # a rule on a whole list row
                    field = field if field.endswith(target) else field + target
                elif target and field == "__all__":  # model-level rules name no field
                    field = target
                message = spanish
                break
        out.setdefault(field, message)
    return out
