"""Row validation: every row checked with the API's rules before anything is stored.

Pure functions (no database): the service adds the checks that need stored records
(external ids already imported, cases of other teams).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from app.catalogs import RouteStage, Typology
from app.imports.layout import (
    AGE_RANGE_REPRESENTATIVE,
    CASE_FIELDS,
    DETECTION_BY_NAME,
    DETECTIONS_SHEET,
    EXAMPLE_ID_PREFIX,
    IDENTITY_FIELDS,
    MAX_TEXT,
    VICTIM_BY_NAME,
    VIOLENCE_TYPES,
    Column,
)
from app.imports.reader import (
    CellError,
    Sheet,
    parse_age,
    parse_bool,
    parse_catalog,
    parse_country,
    parse_date,
    shown_value,
)

STAGE_RANK = {RouteStage.capture: 0, RouteStage.transit: 1, RouteStage.exploitation: 2}


@dataclass(frozen=True)
class RowError:
    """One problem: `línea N, columna C: motivo` (line 1 is the header)."""

    sheet: str
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)  # every field, in declaration order (the API's JSON order)

    def __str__(self) -> str:
        where = "" if self.sheet != DETECTIONS_SHEET else f"hoja {DETECTIONS_SHEET}, "
        return f"{where}línea {self.line}, columna {self.column}: {self.message}"


@dataclass
class ParsedFile:
    """What a file holds once every cell is read: cases by external id, victims, detections."""

    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    case_lines: dict[str, int] = field(default_factory=dict)
    victims: list[dict[str, Any]] = field(default_factory=list)
    detections: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _read_cell(col: Column, text: str) -> Any:
    if "\x00" in text:  # PostgreSQL cannot store it; no spreadsheet means it
        raise CellError("contiene un carácter nulo (NUL)")
    if col.kind == "catalog":
        assert col.catalog is not None
        return parse_catalog(col.catalog, text)
    if col.kind == "age_range":
        return parse_catalog("age_range", text)
    if col.kind == "date":
        return parse_date(text)
    if col.kind == "age":
        return parse_age(text)
    if col.kind == "bool":
        return parse_bool(text)
    if col.kind == "country":
        return parse_country(text)
    if col.kind == "route":
        return parse_route(text)
    if col.group != "identity" and len(text) > MAX_TEXT:
        raise CellError(f"el identificador supera {MAX_TEXT} caracteres")
    return text


def parse_route(text: str) -> list[dict[str, Any]]:
    """`capture:PE-16;transit:PE-15;exploitation:VE`: stages in order, region only for PE."""
    legs: list[dict[str, Any]] = []
    for n, part in enumerate((p for p in text.split(";") if p.strip()), start=1):
        stage_text, sep, place = part.partition(":")
        if not sep:
            raise CellError(f"tramo {n}: use etapa:lugar (p. ej. capture:PE-16)")
        try:
            stage = RouteStage(parse_catalog("route_stage", stage_text))
        except CellError:
            raise CellError(
                f"tramo {n}: etapa desconocida (capture, transit, exploitation)"
            ) from None
        country_text, _, region_text = place.strip().partition("-")
        try:
            country = parse_country(country_text)
        except CellError:
            raise CellError(f"tramo {n}: país no ISO 3166") from None
        region = None
        if region_text.strip():
            if country != "PE":
                raise CellError(f"tramo {n}: la región solo se indica para el Perú (PE)")
            try:
                region = parse_catalog(
                    "region",
                    region_text.strip().zfill(2) if region_text.strip().isdigit() else region_text,
                )
            except CellError:
                raise CellError(f"tramo {n}: región INEI desconocida (01-25)") from None
        if legs and STAGE_RANK[stage] < STAGE_RANK[legs[-1]["stage"]]:
            raise CellError(
                f"tramo {n}: las etapas van en orden (captación, tránsito, explotación)"
            )
        legs.append({"stage": stage, "country": country, "region": region})
    return legs


def _read_row(
    sheet: str,
    line: int,
    values: dict[str, str],
    columns: dict[str, Column],
    errors: list[RowError],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, col in columns.items():
        text = values.get(name, "").strip()
        if col.kind == "ignored":
            continue
        if not text:
            if col.required:
                errors.append(RowError(sheet, line, name, "dato obligatorio"))
            out[name] = None
            continue
        try:
            out[name] = _read_cell(col, text)
        except CellError as exc:
            errors.append(RowError(sheet, line, name, _cell_message(col, text, exc)))
            out[name] = None
    return out


# Cells whose bad value the message quotes back: coded cells, never identity or free text.
QUOTED_KINDS = ("date", "age", "age_range", "bool", "catalog", "country", "route")


def _cell_message(col: Column, text: str, exc: CellError) -> str:
    """«Sexo «x»: no es un valor admitido; …»: the column's Spanish name (its help text up
    to any parenthesis) and, for coded cells, the value that was read."""
    label = col.help.split(" (")[0]
    if col.kind in QUOTED_KINDS and col.group != "identity" and "\x00" not in text:
        label += f" «{shown_value(text)}»"
    return f"{label}: {exc}"


def check_headers(sheet: Sheet, columns: dict[str, Column]) -> list[RowError]:
    """Unknown or missing columns are errors of line 1 (a typo must not drop a column)."""
    errors: list[RowError] = []
    if not sheet.headers:
        return [RowError(sheet.name, 1, "-", "el archivo está vacío")]
    seen: set[str] = set()
    for header in sheet.headers:
        if header and header not in columns:
            errors.append(RowError(sheet.name, 1, header, "columna desconocida"))
        if header in seen:
            errors.append(RowError(sheet.name, 1, header, "columna repetida"))
        seen.add(header)
    for name, col in columns.items():
        if col.required and name not in seen:
            errors.append(RowError(sheet.name, 1, name, "falta esta columna obligatoria"))
    return errors


def _victim_rules(
    sheet: str, line: int, row: dict[str, Any], today: date, errors: list[RowError]
) -> None:
    def err(column: str, message: str) -> None:
        errors.append(RowError(sheet, line, column, message))

    for name in ("opened_on", "closed_on", "intake_on", "birth_date"):
        if row.get(name) and row[name] > today:
            err(name, "la fecha no puede ser futura")
    status = row.get("status") or ("closed" if row.get("closed_on") else "open")
    row["status"] = status
    if status == "closed":
        if row.get("closed_on") is None:
            err("closed_on", "un caso cerrado necesita fecha de cierre")
        if row.get("close_reason") is None:
            err("close_reason", "un caso cerrado necesita motivo de cierre")
    else:
        if row.get("closed_on") is not None:
            err("closed_on", "solo un caso cerrado lleva fecha de cierre")
        if row.get("close_reason") is not None:
            err("close_reason", "solo un caso cerrado lleva motivo de cierre")
    if row.get("closed_on") and row.get("opened_on") and row["closed_on"] < row["opened_on"]:
        err("closed_on", "la fecha de cierre es anterior a la apertura")
    typology = row.get("typology")
    if typology == Typology.trafficking and row.get("trafficking_purpose") is None:
        err("trafficking_purpose", "obligatoria cuando la tipificación es trata de personas")
    if typology and typology != Typology.trafficking and row.get("trafficking_purpose"):
        err("trafficking_purpose", "solo se indica cuando la tipificación es trata de personas")
    _resolve_age(row, err)


def _resolve_age(row: dict[str, Any], err: Any) -> None:
    """Age given, or derived from the birth date, or the range's representative age."""
    age, rng, birth, intake = (
        row.get("age_at_intake"),
        row.get("age_range"),
        row.get("birth_date"),
        row.get("intake_on"),
    )
    if age is None and birth is not None and intake is not None:
        age = intake.year - birth.year - ((intake.month, intake.day) < (birth.month, birth.day))
        if age < 0:
            err("birth_date", "la fecha de nacimiento es posterior al ingreso")
            return
    if age is None and rng is not None:
        age = AGE_RANGE_REPRESENTATIVE[rng]
    elif age is not None and rng is not None:
        from app.catalogs import age_range_of

        if age_range_of(age) != rng:
            err("age_range", "la edad no corresponde al rango etario")
    if age is None:
        err("age_at_intake", "indique la edad, el rango etario o la fecha de nacimiento")
    row["age_at_intake"] = age


def _example_row(
    sheet: str, line: int, row: dict[str, Any], id_columns: tuple[str, ...]
) -> list[RowError]:
    """The template's example row, left in: refused, so it never counts as a real case."""
    for column in id_columns:
        value = row.get(column)
        if isinstance(value, str) and value.upper().startswith(EXAMPLE_ID_PREFIX):
            message = "es la fila de ejemplo de la plantilla: bórrela antes de importar"
            return [RowError(sheet, line, column, message)]
    return []


def _repeated_id(
    sheet: str, line: int, field_name: str, ext: Any, first_lines: dict[str, int]
) -> list[RowError]:
    """An external id already given on an earlier line of the sheet is an error of this one."""
    if ext and ext in first_lines:
        return [RowError(sheet, line, field_name, f"repetido (ya en la línea {first_lines[ext]})")]
    return []


def parse_file(
    victims: Sheet, detections: Sheet | None, *, today: date, teams: set[str] | None
) -> ParsedFile:
    """Read and check every row; `teams` limits the teams a row may name (None: any)."""
    parsed = ParsedFile()
    parsed.errors += check_headers(victims, VICTIM_BY_NAME)
    if detections is not None:
        parsed.errors += check_headers(detections, DETECTION_BY_NAME)
    if parsed.errors:
        return parsed  # column problems would repeat on every row
    victim_lines: dict[str, int] = {}
    for line, values in victims.rows:
        errors: list[RowError] = []
        if "__extra__" in values:
            errors.append(RowError(victims.name, line, "-", "más celdas que columnas"))
        row = _read_row(victims.name, line, values, VICTIM_BY_NAME, errors)
        # A case counts under the team that opened it; left out, that is its team.
        row["opened_by_team"] = row.get("opened_by_team") or row.get("team")
        _victim_rules(victims.name, line, row, today, errors)
        if row.get("team") and teams is not None and row["team"] not in teams:
            errors.append(
                RowError(
                    victims.name,
                    line,
                    "team",
                    "no pertenece a ese equipo: solo puede importar a los suyos",
                )
            )
        errors += _example_row(victims.name, line, row, ("case_external_id", "victim_external_id"))
        ext = row.get("victim_external_id")
        errors += _repeated_id(victims.name, line, "victim_external_id", ext, victim_lines)
        case_ext = row.get("case_external_id")
        if case_ext and not errors:
            _merge_case(parsed, victims.name, line, case_ext, row, errors)
        parsed.errors += errors
        if ext:
            victim_lines.setdefault(ext, line)
        if not errors:
            row["line"] = line
            row["violence"] = {
                v: row.pop(f"violence_{v}") or "not_recorded" for v in VIOLENCE_TYPES
            }
            identity = {k: row.pop(k) for k in IDENTITY_FIELDS}
            birth = identity.get("birth_date")
            identity["birth_date"] = birth.isoformat() if birth else None
            row["identity"] = identity if any(identity.values()) else None
            row["route"] = row.get("route") or []
            parsed.victims.append(row)
    if detections is not None:
        _parse_detections(parsed, detections, today)
    return parsed


def _merge_case(
    parsed: ParsedFile,
    sheet: str,
    line: int,
    case_ext: str,
    row: dict[str, Any],
    errors: list[RowError],
) -> None:
    """Rows of one case repeat its columns: they must agree with the case's first row."""
    case = {k: row[k] for k in CASE_FIELDS}
    known = parsed.cases.get(case_ext)
    if known is None:
        parsed.cases[case_ext] = case
        parsed.case_lines[case_ext] = line
        return
    for name in CASE_FIELDS:
        if known[name] != case[name]:
            errors.append(
                RowError(
                    sheet,
                    line,
                    name,
                    "no coincide con la fila del mismo caso "
                    f"en la línea {parsed.case_lines[case_ext]}",
                )
            )


def _parse_detections(parsed: ParsedFile, sheet: Sheet, today: date) -> None:
    lines: dict[str, int] = {}
    for line, values in sheet.rows:
        errors: list[RowError] = []
        row = _read_row(sheet.name, line, values, DETECTION_BY_NAME, errors)
        if row.get("detected_on") and row["detected_on"] > today:
            errors.append(RowError(sheet.name, line, "detected_on", "la fecha no puede ser futura"))
        errors += _example_row(sheet.name, line, row, ("detection_external_id", "case_external_id"))
        ext = row.get("detection_external_id")
        errors += _repeated_id(sheet.name, line, "detection_external_id", ext, lines)
        if ext:
            lines.setdefault(ext, line)
        parsed.errors += errors
        if not errors:
            row["line"] = line
            parsed.detections.append(row)
