"""Catalogs of domain.md: stable English codes with their Spanish labels.

Each catalog is a StrEnum whose members are declared in the order the report and the
forms show them; `LABELS[catalog][code]` holds the Spanish label. The database stores
the code (VARCHAR + CHECK), so adding a code needs a migration, renaming one never.
"""

from __future__ import annotations

from enum import StrEnum


class Team(StrEnum):
    lima = "lima"
    cusco = "cusco"
    loreto = "loreto"
    puno = "puno"
    madre_de_dios = "madre_de_dios"


class Sex(StrEnum):
    female = "female"
    male = "male"


class AgeRange(StrEnum):
    r0_10 = "0_10"
    r11_17 = "11_17"
    r18_25 = "18_25"
    r26_39 = "26_39"
    r40_plus = "40_plus"


class NationalityGroup(StrEnum):
    peruvian = "peruvian"
    foreign = "foreign"


class Typology(StrEnum):
    trafficking = "trafficking"
    violence_women_family = "violence_women_family"
    sexual_exploitation = "sexual_exploitation"
    migrant_smuggling = "migrant_smuggling"
    risk_prevention = "risk_prevention"
    missing_person = "missing_person"
    forced_labour = "forced_labour"


class TraffickingPurpose(StrEnum):
    sexual = "sexual"
    labour = "labour"
    sexual_labour = "sexual_labour"
    child_sale = "child_sale"
    begging = "begging"
    organ_removal = "organ_removal"
    other = "other"


class CaptureModality(StrEnum):
    false_job_offer = "false_job_offer"
    false_study_offer = "false_study_offer"
    ict = "ict"
    seduction = "seduction"
    sponsorship = "sponsorship"
    kidnapping = "kidnapping"
    other = "other"


class ViolenceType(StrEnum):
    psychological = "psychological"
    sexual = "sexual"
    physical = "physical"
    family = "family"
    economic = "economic"


class ViolenceAnswer(StrEnum):
    yes = "yes"
    no = "no"
    unknown = "unknown"
    not_recorded = "not_recorded"


class RouteStage(StrEnum):
    capture = "capture"
    transit = "transit"
    exploitation = "exploitation"


class PracticeCategory(StrEnum):
    coordination = "coordination"
    detection_referral = "detection_referral"
    privacy = "privacy"
    forensic = "forensic"
    procedural = "procedural"
    criminal_type = "criminal_type"
    victim_rights = "victim_rights"
    other = "other"


class FollowUpKind(StrEnum):
    legal = "legal"
    psychological = "psychological"
    social = "social"
    health = "health"
    education = "education"
    employment = "employment"
    basic_needs = "basic_needs"
    other = "other"


class PlanDimension(StrEnum):
    health = "health"
    identity = "identity"
    education = "education"
    protection = "protection"
    legal = "legal"
    employment = "employment"
    safety = "safety"
    family = "family"
    housing = "housing"
    migration = "migration"


class PlanStatus(StrEnum):
    drafted = "drafted"
    in_progress = "in_progress"
    implemented = "implemented"
    completed = "completed"
    abandoned = "abandoned"


class CloseReason(StrEnum):
    goals_met = "goals_met"
    voluntary_withdrawal = "voluntary_withdrawal"
    lost_contact = "lost_contact"
    transferred = "transferred"
    relocated = "relocated"
    deceased = "deceased"
    other = "other"


class TraffickerRelation(StrEnum):
    unknown = "unknown"
    acquaintance = "acquaintance"
    partner = "partner"
    family = "family"
    guardian = "guardian"
    godparent = "godparent"
    employer_agency = "employer_agency"
    criminal_org = "criminal_org"
    online_contact = "online_contact"
    other = "other"


class EducationLevel(StrEnum):
    none = "none"
    primary = "primary"
    secondary = "secondary"
    technical = "technical"
    university = "university"
    unknown = "unknown"


class CaseStatus(StrEnum):
    open = "open"
    follow_up = "follow_up"
    closed = "closed"


class Role(StrEnum):
    psychologist = "psychologist"
    lawyer = "lawyer"
    social_worker = "social_worker"
    coordinator = "coordinator"
    admin = "admin"
    visualiser = "visualiser"


class Polarity(StrEnum):
    good = "good"
    bad = "bad"


class MigrationStatus(StrEnum):
    national = "national"
    regular = "regular"
    irregular = "irregular"
    refugee_applicant = "refugee_applicant"
    unknown = "unknown"


class IndigenousLanguage(StrEnum):
    quechua = "quechua"
    aymara = "aymara"
    ashaninka = "ashaninka"
    awajun = "awajun"
    shipibo_konibo = "shipibo_konibo"
    other = "other"


class ProtectionMeasureKind(StrEnum):
    identity_reserve = "identity_reserve"
    whereabouts_concealment = "whereabouts_concealment"
    police_protection = "police_protection"
    shelter = "shelter"
    no_contact_order = "no_contact_order"
    communications_block = "communications_block"
    virtual_patrol = "virtual_patrol"
    other = "other"


class ConsentPurpose(StrEnum):
    attention = "attention"
    data_sharing = "data_sharing"
    publication = "publication"


class DocumentKind(StrEnum):
    consent = "consent"
    complaint = "complaint"
    fiscal_resolution = "fiscal_resolution"
    judicial_resolution = "judicial_resolution"
    psychological_report = "psychological_report"
    social_report = "social_report"
    identity_document = "identity_document"
    other = "other"


class ReferralDirection(StrEnum):
    incoming = "in"
    outgoing = "out"


class ReferralOutcome(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    wrong_referral = "wrong_referral"
    no_answer = "no_answer"


class ExternalRefKind(StrEnum):
    fiscal_case = "fiscal_case"
    police_complaint = "police_complaint"
    judicial_file = "judicial_file"
    upe_car_file = "upe_car_file"
    consular_case = "consular_case"
    other = "other"


class Priority(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class DocumentType(StrEnum):
    dni = "dni"
    foreign_id = "foreign_id"
    passport = "passport"
    ptp = "ptp"
    other = "other"
    none = "none"


class AttentionStage(StrEnum):
    rescue = "rescue"
    complaint = "complaint"
    judicial = "judicial"
    protection = "protection"
    health = "health"
    reintegration = "reintegration"
    other = "other"


class GoalStatus(StrEnum):
    pending = "pending"
    in_progress = "in_progress"
    achieved = "achieved"
    dropped = "dropped"


class ActionType(StrEnum):
    orientation = "orientation"
    accompaniment = "accompaniment"
    psychological_care = "psychological_care"
    legal_sponsorship = "legal_sponsorship"
    health_access = "health_access"
    basic_needs = "basic_needs"
    education = "education"
    employment = "employment"
    documentation = "documentation"
    protection_measure = "protection_measure"
    referral = "referral"
    home_visit = "home_visit"
    repatriation = "repatriation"
    other = "other"


class ActionStatus(StrEnum):
    planned = "planned"
    done = "done"
    cancelled = "cancelled"


class Responsibility(StrEnum):
    lead = "lead"
    psychological = "psychological"
    legal = "legal"
    social = "social"


class Institution(StrEnum):
    pnp = "pnp"
    dirctptim = "dirctptim"
    fiscalia = "fiscalia"
    fistrap = "fistrap"
    udavit = "udavit"
    uaivit = "uaivit"
    poder_judicial = "poder_judicial"
    mimp = "mimp"
    upe = "upe"
    car = "car"
    cem = "cem"
    inabif = "inabif"
    defensoria = "defensoria"
    demuna = "demuna"
    minsa = "minsa"
    csmc = "csmc"
    minedu = "minedu"
    mtpe = "mtpe"
    sunafil = "sunafil"
    migraciones = "migraciones"
    rree = "rree"
    reniec = "reniec"
    minjusdh = "minjusdh"
    gobierno_regional = "gobierno_regional"
    gobierno_local = "gobierno_local"
    civil_society = "civil_society"
    other = "other"


class Region(StrEnum):
    """INEI department codes (ubigeo, two digits)."""

    amazonas = "01"
    ancash = "02"
    apurimac = "03"
    arequipa = "04"
    ayacucho = "05"
    cajamarca = "06"
    callao = "07"
    cusco = "08"
    huancavelica = "09"
    huanuco = "10"
    ica = "11"
    junin = "12"
    la_libertad = "13"
    lambayeque = "14"
    lima = "15"
    loreto = "16"
    madre_de_dios = "17"
    moquegua = "18"
    pasco = "19"
    piura = "20"
    puno = "21"
    san_martin = "22"
    tacna = "23"
    tumbes = "24"
    ucayali = "25"


class TransferReason(StrEnum):
    victim_moved = "victim_moved"
    specialised_attention = "specialised_attention"
    closer_to_family = "closer_to_family"
    other = "other"


class TransferStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    withdrawn = "withdrawn"


LABELS: dict[str, dict[str, str]] = {
    "team": {
        "lima": "Lima",
        "cusco": "Cusco",
        "loreto": "Loreto",
        "puno": "Puno",
        "madre_de_dios": "Madre de Dios",
    },
    "sex": {"female": "Femenino", "male": "Masculino"},
    "age_range": {
        "0_10": "0-10",
        "11_17": "11-17",
        "18_25": "18-25",
        "26_39": "26-39",
        "40_plus": "40+",
    },
    "nationality_group": {"peruvian": "Peruana", "foreign": "Extranjera"},
    "typology": {
        "trafficking": "Trata de personas",
        "violence_women_family": "Violencia contra la mujer e integrantes del grupo familiar",
        "sexual_exploitation": "Explotación sexual",
        "migrant_smuggling": "Tráfico ilícito de migrantes",
        "risk_prevention": "Prevención de riesgos",
        "missing_person": "Desaparecidos",
        "forced_labour": "Trabajo forzoso",
    },
    "trafficking_purpose": {
        "sexual": "con fines de explotación sexual",
        "labour": "con fines de explotación laboral",
        "sexual_labour": "con fines de explotación sexual y laboral",
        "child_sale": "con fines de venta de niños",
        "begging": "con fines de mendicidad",
        "organ_removal": "con fines de extracción de órganos",
        "other": "otras formas de explotación",
    },
    "capture_modality": {
        "false_job_offer": "Falsa oferta de empleo",
        "false_study_offer": "Falsa oferta de estudios",
        "ict": "TIC (redes sociales, internet)",
        "seduction": "Seducción / enamoramiento",
        "sponsorship": "Padrinazgo / madrinazgo",
        "kidnapping": "Rapto o secuestro",
        "other": "Otros",
    },
    "violence_type": {
        "psychological": "Psicológica",
        "sexual": "Sexual",
        "physical": "Física",
        "family": "Familiar",
        "economic": "Económica",
    },
    "violence_answer": {
        "yes": "Sí",
        "no": "No",
        "unknown": "Se desconoce",
        "not_recorded": "Sin información",
    },
    "route_stage": {"capture": "Captación", "transit": "Tránsito", "exploitation": "Explotación"},
    "region": {
        "01": "Amazonas",
        "02": "Áncash",
        "03": "Apurímac",
        "04": "Arequipa",
        "05": "Ayacucho",
        "06": "Cajamarca",
        "07": "Callao",
        "08": "Cusco",
        "09": "Huancavelica",
        "10": "Huánuco",
        "11": "Ica",
        "12": "Junín",
        "13": "La Libertad",
        "14": "Lambayeque",
        "15": "Lima",
        "16": "Loreto",
        "17": "Madre de Dios",
        "18": "Moquegua",
        "19": "Pasco",
        "20": "Piura",
        "21": "Puno",
        "22": "San Martín",
        "23": "Tacna",
        "24": "Tumbes",
        "25": "Ucayali",
    },
    "practice_category": {
        "coordination": "Coordinación interinstitucional e intrainstitucional",
        "detection_referral": "Detección de caso, derivación, trámite de la denuncia, inicio y "
        "proceso de la investigación",
        "privacy": "Derecho a la intimidad",
        "forensic": "Pericias médico-legales y psicológicas",
        "procedural": "Aspectos procedimentales",
        "criminal_type": "Tipo penal",
        "victim_rights": "Protección (buena) / Vulneración (mala) de los derechos de la víctima",
        "other": "Otros",
    },
    "follow_up_kind": {
        "legal": "Legal",
        "psychological": "Psicológico",
        "social": "Social",
        "health": "Salud",
        "education": "Educación",
        "employment": "Empleo e ingresos",
        "basic_needs": "Necesidades básicas",
        "other": "Otro",
    },
    "plan_dimension": {
        "health": "Salud (física y mental)",
        "identity": "Identidad y documentación",
        "education": "Educación",
        "protection": "Protección",
        "legal": "Asistencia legal",
        "employment": "Capacitación laboral y empleo",
        "safety": "Seguridad",
        "family": "Familia y comunidad",
        "housing": "Vivienda",
        "migration": "Situación migratoria",
    },
    "plan_status": {
        "drafted": "Elaborado",
        "in_progress": "En vías de implementación",
        "implemented": "Implementado",
        "completed": "Culminado",
        "abandoned": "Abandonado",
    },
    "close_reason": {
        "goals_met": "Objetivos cumplidos / reintegración",
        "voluntary_withdrawal": "Decisión personal de no continuar",
        "lost_contact": "Pérdida de contacto",
        "transferred": "Derivado a otra institución",
        "relocated": "Cambio de residencia / retorno al país de origen",
        "deceased": "Fallecimiento",
        "other": "Otro",
    },
    "trafficker_relation": {
        "unknown": "Desconocido",
        "acquaintance": "Conocido",
        "partner": "Pareja / cónyuge",
        "family": "Familiar",
        "guardian": "Tutor / cuidador",
        "godparent": "Padrino / madrina",
        "employer_agency": "Empleador / agencia",
        "criminal_org": "Organización criminal",
        "online_contact": "Contacto en línea",
        "other": "Otro",
    },
    "education_level": {
        "none": "Sin nivel",
        "primary": "Primaria",
        "secondary": "Secundaria",
        "technical": "Superior técnica",
        "university": "Superior universitaria",
        "unknown": "Se desconoce",
    },
    "case_status": {"open": "Abierto", "follow_up": "En seguimiento", "closed": "Cerrado"},
    "role": {
        "psychologist": "Psicóloga/o",
        "lawyer": "Abogada/o",
        "social_worker": "Trabajador/a social",
        "coordinator": "Coordinación",
        "admin": "Administración",
        "visualiser": "Visualizador de rutas",
    },
    "polarity": {"good": "Buena práctica", "bad": "Mala práctica"},
    "migration_status": {
        "national": "Nacional",
        "regular": "Extranjera en situación regular",
        "irregular": "Extranjera en situación irregular",
        "refugee_applicant": "Solicitante de refugio",
        "unknown": "Se desconoce",
    },
    "indigenous_language": {
        "quechua": "Quechua",
        "aymara": "Aimara",
        "ashaninka": "Asháninka",
        "awajun": "Awajún",
        "shipibo_konibo": "Shipibo-Konibo",
        "other": "Otra lengua originaria",
    },
    "protection_measure_kind": {
        "identity_reserve": "Reserva de identidad",
        "whereabouts_concealment": "Ocultamiento del paradero",
        "police_protection": "Protección policial",
        "shelter": "Acogida en centro o albergue",
        "no_contact_order": "Prohibición de contacto",
        "communications_block": "Bloqueo de comunicaciones con el agresor",
        "virtual_patrol": "Patrullaje virtual",
        "other": "Otra",
    },
    "consent_purpose": {
        "attention": "Atención",
        "data_sharing": "Compartir datos con una institución",
        "publication": "Uso en estadísticas y rutas publicadas",
    },
    "referral_direction": {"in": "Recibida", "out": "Enviada"},
    "referral_outcome": {
        "pending": "Pendiente",
        "accepted": "Atendida",
        "rejected": "Rechazada",
        "wrong_referral": "Derivación errónea",
        "no_answer": "Sin respuesta",
    },
    "external_ref_kind": {
        "fiscal_case": "Carpeta fiscal",
        "police_complaint": "Denuncia policial",
        "judicial_file": "Expediente judicial",
        "upe_car_file": "Expediente UPE/CAR",
        "consular_case": "Caso consular",
        "other": "Otro",
    },
    "priority": {"high": "Alta", "medium": "Media", "low": "Baja"},
    "document_type": {
        "dni": "DNI",
        "foreign_id": "Carné de extranjería",
        "passport": "Pasaporte",
        "ptp": "Permiso temporal de permanencia / CPP",
        "other": "Otro",
        "none": "Indocumentada",
    },
    "attention_stage": {
        "rescue": "Rescate o huida",
        "complaint": "Denuncia e investigación",
        "judicial": "Proceso judicial",
        "protection": "Protección y acogida",
        "health": "Atención de salud",
        "reintegration": "Reintegración",
        "other": "Otra",
    },
    "goal_status": {
        "pending": "Pendiente",
        "in_progress": "En curso",
        "achieved": "Logrado",
        "dropped": "Desestimado",
    },
    "action_type": {
        "orientation": "Orientación",
        "accompaniment": "Acompañamiento",
        "psychological_care": "Atención psicológica",
        "legal_sponsorship": "Patrocinio legal",
        "health_access": "Acceso a salud",
        "basic_needs": "Cobertura de necesidades básicas",
        "education": "Reinserción educativa",
        "employment": "Capacitación / inserción laboral",
        "documentation": "Trámite de identidad (DNI, migratorio)",
        "protection_measure": "Gestión de medida de protección",
        "referral": "Derivación",
        "home_visit": "Seguimiento domiciliario",
        "repatriation": "Repatriación / retorno",
        "other": "Otra",
    },
    "action_status": {"planned": "Programada", "done": "Realizada", "cancelled": "Cancelada"},
    "document_kind": {
        "consent": "Consentimiento firmado",
        "complaint": "Denuncia",
        "fiscal_resolution": "Disposición fiscal",
        "judicial_resolution": "Resolución judicial",
        "psychological_report": "Informe psicológico",
        "social_report": "Informe social",
        "identity_document": "Documento de identidad",
        "other": "Otro",
    },
    "assignment_responsibility": {
        "lead": "Responsable del caso",
        "psychological": "Psicológica",
        "legal": "Legal",
        "social": "Social",
    },
    "institution": {
        "pnp": "Policía Nacional del Perú",
        "dirctptim": "DIRCTPTIM-PNP",
        "fiscalia": "Ministerio Público – Fiscalía",
        "fistrap": "FISTRAP",
        "udavit": "UDAVIT",
        "uaivit": "UAIVIT",
        "poder_judicial": "Poder Judicial",
        "mimp": "MIMP",
        "upe": "Unidad de Protección Especial",
        "car": "Centro de Acogida Residencial",
        "cem": "Centro Emergencia Mujer",
        "inabif": "INABIF",
        "defensoria": "Defensoría del Pueblo",
        "demuna": "DEMUNA",
        "minsa": "MINSA / establecimiento de salud",
        "csmc": "Centro de Salud Mental Comunitario",
        "minedu": "MINEDU / UGEL",
        "mtpe": "MTPE",
        "sunafil": "SUNAFIL",
        "migraciones": "Superintendencia Nacional de Migraciones",
        "rree": "Cancillería / consulado",
        "reniec": "RENIEC",
        "minjusdh": "MINJUSDH – Defensa pública",
        "gobierno_regional": "Gobierno regional",
        "gobierno_local": "Gobierno local",
        "civil_society": "Sociedad civil",
        "other": "Otra",
    },
    "transfer_reason": {
        "victim_moved": "La víctima se trasladó",
        "specialised_attention": "Atención especializada",
        "closer_to_family": "Cercanía a su familia o red de apoyo",
        "other": "Otro",
    },
    "transfer_status": {
        "pending": "Pendiente",
        "accepted": "Aceptado",
        "rejected": "Rechazado",
        "withdrawn": "Retirado",
    },
}

# Catalog name -> enum, in the order GET /api/v1/catalogs lists them.
ENUMS: dict[str, type[StrEnum]] = {
    "team": Team,
    "sex": Sex,
    "age_range": AgeRange,
    "nationality_group": NationalityGroup,
    "typology": Typology,
    "trafficking_purpose": TraffickingPurpose,
    "capture_modality": CaptureModality,
    "violence_type": ViolenceType,
    "violence_answer": ViolenceAnswer,
    "route_stage": RouteStage,
    "region": Region,
    "practice_category": PracticeCategory,
    "follow_up_kind": FollowUpKind,
    "plan_dimension": PlanDimension,
    "plan_status": PlanStatus,
    "close_reason": CloseReason,
    "trafficker_relation": TraffickerRelation,
    "education_level": EducationLevel,
    "case_status": CaseStatus,
    "role": Role,
    "polarity": Polarity,
    "migration_status": MigrationStatus,
    "indigenous_language": IndigenousLanguage,
    "protection_measure_kind": ProtectionMeasureKind,
    "consent_purpose": ConsentPurpose,
    "document_kind": DocumentKind,
    "referral_direction": ReferralDirection,
    "referral_outcome": ReferralOutcome,
    "external_ref_kind": ExternalRefKind,
    "priority": Priority,
    "document_type": DocumentType,
    "attention_stage": AttentionStage,
    "goal_status": GoalStatus,
    "action_type": ActionType,
    "action_status": ActionStatus,
    "assignment_responsibility": Responsibility,
    "institution": Institution,
    "transfer_reason": TransferReason,
    "transfer_status": TransferStatus,
}

STAFF_ROLES = frozenset({Role.psychologist, Role.lawyer, Role.social_worker})
TEAM_PREFIX = {
    Team.lima: "LIM",
    Team.cusco: "CUS",
    Team.loreto: "LOR",
    Team.puno: "PUN",
    Team.madre_de_dios: "MDD",
}


def label(catalog: str, code: str | None) -> str:
    """Spanish label of a code ('' for None; the code itself when unknown)."""
    if code is None:
        return ""
    return LABELS[catalog].get(str(code), str(code))


def age_range_of(age: int) -> AgeRange:
    """Age range at intake, as Tabla 12 groups it."""
    if age <= 10:
        return AgeRange.r0_10
    if age <= 17:
        return AgeRange.r11_17
    if age <= 25:
        return AgeRange.r18_25
    if age <= 39:
        return AgeRange.r26_39
    return AgeRange.r40_plus


def _check() -> None:
    # Every enum has a label for every member, in the same order (a typo fails at import).
    for name, enum in ENUMS.items():
        codes = [m.value for m in enum]
        if codes != list(LABELS[name]):
            raise RuntimeError(f"catalog {name}: codes and labels differ")


_check()
