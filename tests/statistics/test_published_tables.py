"""The demo dataset, loaded into an empty database, reproduces every published cell.

The published values are written here from reference-tables.md (X Informe Alternativo
2023-2025); percentages are compared at the precision the report printed them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

PERIOD = {"from": 2023, "to": 2025}

TABLA_10 = {
    "lima": (190, 359),
    "loreto": (164, 190),
    "madre_de_dios": (68, 81),
    "puno": (57, 62),
    "cusco": (39, 46),
}
TABLA_11 = {"2023": (196, 297), "2024": (254, 312), "2025": (68, 129)}
TABLA_12 = {
    "sex": {"female": (621, "84.15"), "male": (117, "15.85")},
    "age_range": {
        "0_10": (46, "6.23"),
        "11_17": (338, "45.80"),
        "18_25": (217, "29.40"),
        "26_39": (100, "13.55"),
        "40_plus": (37, "5.01"),
    },
    "nationality": {"peruvian": (440, "59.62"), "foreign": (298, "40.38")},
}
TABLA_13 = {
    "trafficking": (355, "48.1"),
    "violence_women_family": (182, "24.7"),
    "sexual_exploitation": (78, "10.6"),
    "migrant_smuggling": (64, "8.7"),
    "risk_prevention": (35, "4.7"),
    "missing_person": (20, "2.7"),
    "forced_labour": (4, "0.5"),
}
TABLA_14 = {
    "sexual": (175, "49.3"),
    "labour": (129, "36.3"),
    "sexual_labour": (46, "13.0"),
    "child_sale": (5, "1.4"),
    "begging": (0, "0.0"),
    "organ_removal": (0, "0.0"),
    "other": (0, "0.0"),
}
TABLA_15 = {"false_job_offer": "87", "ict": "5", "other": "8"}
TABLA_16 = {  # yes, no, unknown, not recorded: (count, percent)
    "psychological": [(147, "19.92"), (32, "4.34"), (204, "27.64"), (355, "48.10")],
    "sexual": [(169, "22.90"), (34, "4.61"), (217, "29.40"), (318, "43.09")],
    "physical": [(109, "14.77"), (32, "4.34"), (233, "31.57"), (364, "49.32")],
    "family": [(118, "15.99"), (36, "4.88"), (215, "29.13"), (369, "50.00")],
    "economic": [(49, "6.64"), (37, "5.01"), (75, "10.16"), (577, "78.18")],
}
TABLAS_17_18 = {  # category: (good, bad)
    "coordination": (63, 70),
    "detection_referral": (9, 18),
    "privacy": (1, 0),
    "forensic": (3, 5),
    "procedural": (39, 60),
    "criminal_type": (1, 2),
    "victim_rights": (27, 35),
    "other": (16, 20),
}
ANSWERS = ("yes", "no", "unknown", "not_recorded")


def at_printed(value: float, printed: str) -> str:
    """The API's percentage rounded half-up to the decimals the report printed."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    exp = Decimal(1).scaleb(-places)
    return str(Decimal(str(value)).quantize(exp, rounding=ROUND_HALF_UP))


def rows_of(table: dict, group: int = 0) -> dict[str, dict]:
    return {row["key"]: row for row in table["groups"][group]["rows"]}


def test_tabla_10_cases_and_victims_by_team(stats):
    table = stats("cases-by-team", **PERIOD)
    assert table["table"] == "10" and (table["from"], table["to"]) == (2023, 2025)
    rows = rows_of(table)
    assert list(rows) == ["lima", "cusco", "loreto", "puno", "madre_de_dios"]
    assert {k: (r["cases"], r["victims"]) for k, r in rows.items()} == TABLA_10
    assert table["groups"][0]["total"] == {"cases": 518, "victims": 738}


def test_tabla_11_cases_and_victims_by_year(stats):
    table = stats("cases-by-year", **PERIOD)
    assert {k: (r["cases"], r["victims"]) for k, r in rows_of(table).items()} == TABLA_11
    assert table["groups"][0]["total"] == {"cases": 518, "victims": 738}


def test_tabla_12_victim_profile(stats):
    table = stats("victim-profile", **PERIOD)
    assert [g["name"] for g in table["groups"]] == list(TABLA_12)
    for i, (name, expected) in enumerate(TABLA_12.items()):
        group = table["groups"][i]
        assert group["total"] == 738 and group["not_recorded"] == 0, name
        got = {
            k: (r["count"], at_printed(r["percent"], expected[k][1]))
            for k, r in rows_of(table, i).items()
        }
        assert got == expected, name


@pytest.mark.parametrize(
    ("path", "expected", "total"),
    [("typology", TABLA_13, 738), ("trafficking-purpose", TABLA_14, 355)],
)
def test_tablas_13_14_count_and_percent(stats, path, expected, total):
    table = stats(path, **PERIOD)
    rows = rows_of(table)
    assert list(rows) == list(expected)
    assert {
        k: (r["count"], at_printed(r["percent"], expected[k][1])) for k, r in rows.items()
    } == expected
    assert table["groups"][0]["total"] == total


def test_tabla_15_capture_modality_rounds_to_87_5_8(stats):
    table = stats("capture-modality", **PERIOD)
    rows = rows_of(table)
    assert [r["label"] for r in rows.values()] == ["Falsa oferta de empleo", "TIC", "Otros"]
    assert {k: at_printed(r["percent"], TABLA_15[k]) for k, r in rows.items()} == TABLA_15
    group = table["groups"][0]
    assert sum(r["count"] for r in rows.values()) == group["total"]
    assert group["total"] + group["not_recorded"] == 355


def test_tabla_16_violence_history(stats):
    table = stats("violence-history", **PERIOD)
    assert table["groups"][0]["total"] == 738
    rows = rows_of(table)
    assert list(rows) == list(TABLA_16)
    for kind, expected in TABLA_16.items():
        got = [
            (rows[kind]["counts"][a], at_printed(rows[kind]["percents"][a], p))
            for a, (_, p) in zip(ANSWERS, expected, strict=True)
        ]
        assert got == expected, kind
    # The report's "592 víctimas" is the sum of the "Sí" column.
    assert sum(r["counts"]["yes"] for r in rows.values()) == 592


@pytest.mark.parametrize(
    ("polarity", "number", "col", "total"), [("good", "17", 0, 159), ("bad", "18", 1, 210)]
)
def test_tablas_17_18_practices(stats, polarity, number, col, total):
    table = stats("practices", polarity=polarity, **PERIOD)
    assert table["table"] == number
    assert {k: r["count"] for k, r in rows_of(table).items()} == {
        k: v[col] for k, v in TABLAS_17_18.items()
    }
    assert table["groups"][0]["total"] == total


def test_report_holds_every_table_identically(stats):
    report = stats("report", **PERIOD)
    assert (report["from"], report["to"]) == (2023, 2025)
    assert [t["table"] for t in report["tables"]] == [str(n) for n in range(10, 19)]
    # The report counts in one pass per source; each table on its own has its own query.
    singles = [
        stats(path, **params, **PERIOD)
        for path, params in (
            ("cases-by-team", {}),
            ("cases-by-year", {}),
            ("victim-profile", {}),
            ("typology", {}),
            ("trafficking-purpose", {}),
            ("capture-modality", {}),
            ("violence-history", {}),
            ("practices", {"polarity": "good"}),
            ("practices", {"polarity": "bad"}),
        )
    ]
    assert report["tables"] == singles


def test_548_implemented_actions_in_the_outcomes(stats):
    outcomes = stats("outcomes", **PERIOD)
    groups = {g["name"]: g for g in outcomes["groups"]}
    assert groups["action_type"]["total"] == 548
    assert groups["follow_up_kind"]["total"] == 548
    by_status = {r["key"]: r["count"] for r in groups["action_status"]["rows"]}
    assert by_status["done"] == 548
    assert by_status["planned"] > 0 and by_status["cancelled"] > 0
    assert groups["action_status"]["total"] == sum(by_status.values()) > 548
