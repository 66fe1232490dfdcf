"""The one place where an error's code becomes the Spanish sentence people read.

Services raise codes (`InvalidInput("cursor", "cursor_invalid")`, `ConsentAlreadyRevoked()`);
the API's `detail` and every page show the text this module gives for the code. Codes are
stable snake_case names that clients may rely on; texts may be reworded freely. A text names
fields and record types, never a value someone typed. `{name}` placeholders are filled from the
raise's keyword arguments, or from pydantic's `ctx` for its own error types.

`tests/test_error_texts.py` checks that every code raised in `app/` has a text and every text
here is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

ErrorCode = Literal[
    # Generic codes: the class defaults of app.errors and the framework's errors.
    "bad_request",
    "not_authenticated",
    "otp_required",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "too_large",
    "unsupported_media_type",
    "invalid_input",
    "account_locked",
    "rate_limited",
    "database_unavailable",
    "record_stale",
    "record_stale_kept",
    "data_conflict",
    "http_error",
    # Accounts, tokens and sign-in.
    "token_invalid",
    "token_not_found",
    "otp_enrolment_required",
    "otp_already_enrolled",
    "otp_code_invalid",
    "staff_only",
    "role_not_allowed",
    "credentials_invalid",
    "password_incorrect",
    "passwords_differ",
    "username_taken",
    "team_required",
    "user_not_found",
    "csrf_refused",
    # Access to case records.
    "no_case_access",
    "case_write_not_allowed",
    "restore_coordinators_only",
    "not_in_team",
    # Records that do not exist, or not for the caller.
    "case_not_found",
    "victim_not_found",
    "follow_up_not_found",
    "plan_not_found",
    "referral_not_found",
    "measure_not_found",
    "consent_not_found",
    "detection_not_found",
    "link_not_found",
    # Record states.
    "case_closed",
    "case_already_closed",
    "case_not_closed",
    "close_with_endpoint",
    "record_not_deleted",
    "case_deleted_restore_first",
    "consent_already_revoked",
    "consent_already_given",
    "link_exists",
    "password_change_required",
    "link_same_victim",
    "link_victim_not_found",
    "search_name_or_document",
    "disclosure_limit_reached",
    "follow_up_not_current",
    "follow_up_already_superseded",
    "correction_needs_narrative",
    # Field rules.
    "required",
    "cursor_invalid",
    "window_reversed",
    "date_in_future",
    "before_case_opening",
    "before_assessment",
    "before_review",
    "revoked_before_given",
    "ends_before_start",
    "country_invalid",
    "region_only_peru",
    "route_order",
    "age_or_birth_date_required",
    "age_mismatch",
    "age_above_120",
    "birth_after_intake",
    "trafficking_purpose_mismatch",
    "trafficking_purpose_required",
    "trafficking_purpose_forbidden",
    "violence_type_unknown",
    "goal_not_in_plan",
    "goal_repeated",
    "external_ref_kind_required",
    # Consent that sharing obeys (outgoing referrals).
    "consent_required",
    "consent_not_live",
    "consent_override_not_needed",
    "consent_outgoing_only",
    "consent_overrides_coordinators_only",
    "team_unknown",
    "year_out_of_range",
    "year_range_reversed",
    "stage_range_reversed",
    # Transfers of cases between teams.
    "transfer_not_found",
    "transfer_pending_exists",
    "transfer_same_team",
    "transfer_not_pending",
    "transfer_case_unavailable",
    "transfer_receiving_team_only",
    "transfer_sending_team_only",
    # Caseload: assignments of staff to cases.
    "assignment_not_found",
    "assignment_ended",
    "assignment_exists",
    "assignee_not_team_staff",
    "assignment_until_invalid",
    "team_not_found",
    "caseload_coordinators_only",
    # Imports.
    "import_rows_invalid",
    "import_coordinators_only",
    "file_too_large",
    "file_unreadable",
    "import_limit_exceeded",
    # Any request text (app.nul_guard).
    "string_nul_character",
    # Documents.
    "document_not_found",
    "document_type_not_allowed",
    "document_type_mismatch",
    "document_file_required",
    "document_file_empty",
    "document_form_invalid",
    "document_record_required",
    "document_record_unknown",
    "document_damaged",
]

ERROR_TEXTS: dict[ErrorCode, str] = {
    "bad_request": "La solicitud no es válida.",
    "not_authenticated": "Inicie sesión para continuar.",
    "otp_required": "Falta el código de verificación o no es válido.",
    "forbidden": "Su rol o su equipo no permite esta acción.",
    "not_found": "La página o el registro no existe, o no pertenece a sus equipos.",
    "method_not_allowed": "Esta dirección no admite esa acción.",
    "conflict": "El registro no admite esa acción en su estado actual.",
    "too_large": "El archivo supera el tamaño permitido.",
    "unsupported_media_type": "El tipo de contenido enviado no es admitido.",
    "invalid_input": "Algunos datos no son válidos.",
    "account_locked": "La cuenta está bloqueada: pida a administración que la desbloquee.",
    "rate_limited": "Demasiados intentos: espere antes de volver a intentar.",
    "database_unavailable": "La base de datos está ocupada o no disponible: inténtelo de nuevo "
    "en un momento.",
    "record_stale": "Otra persona cambió este registro mientras lo editaba: vuelva a cargarlo e "
    "inténtelo de nuevo.",
    # The same conflict on a form shown again with what the person typed.
    "record_stale_kept": "Otra persona guardó cambios en este registro mientras usted lo "
    "editaba. Lo que usted escribió sigue en el formulario: revise el registro actual y vuelva "
    "a guardar si quiere aplicar sus cambios.",
    "data_conflict": "El cambio choca con datos ya guardados.",
    "http_error": "No se pudo atender la solicitud.",
    "token_invalid": "El token no es válido o fue revocado.",
    "token_not_found": "El token no existe.",
    "otp_enrolment_required": "Su rol exige la verificación en dos pasos: actívela en su cuenta.",
    "otp_already_enrolled": "La verificación en dos pasos ya está activada; la administración "
    "puede restablecerla.",
    "otp_code_invalid": "El código no es válido.",
    "staff_only": "Esta función es solo para cuentas del personal.",
    "role_not_allowed": "Su rol no permite esta acción.",
    "credentials_invalid": "Usuario o contraseña incorrectos.",
    "password_incorrect": "La contraseña actual no es correcta.",
    "passwords_differ": "Las contraseñas nuevas no coinciden.",
    "username_taken": "Ese nombre de usuario ya existe.",
    "team_required": "El personal y la coordinación necesitan al menos un equipo.",
    "user_not_found": "El usuario no existe.",
    "csrf_refused": "El formulario caducó o no es válido: vuelva a cargar la página e inténtelo "
    "otra vez.",
    "no_case_access": "Su rol no tiene acceso a los expedientes de casos.",
    "case_write_not_allowed": "Su rol no puede modificar expedientes de casos.",
    "restore_coordinators_only": "Solo la coordinación puede restaurar registros eliminados.",
    "not_in_team": "Usted no pertenece a ese equipo.",
    "case_not_found": "El caso no existe o no pertenece a sus equipos.",
    "victim_not_found": "La víctima no existe o no pertenece a sus equipos.",
    "follow_up_not_found": "El seguimiento no existe o no pertenece a sus equipos.",
    "plan_not_found": "El plan no existe o no pertenece a sus equipos.",
    "referral_not_found": "La derivación no existe o no pertenece a sus equipos.",
    "measure_not_found": "La medida de protección no existe o no pertenece a sus equipos.",
    "consent_not_found": "El consentimiento no existe o no pertenece a sus equipos.",
    "detection_not_found": "La detección no existe o no pertenece a sus equipos.",
    "link_not_found": "El vínculo no existe o no pertenece a sus equipos.",
    "link_exists": "Estas dos atenciones ya están vinculadas como la misma persona.",
    "password_change_required": "Cambie la contraseña temporal que le dieron antes de continuar.",
    "link_same_victim": "Elija otra atención: una víctima no se vincula consigo misma.",
    "link_victim_not_found": "La otra atención no existe o no pertenece a sus equipos.",
    "search_name_or_document": "Escriba un nombre o un número de documento.",
    "disclosure_limit_reached": "Alcanzó el límite de consultas sobre otros equipos por hora: "
    "espere antes de volver a buscar con sexo o edad.",
    "case_closed": "El caso está cerrado: reábralo primero.",
    "case_already_closed": "El caso ya está cerrado.",
    "case_not_closed": "Solo un caso cerrado puede reabrirse.",
    "close_with_endpoint": "Un caso se cierra con su acción de cierre (POST …/close), no "
    "cambiando su estado.",
    "record_not_deleted": "Ese registro ya no está eliminado.",
    "case_deleted_restore_first": "El caso de esta víctima está eliminado: restaure primero el "
    "caso.",
    "consent_already_revoked": "Este consentimiento ya está revocado.",
    "consent_already_given": "Ya hay un consentimiento vigente para esa finalidad: revóquelo "
    "antes.",
    "follow_up_not_current": "Este seguimiento ya tiene una corrección o no es de esta víctima: "
    "corrija la más reciente.",
    "follow_up_already_superseded": "Este seguimiento ya tiene una corrección: corrija la más "
    "reciente.",
    "correction_needs_narrative": "Solo quien puede leer la narrativa de este seguimiento (las "
    "psicólogas del equipo o su autora) puede corregirlo.",
    "required": "Este campo es obligatorio.",
    "cursor_invalid": "El cursor de la página no es válido: vuelva a la primera página.",
    "window_reversed": "La fecha final no puede ser anterior a la fecha inicial.",
    "date_in_future": "La fecha no puede ser posterior a hoy.",
    "before_case_opening": "La fecha no puede ser anterior a la apertura del caso.",
    "before_assessment": "La fecha no puede ser anterior a la evaluación del plan.",
    "before_review": "La próxima revisión no puede ser anterior a esta revisión.",
    "revoked_before_given": "La revocación no puede ser anterior a la fecha del consentimiento.",
    "ends_before_start": "La fecha de término no puede ser anterior a la de otorgamiento.",
    "country_invalid": "Elija un país de la lista.",
    "region_only_peru": "El departamento solo se indica cuando el país es Perú.",
    "route_order": "Los tramos van en orden: captación, tránsito, explotación.",
    "age_or_birth_date_required": "Indique la edad al ingreso o la fecha de nacimiento.",
    "age_mismatch": "No coincide con la edad que da la fecha de nacimiento.",
    "age_above_120": "La fecha de nacimiento da una edad mayor de 120 años.",
    "birth_after_intake": "La fecha de nacimiento no puede ser posterior al ingreso.",
    "trafficking_purpose_mismatch": "Obligatoria cuando la tipificación es trata de personas; "
    "vacía en las demás.",
    "trafficking_purpose_required": "Obligatoria cuando la tipificación es trata de personas.",
    "trafficking_purpose_forbidden": "Déjela vacía si la tipificación no es trata de personas.",
    "violence_type_unknown": "Tipo de violencia desconocido.",
    "goal_not_in_plan": "La meta no pertenece a este plan.",
    "goal_repeated": "La meta aparece más de una vez.",
    "external_ref_kind_required": "Indique de qué sistema es la referencia externa.",
    "consent_required": "La víctima no tiene un consentimiento vigente para compartir datos con "
    "una institución en la fecha de la derivación. Registre primero su consentimiento o, solo en "
    "una emergencia, deje constancia del motivo para derivar sin él.",
    "consent_not_live": "El consentimiento indicado no es un consentimiento de esta víctima para "
    "compartir datos vigente en la fecha de la derivación.",
    "consent_override_not_needed": "La víctima tiene un consentimiento vigente para compartir "
    "datos en esa fecha: la derivación se registra con él, sin excepción.",
    "consent_outgoing_only": "Solo una derivación enviada necesita consentimiento o excepción.",
    "consent_overrides_coordinators_only": "Solo la coordinación revisa las excepciones de "
    "consentimiento.",
    "team_unknown": "Equipo desconocido.",
    "year_out_of_range": "El año debe estar entre {min_year} y {max_year}.",
    "year_range_reversed": "El año inicial no puede ser posterior al final.",
    "stage_range_reversed": "La etapa de origen no puede ir después de la etapa de destino.",
    "transfer_not_found": "El traslado no existe o no es de sus equipos.",
    "transfer_pending_exists": "Este caso ya tiene un traslado pendiente: espere la respuesta "
    "o retírelo.",
    "transfer_same_team": "Elija otro equipo: el caso ya está a cargo de ese equipo.",
    "transfer_not_pending": "Este traslado ya fue aceptado, rechazado o retirado.",
    "transfer_case_unavailable": "El caso de este traslado fue cerrado o eliminado: no puede "
    "aceptarse.",
    "transfer_receiving_team_only": "Solo el equipo que recibe el caso acepta o rechaza el "
    "traslado.",
    "transfer_sending_team_only": "Solo el personal del equipo que propuso el traslado puede "
    "retirarlo.",
    "assignment_not_found": "La asignación no existe o no pertenece a sus equipos.",
    "assignment_ended": "Esta asignación ya terminó.",
    "assignment_exists": "Esa persona ya tiene esa responsabilidad en el caso.",
    "assignee_not_team_staff": "Solo se asigna a personal activo del equipo del caso.",
    "assignment_until_invalid": "La fecha de fin no puede ser futura ni anterior al inicio.",
    "team_not_found": "El equipo no existe o no es uno de sus equipos.",
    "caseload_coordinators_only": "Solo la coordinación ve la carga del equipo y reasigna casos.",
    "import_rows_invalid": "El archivo tiene filas con problemas: no se importó nada.",
    "import_coordinators_only": "Solo la coordinación importa y exporta datos.",
    "file_too_large": "El archivo supera el límite de {limit_mb} MB.",
    "file_unreadable": "No se pudo leer el archivo: {reason}.",
    "import_limit_exceeded": "El archivo supera el límite de {limit}: no se importó nada.",
    "string_nul_character": "El texto contiene un carácter no admitido (NUL).",
    "document_not_found": "El documento no existe o no pertenece a sus equipos.",
    "document_type_not_allowed": "Tipo de archivo no admitido: suba un PDF, una imagen JPEG, "
    "PNG o WebP, un documento DOCX u ODT, una hoja XLSX o un texto plano UTF-8.",
    "document_type_mismatch": "El contenido del archivo no corresponde al tipo declarado.",
    "document_file_required": "Adjunte el archivo.",
    "document_file_empty": "El archivo está vacío.",
    "document_form_invalid": "El formulario enviado no se pudo leer.",
    "document_record_required": "Indique a la vez el tipo de registro y el registro.",
    "document_record_unknown": "El registro indicado no existe para esta víctima.",
    "document_damaged": "El documento guardado está dañado o fue alterado: no se puede descargar.",
}

# pydantic's own error types (the `type` of its 422 items) that the schemas can produce;
# placeholders come from the item's `ctx`. Anything else reads as `value_error`.
PYDANTIC_TEXTS: dict[str, str] = {
    "missing": "Este campo es obligatorio.",
    "extra_forbidden": "Campo no admitido.",
    "string_type": "Escriba un texto.",
    "string_too_short": "El texto es demasiado corto (mínimo {min_length} caracteres).",
    "string_too_long": "El texto es demasiado largo (máximo {max_length} caracteres).",
    "string_pattern_mismatch": "El formato no es válido.",
    "int_parsing": "Escriba un número entero.",
    "int_type": "Escriba un número entero.",
    "int_from_float": "Escriba un número entero.",
    "float_parsing": "Escriba un número.",
    "float_type": "Escriba un número.",
    "bool_parsing": "Elija sí o no.",
    "bool_type": "Elija sí o no.",
    "date_parsing": "Escriba una fecha válida (AAAA-MM-DD).",
    "date_from_datetime_parsing": "Escriba una fecha válida (AAAA-MM-DD).",
    "date_from_datetime_inexact": "Escriba una fecha sin hora (AAAA-MM-DD).",
    "date_type": "Escriba una fecha válida (AAAA-MM-DD).",
    "datetime_parsing": "Escriba una fecha y hora válidas.",
    "datetime_type": "Escriba una fecha y hora válidas.",
    "uuid_parsing": "Elija una opción de la lista.",
    "uuid_type": "Elija una opción de la lista.",
    "enum": "Elija una opción de la lista.",
    "literal_error": "Elija una opción de la lista.",
    "greater_than": "El número debe ser mayor que {gt}.",
    "greater_than_equal": "El número no puede ser menor que {ge}.",
    "less_than": "El número debe ser menor que {lt}.",
    "less_than_equal": "El número no puede ser mayor que {le}.",
    "too_short": "Añada al menos {min_length} elemento(s).",
    "too_long": "Hay demasiados elementos (máximo {max_length}).",
    "list_type": "Se esperaba una lista.",
    "dict_type": "Se esperaba un objeto.",
    "model_type": "Se esperaba un objeto.",
    "model_attributes_type": "Se esperaba un objeto.",
    "json_invalid": "El cuerpo de la solicitud no es JSON válido.",
    "json_type": "El cuerpo de la solicitud no es JSON válido.",
    "value_error": "El valor no es válido.",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TEXTS: dict[str, str] = dict(PYDANTIC_TEXTS)
for _code, _text in ERROR_TEXTS.items():
    _TEXTS[_code] = _text


def error_text(code: str, ctx: Mapping[str, object] | None = None) -> str:
    """The Spanish text of an app code or a pydantic error type, placeholders filled."""
    text = _TEXTS.get(code) or PYDANTIC_TEXTS["value_error"]
    values = ctx or {}
    return _PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), text)
