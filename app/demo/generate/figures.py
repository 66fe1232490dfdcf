"""What the demo reproduces: the published figures (X Informe Alternativo 2023-2025,
reference-tables.md, Tablas 10-18), the teams and the years they cover."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 22)
YEARS = (2023, 2024, 2025)
TEAMS = ("lima", "cusco", "loreto", "puno", "madre_de_dios")
TEAM_SLUGS = {
    "lima": "lima",
    "cusco": "cusco",
    "loreto": "loreto",
    "puno": "puno",
    "madre_de_dios": "mdd",
}
TEAM_LABELS = {
    "lima": "Lima",
    "cusco": "Cusco",
    "loreto": "Loreto",
    "puno": "Puno",
    "madre_de_dios": "Madre de Dios",
}

# Tablas 10 and 11 split into a team x year grid whose rows and columns add up to both tables:
# per team, (cases per year, victims per year), for 2023, 2024 and 2025.
TEAM_YEAR_GRID = {
    "lima": ((72, 93, 25), (150, 135, 74)),
    "loreto": ((62, 80, 22), (74, 88, 28)),
    "madre_de_dios": ((26, 33, 9), (32, 37, 12)),
    "puno": ((22, 28, 7), (24, 30, 8)),
    "cusco": ((14, 20, 5), (17, 22, 7)),
}
CASES_GRID = {team: cases for team, (cases, _) in TEAM_YEAR_GRID.items()}
VICTIMS_GRID = {team: victims for team, (_, victims) in TEAM_YEAR_GRID.items()}

SEX_COUNTS = {"female": 621, "male": 117}
AGE_RANGE_COUNTS = {"0_10": 46, "11_17": 338, "18_25": 217, "26_39": 100, "40_plus": 37}
NATIONALITY_COUNTS = {"peruvian": 440, "foreign": 298}
TYPOLOGY_COUNTS = {
    "trafficking": 355,
    "violence_women_family": 182,
    "sexual_exploitation": 78,
    "migrant_smuggling": 64,
    "risk_prevention": 35,
    "missing_person": 20,
    "forced_labour": 4,
}
PURPOSE_COUNTS = {"sexual": 175, "labour": 129, "sexual_labour": 46, "child_sale": 5}
# Tabla 15 prints 87 / 5 / 8 %: 309, 18 and 28 of 355 round to exactly that.
MODALITY_COUNTS = {
    "false_job_offer": 309,
    "ict": 18,
    "false_study_offer": 5,
    "seduction": 7,
    "sponsorship": 8,
    "kidnapping": 5,
    "other": 3,
}
VIOLENCE_COUNTS = {
    "psychological": {"yes": 147, "no": 32, "unknown": 204, "not_recorded": 355},
    "sexual": {"yes": 169, "no": 34, "unknown": 217, "not_recorded": 318},
    "physical": {"yes": 109, "no": 32, "unknown": 233, "not_recorded": 364},
    "family": {"yes": 118, "no": 36, "unknown": 215, "not_recorded": 369},
    "economic": {"yes": 49, "no": 37, "unknown": 75, "not_recorded": 577},
}
PRACTICE_COUNTS = {
    "good": {
        "coordination": 63,
        "detection_referral": 9,
        "privacy": 1,
        "forensic": 3,
        "procedural": 39,
        "criminal_type": 1,
        "victim_rights": 27,
        "other": 16,
    },
    "bad": {
        "coordination": 70,
        "detection_referral": 18,
        "privacy": 0,
        "forensic": 5,
        "procedural": 60,
        "criminal_type": 2,
        "victim_rights": 35,
        "other": 20,
    },
}
FOLLOW_UP_ACTIONS = 548

ROUTE_TYPOLOGIES = ("trafficking", "sexual_exploitation", "forced_labour", "migrant_smuggling")
EXPLOITATION_TYPOLOGIES = ("trafficking", "sexual_exploitation", "forced_labour")
CHILD_TYPOLOGIES = (
    "violence_women_family",
    "migrant_smuggling",
    "risk_prevention",
    "missing_person",
)
