"""The demo dataset reproduces every published table and stays coherent.

The counting here is written independently of the generator, from the report's rules.
"""

from collections import Counter
from dataclasses import asdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pytest

from app.demo.generate import DUPLICATE_DOCUMENTS, DemoDataset, generate

TODAY = date(2026, 11, 22)
YEARS = (2023, 2024, 2025)
TEAMS = ("lima", "cusco", "loreto", "puno", "madre_de_dios")
SLUGS = {
    "lima": "lima",
    "cusco": "cusco",
    "loreto": "loreto",
    "puno": "puno",
    "madre_de_dios": "mdd",
}
SEEDS = (2026, 1, 99)

TABLE_10 = {
    "lima": (190, 359),
    "loreto": (164, 190),
    "madre_de_dios": (68, 81),
    "puno": (57, 62),
    "cusco": (39, 46),
}
TABLE_11 = {2023: (196, 297), 2024: (254, 312), 2025: (68, 129)}
TABLE_12 = {
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
TABLE_13 = {
    "trafficking": (355, "48.1"),
    "violence_women_family": (182, "24.7"),
    "sexual_exploitation": (78, "10.6"),
    "migrant_smuggling": (64, "8.7"),
    "risk_prevention": (35, "4.7"),
    "missing_person": (20, "2.7"),
    "forced_labour": (4, "0.5"),
}
TABLE_14 = {
    "sexual": (175, "49.3"),
    "labour": (129, "36.3"),
    "sexual_labour": (46, "13.0"),
    "child_sale": (5, "1.4"),
}
TABLE_15 = {"false_job_offer": "87", "ict": "5", "other": "8"}
TABLE_16 = {  # type: ((yes, %), (no, %), (unknown, %), (not_recorded, %))
    "psychological": ((147, "19.92"), (32, "4.34"), (204, "27.64"), (355, "48.10")),
    "sexual": ((169, "22.90"), (34, "4.61"), (217, "29.40"), (318, "43.09")),
    "physical": ((109, "14.77"), (32, "4.34"), (233, "31.57"), (364, "49.32")),
    "family": ((118, "15.99"), (36, "4.88"), (215, "29.13"), (369, "50.00")),
    "economic": ((49, "6.64"), (37, "5.01"), (75, "10.16"), (577, "78.18")),
}
ANSWERS = ("yes", "no", "unknown", "not_recorded")
TABLES_17_18 = {  # category: (good, bad)
    "coordination": (63, 70),
    "detection_referral": (9, 18),
    "privacy": (1, 0),
    "forensic": (3, 5),
    "procedural": (39, 60),
    "criminal_type": (1, 2),
    "victim_rights": (27, 35),
    "other": (16, 20),
}
FOREIGN_STATUSES = {"regular", "irregular", "refugee_applicant"}
INEI = {f"{i:02d}" for i in range(1, 26)}
STAGE_ORDER = {"capture": 0, "transit": 1, "exploitation": 2}


@cache
def dataset(seed: int = 2026) -> DemoDataset:
    return generate(seed)


def percent(count: int, total: int, places: str) -> str:
    return str((Decimal(count) * 100 / Decimal(total)).quantize(Decimal(places), ROUND_HALF_UP))


def published_cases(data: DemoDataset) -> list[dict]:
    return [c for c in data.cases if c["opened_on"].year in YEARS]


def published_victims(data: DemoDataset) -> list[tuple[dict, dict]]:
    return [(c, v) for c in data.cases for v in c["victims"] if v["intake_on"].year in YEARS]


def all_victims(data: DemoDataset) -> list[tuple[dict, dict]]:
    return [(c, v) for c in data.cases for v in c["victims"]]


def age_range(age: int) -> str:
    for upper, key in ((10, "0_10"), (17, "11_17"), (25, "18_25"), (39, "26_39")):
        if age <= upper:
            return key
    return "40_plus"


def regions_at(victims: list[tuple[dict, dict]], stage: str) -> Counter[str]:
    """Victims per Peruvian department of their first capture / last exploitation leg."""
    counts: Counter[str] = Counter()
    for _, v in victims:
        legs = [leg for leg in v["route"] if leg["stage"] == stage]
        if not legs:
            continue
        leg = legs[0] if stage == "capture" else legs[-1]
        if leg["country"] == "PE":
            counts[leg["region"]] += 1
    return counts


@pytest.mark.parametrize("seed", SEEDS)
class TestPublishedTables:
    def test_tabla_10_cases_and_victims_by_team(self, seed):
        data = dataset(seed)
        cases = Counter(c["team"] for c in published_cases(data))
        victims = Counter(c["team"] for c, _ in published_victims(data))
        assert {t: (cases[t], victims[t]) for t in TEAMS} == TABLE_10

    def test_tabla_11_cases_and_victims_by_year(self, seed):
        data = dataset(seed)
        cases = Counter(c["opened_on"].year for c in published_cases(data))
        victims = Counter(v["intake_on"].year for _, v in published_victims(data))
        assert {y: (cases[y], victims[y]) for y in YEARS} == TABLE_11

    def test_tabla_12_victim_profile(self, seed):
        victims = [v for _, v in published_victims(dataset(seed))]
        groups = {
            "sex": Counter(v["sex"] for v in victims),
            "age_range": Counter(age_range(v["age_at_intake"]) for v in victims),
            "nationality": Counter(
                "peruvian" if v["nationality"] == "PE" else "foreign" for v in victims
            ),
        }
        for name, rows in TABLE_12.items():
            got = {k: (n, percent(n, 738, "0.01")) for k, n in groups[name].items()}
            assert got == rows, name

    def test_tabla_13_typology(self, seed):
        counts = Counter(v["typology"] for _, v in published_victims(dataset(seed)))
        assert {k: (n, percent(n, 738, "0.1")) for k, n in counts.items()} == TABLE_13

    def test_tabla_14_trafficking_purpose(self, seed):
        counts = Counter(
            v["trafficking_purpose"]
            for _, v in published_victims(dataset(seed))
            if v["typology"] == "trafficking"
        )
        assert {k: (n, percent(n, 355, "0.1")) for k, n in counts.items()} == TABLE_14

    def test_tabla_15_capture_modality(self, seed):
        modalities = [
            v["capture_modality"]
            for _, v in published_victims(dataset(seed))
            if v["typology"] == "trafficking" and v["capture_modality"] is not None
        ]
        counts = Counter(m if m in ("false_job_offer", "ict") else "other" for m in modalities)
        total = len(modalities)
        assert {k: percent(n, total, "1") for k, n in counts.items()} == TABLE_15

    def test_tabla_16_violence_history(self, seed):
        victims = [v for _, v in published_victims(dataset(seed))]
        for vtype, cells in TABLE_16.items():
            counts = Counter(v["violence_history"][vtype] for v in victims)
            got = tuple((counts[a], percent(counts[a], 738, "0.01")) for a in ANSWERS)
            assert got == cells, vtype

    def test_tablas_17_18_practices(self, seed):
        counts = Counter(
            (d["category"], d["polarity"])
            for d in dataset(seed).detections
            if d["detected_on"].year in YEARS
        )
        got = {cat: (counts[cat, "good"], counts[cat, "bad"]) for cat in TABLES_17_18}
        assert got == TABLES_17_18
        assert sum(counts.values()) == 369

    def test_548_implemented_actions_beside_planned_and_cancelled(self, seed):
        statuses = Counter(
            a["status"]
            for _, v in all_victims(dataset(seed))
            for f in v["follow_ups"]
            if f["occurred_on"].year in YEARS
            for a in f["actions"]
        )
        assert statuses["done"] == 548
        assert statuses["planned"] > 0 and statuses["cancelled"] > 0
        assert set(statuses) == {"done", "planned", "cancelled"}

    def test_every_outgoing_referral_has_a_sharing_consent_given_before(self, seed):
        outgoing = 0
        for _, v in all_victims(dataset(seed)):
            sharing = [c for c in v["consents"] if c["purpose"] == "data_sharing"]
            for r in v["referrals"]:
                if r["direction"] == "out":
                    outgoing += 1
                    assert any(
                        c["given_on"] <= r["referred_on"] and "revoked_on" not in c for c in sharing
                    )
        assert outgoing > 50

    def test_child_sale_victims_are_cusco_minors_in_five_cases(self, seed):
        found = [
            (c, v)
            for c, v in published_victims(dataset(seed))
            if v["trafficking_purpose"] == "child_sale"
        ]
        assert len(found) == 5
        assert all(c["team"] == "cusco" and v["age_at_intake"] < 18 for c, v in found)
        assert len({c["key"] for c, _ in found}) == 5
        assert not [
            v
            for _, v in all_victims(dataset(seed))
            if v["trafficking_purpose"] == "child_sale" and v["intake_on"].year == 2026
        ]

    def test_top_route_regions_with_clear_margins(self, seed):
        for victims in (published_victims(dataset(seed)), all_victims(dataset(seed))):
            for stage, top in (
                ("capture", ["15", "16", "21"]),
                ("exploitation", ["15", "17", "08"]),
            ):
                ranked = regions_at(victims, stage).most_common()
                assert [r for r, _ in ranked[:3]] == top, stage
                n = [c for _, c in ranked[:4]]
                assert n[0] - n[1] >= 10 and n[1] - n[2] >= 10 and n[2] - n[3] >= 5, stage

    def test_numerous_international_flows_of_five_or_more(self, seed):
        flows: Counter[tuple] = Counter()
        for _, v in published_victims(dataset(seed)):
            capture = [leg for leg in v["route"] if leg["stage"] == "capture"]
            exploit = [leg for leg in v["route"] if leg["stage"] == "exploitation"]
            if capture and exploit:
                a, b = capture[0], exploit[-1]
                flows[(a["country"], a["region"], b["country"], b["region"])] += 1
        international = {k: n for k, n in flows.items() if k[0] != k[2]}
        assert len(international) >= 10
        big = {k for k, n in international.items() if n >= 5}
        assert len(big) >= 3
        assert ("VE", None, "PE", "15") in big

    def test_cusco_has_some_foreign_victims(self, seed):
        cusco = [v for c, v in published_victims(dataset(seed)) if c["team"] == "cusco"]
        assert len(cusco) == 46
        assert sum(v["nationality"] != "PE" for v in cusco) >= 3


class TestShape:
    def test_users(self):
        users = {u["username"]: u for u in dataset().users}
        assert len(users) == 17
        assert all(name.startswith("demo") for name in users)
        for team in TEAMS:
            for prefix, role in (
                ("psi", "psychologist"),
                ("abo", "lawyer"),
                ("ts", "social_worker"),
            ):
                assert users[f"demo_{prefix}_{SLUGS[team]}"]["role"] == role
                assert users[f"demo_{prefix}_{SLUGS[team]}"]["teams"] == [team]
        assert users["demo_coord"]["role"] == "coordinator"
        assert sorted(users["demo_coord"]["teams"]) == sorted(TEAMS)
        assert users["demo_admin"] == users["demo_admin"] | {"role": "admin", "teams": []}

    def test_records_carry_the_agreed_keys(self):
        data = dataset()
        case_keys = {
            "key",
            "team",
            "opened_on",
            "status",
            "closed_on",
            "close_reason",
            "referred_by",
            "summary",
            "created_by",
            "victims",
        }
        victim_keys = {
            "key",
            "intake_on",
            "sex",
            "age_at_intake",
            "birth_date",
            "nationality",
            "typology",
            "trafficking_purpose",
            "capture_modality",
            "trafficker_relation",
            "education_level",
            "disability",
            "indigenous_language",
            "migration_status",
            "reflection_until",
            "violence_history",
            "route",
            "identity",
            "consents",
            "follow_ups",
            "plans",
            "referrals",
            "protection_measures",
        }
        detection_keys = {
            "key",
            "case_key",
            "detected_on",
            "polarity",
            "category",
            "institution",
            "stage",
            "description",
            "author",
        }
        for c, v in all_victims(data):
            assert set(c) == case_keys
            assert set(v) == victim_keys
            assert set(v["violence_history"]) == set(TABLE_16)
            assert set(v["identity"]) == {
                "given_names",
                "family_names",
                "document_type",
                "document_number",
                "phone",
                "address",
            }
            assert v["key"].startswith(c["key"] + "-v")
        assert all(set(d) == detection_keys for d in data.detections)
        keys = [c["key"] for c in data.cases] + [v["key"] for _, v in all_victims(data)]
        keys += [d["key"] for d in data.detections]
        assert len(keys) == len(set(keys))
        assert {d["case_key"] for d in data.detections} <= {c["key"] for c in data.cases}

    def test_same_seed_same_dataset_other_seed_differs(self):
        assert asdict(generate(2026)) == asdict(dataset(2026))
        assert asdict(generate(5)) != asdict(dataset(2026))


class TestCoherence:
    def test_case_dates_status_and_closure(self):
        cases = dataset().cases
        recent = [c for c in cases if c["opened_on"].year == 2026]
        assert 20 <= len(recent) <= 40
        assert all(date(2026, 1, 1) <= c["opened_on"] <= date(2026, 11, 15) for c in recent)
        for c in cases:
            intakes = [v["intake_on"] for v in c["victims"]]
            assert c["victims"] and c["created_by"].endswith("_" + SLUGS[c["team"]])
            assert c["summary"].startswith("Resumen ficticio")
            assert all(
                i.year == c["opened_on"].year and c["opened_on"] <= i <= TODAY for i in intakes
            )
            if c["status"] == "closed":
                assert c["close_reason"] and max(intakes) <= c["closed_on"] <= TODAY
            else:
                assert c["closed_on"] is None and c["close_reason"] is None
        status_2025 = Counter(c["status"] for c in cases if c["opened_on"].year == 2025)
        assert status_2025["closed"] < (status_2025["open"] + status_2025["follow_up"]) / 2

    def test_profiles_are_coherent(self):
        for c, v in all_victims(dataset()):
            age, typology = v["age_at_intake"], v["typology"]
            assert (v["trafficking_purpose"] is not None) == (typology == "trafficking")
            if typology == "trafficking":
                assert v["capture_modality"] is not None
            if v["trafficking_purpose"] == "child_sale":
                assert age < 18 and c["team"] == "cusco"
            if age < 18:
                assert v["education_level"] != "university"
            if age < 6:
                assert v["education_level"] == "none"
            if v["nationality"] == "PE":
                assert v["migration_status"] == "national"
            else:
                assert v["migration_status"] in FOREIGN_STATUSES
            if typology == "migrant_smuggling":
                assert v["nationality"] != "PE"
            assert v["birth_date"] is None
            assert v["reflection_until"] is None or v["intake_on"] < v["reflection_until"] <= TODAY

    def test_routes_are_ordered_and_well_placed(self):
        foreign_route = own_country = 0
        for _, v in all_victims(dataset()):
            route = v["route"]
            if v["typology"] in ("violence_women_family", "risk_prevention", "missing_person"):
                assert route == []
            if not route:
                continue
            stages = [STAGE_ORDER[leg["stage"]] for leg in route]
            assert stages == sorted(stages)
            assert [leg["stage"] for leg in route].count("capture") <= 1
            for leg in route:
                assert (leg["region"] in INEI) if leg["country"] == "PE" else leg["region"] is None
            if v["nationality"] != "PE" and route[0]["stage"] == "capture":
                foreign_route += 1
                own_country += route[0]["country"] == v["nationality"]
        assert own_country >= 0.8 * foreign_route

    def test_work_stays_inside_the_case_window(self):
        data = dataset()
        users = {u["username"]: u for u in data.users}
        for c, v in all_victims(data):
            start, end = v["intake_on"], c["closed_on"] or TODAY
            team_users = {n for n, u in users.items() if c["team"] in u["teams"]}
            sends = any(r["direction"] == "out" for r in v["referrals"])
            purposes = [x["purpose"] for x in v["consents"]]
            assert purposes[:2] == ["attention", "publication"]
            assert purposes[2:] == (["data_sharing"] if sends else [])
            assert all(x["given_on"] == start and "revoked_on" not in x for x in v["consents"])
            assert len(v["follow_ups"]) <= 3
            for f in v["follow_ups"]:
                assert start <= f["occurred_on"] <= end and f["author"] in team_users
                assert f["narrative"].startswith("Texto ficticio")
                assert len({a["type"] for a in f["actions"]}) == len(f["actions"])
                assert all(a["status"] in ("done", "planned", "cancelled") for a in f["actions"])
            for p in v["plans"]:
                assert start <= p["assessed_on"] <= end and p["author"] in team_users
                assert 2 <= len(p["needs"]) <= 4 and 1 <= len(p["goals"]) <= 4
                assert all(start <= g["due_on"] <= end for g in p["goals"])
                assert p["next_review_on"] is None or p["next_review_on"] <= TODAY
                assert len(p["reviews"]) <= 2
                for r in p["reviews"]:
                    assert p["assessed_on"] <= r["reviewed_on"] <= end
                    assert all(0 <= g["goal_index"] < len(p["goals"]) for g in r["goals"])
            for r in v["referrals"]:
                assert start <= r["referred_on"] <= end
                assert r["external_ref_kind"] and r["external_ref"]
            for m in v["protection_measures"]:
                assert start <= m["granted_on"] <= end
                assert m["ends_on"] is None or m["granted_on"] < m["ends_on"] <= end

    def test_work_volumes_are_about_as_briefed(self):
        victims = [v for _, v in all_victims(dataset())]
        share = {
            k: sum(bool(v[k]) for v in victims) / len(victims)
            for k in ("plans", "referrals", "protection_measures")
        }
        assert 0.33 <= share["plans"] <= 0.47
        assert 0.23 <= share["referrals"] <= 0.37
        assert 0.05 <= share["protection_measures"] <= 0.15

    def test_detections_fall_while_their_case_is_open(self):
        data = dataset()
        cases = {c["key"]: c for c in data.cases}
        for d in data.detections:
            case = cases[d["case_key"]]
            assert case["opened_on"] <= d["detected_on"] <= (case["closed_on"] or TODAY)
            assert d["author"].endswith("_" + SLUGS[case["team"]])
            assert d["description"].startswith("Texto ficticio")
        assert any(d["detected_on"].year == 2026 for d in data.detections)

    def test_identities_are_fake_and_documents_unique_but_three(self):
        victims = all_victims(dataset())
        fake = {
            "Ficticia",
            "Demostración",
            "Ejemplo",
            "Prueba",
            "Simulada",
            "Inventada",
            "Modelo",
            "Ensayo",
        }
        for _, v in victims:
            identity = v["identity"]
            assert set(identity["family_names"].split()) <= fake
            assert identity["phone"].startswith("900 ")
            assert (identity["document_type"] == "dni") == (v["nationality"] == "PE")
        holders: dict[str, list[str]] = {}
        for c, v in victims:
            if v["identity"]["document_number"] is None:  # a near-duplicate without document
                continue
            holders.setdefault(v["identity"]["document_number"], []).append(c["team"])
        repeated = {n: teams for n, teams in holders.items() if len(teams) > 1}
        assert set(repeated) == set(DUPLICATE_DOCUMENTS)
        assert all(len(teams) == 2 and teams[0] != teams[1] for teams in repeated.values())
        phones = [v["identity"]["phone"] for _, v in victims]
        assert len(phones) == len(set(phones))
