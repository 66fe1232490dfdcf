"""Deterministic synthetic rows for the benchmark: cases, victims and the work on them.

Shape (per victim): ~1.4 victims per case, route legs for the route typologies, ~0.8
follow-ups with 1-2 actions, ~0.7 detections per case, spread over 2006-2026 (growing
yearly) and the five teams with CALP's published proportions (Tablas 10-16). A small
share is soft-deleted or superseded so the counting rules have something to filter.

Rows are plain tuples in the column order of `COLUMNS`, Python-typed (UUID, date,
datetime, bool): `bench.load` adapts them per database. Identity and free text are
drawn from a small pool of plaintexts, each sealed by `app.crypto` to the row it lands in (a
ciphertext is bound to its table, column and row); document numbers are unique, with a real
blind index so `POST /victims/search` finds them.
"""

from __future__ import annotations

import bisect
import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from app.catalogs import TEAM_PREFIX, Team
from app.crypto import Keyring, bind

TODAY = date(2026, 11, 22)
YEARS = tuple(range(2006, 2027))
CASES_PER_CHUNK = 20_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "cases": (
        "id",
        "code",
        "team",
        "opened_by_team",
        "year",
        "seq",
        "opened_on",
        "status",
        "closed_on",
        "close_reason",
        "referred_by",
        "summary",
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
    ),
    "victims": (
        "id",
        "case_id",
        "code",
        "seq",
        "intake_on",
        "sex",
        "age_at_intake",
        "nationality",
        "typology",
        "trafficking_purpose",
        "capture_modality",
        "trafficker_relation",
        "education_level",
        "disability",
        "migration_status",
        "violence_psychological",
        "violence_sexual",
        "violence_physical",
        "violence_family",
        "violence_economic",
        "route_key",
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
    ),
    "victim_identities": (
        "victim_id",
        "given_names",
        "family_names",
        "document_type",
        "document_number",
        "document_index",
        "phone",
        "address",
    ),
    "route_legs": ("id", "victim_id", "position", "stage", "country", "region"),
    "follow_ups": (
        "id",
        "victim_id",
        "occurred_on",
        "kind",
        "narrative",
        "author_id",
        "supersedes_id",
        "created_at",
    ),
    "follow_up_actions": ("id", "follow_up_id", "type", "institution", "status"),
    "detections": (
        "id",
        "case_id",
        "detected_on",
        "polarity",
        "category",
        "institution",
        "stage",
        "description",
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
    ),
}
TABLE_ORDER = tuple(COLUMNS)


class Weighted:
    """Fast weighted choice from a seeded generator (bisect on cumulative weights)."""

    def __init__(self, spec: dict[object, float]) -> None:
        self.values = list(spec)
        self.cum = list(itertools.accumulate(spec.values()))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> object:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


TEAM = Weighted({"lima": 45, "loreto": 25, "madre_de_dios": 12, "puno": 10, "cusco": 8})
# Registrations grow over the years: 2026 holds ~3x the cases of 2006.
YEAR = Weighted({y: 1.0 + 2.0 * i / (len(YEARS) - 1) for i, y in enumerate(YEARS)})
VICTIMS_PER_CASE = Weighted({1: 72, 2: 18, 3: 6, 4: 2, 5: 2})  # mean 1.44
SEX = Weighted({"female": 84, "male": 16})
AGE_RANGE = Weighted({(3, 10): 6, (11, 17): 46, (18, 25): 29, (26, 39): 14, (40, 70): 5})
NATIONALITY = Weighted({"PE": 60, "VE": 20, "CO": 7, "BO": 6, "EC": 4, "BR": 2, "CN": 1})
TYPOLOGY = Weighted(
    {
        "trafficking": 48,
        "violence_women_family": 25,
        "sexual_exploitation": 11,
        "migrant_smuggling": 9,
        "risk_prevention": 5,
        "missing_person": 3,
        "forced_labour": 1,
    }
)
PURPOSE = Weighted(
    {"sexual": 49, "labour": 36, "sexual_labour": 13, "child_sale": 1, "begging": 0.5, "other": 0.5}
)
MODALITY = Weighted(
    {
        "false_job_offer": 80,
        "ict": 5,
        "false_study_offer": 2,
        "seduction": 2,
        "sponsorship": 2,
        "kidnapping": 1,
        "other": 1,
        None: 7,
    }
)
RELATION = Weighted(
    {
        "unknown": 30,
        "acquaintance": 25,
        "partner": 10,
        "family": 10,
        "employer_agency": 10,
        "criminal_org": 5,
        "online_contact": 5,
        None: 5,
    }
)
EDUCATION = Weighted(
    {
        "primary": 25,
        "secondary": 45,
        "technical": 8,
        "university": 4,
        "none": 3,
        "unknown": 5,
        None: 10,
    }
)
MIGRATION_FOREIGN = Weighted(
    {"regular": 30, "irregular": 50, "refugee_applicant": 10, "unknown": 10}
)
VIOLENCE = Weighted({"yes": 18, "no": 5, "unknown": 27, "not_recorded": 50})
CLOSE_REASON = Weighted(
    {
        "goals_met": 40,
        "voluntary_withdrawal": 20,
        "lost_contact": 20,
        "transferred": 10,
        "relocated": 8,
        "other": 2,
    }
)
REFERRED_BY = Weighted(
    {"pnp": 30, "fiscalia": 30, "cem": 10, "upe": 10, "demuna": 5, "civil_society": 5, None: 10}
)
REGION = Weighted(
    {f"{i:02d}": (30 if i == 15 else 12 if i in (16, 21, 17, 8) else 2) for i in range(1, 26)}
)
FOLLOW_UPS = Weighted({0: 40, 1: 45, 2: 15})  # mean ~0.75 per victim
KIND = Weighted(
    {
        "legal": 30,
        "psychological": 25,
        "social": 20,
        "health": 7,
        "education": 5,
        "employment": 5,
        "basic_needs": 5,
        "other": 3,
    }
)
ACTION = Weighted(
    {
        "orientation": 20,
        "accompaniment": 15,
        "psychological_care": 15,
        "legal_sponsorship": 12,
        "referral": 10,
        "basic_needs": 8,
        "home_visit": 8,
        "documentation": 5,
        "health_access": 4,
        "protection_measure": 3,
    }
)
ACTION_STATUS = Weighted({"done": 80, "planned": 15, "cancelled": 5})
INSTITUTION = Weighted(
    {"fiscalia": 25, "pnp": 20, "cem": 10, "minsa": 10, "upe": 10, "poder_judicial": 10, None: 15}
)
DETECTIONS = Weighted({0: 50, 1: 35, 2: 15})  # ~0.65 per case
POLARITY = Weighted({"good": 43, "bad": 57})
CATEGORY = Weighted(
    {
        "coordination": 36,
        "detection_referral": 7,
        "privacy": 0.3,
        "forensic": 2,
        "procedural": 27,
        "criminal_type": 1,
        "victim_rights": 17,
        "other": 10,
    }
)
STAGE = Weighted(
    {"rescue": 15, "complaint": 35, "judicial": 20, "protection": 15, "health": 10, None: 5}
)
ROUTE_TYPOLOGIES = {"trafficking", "sexual_exploitation", "forced_labour", "migrant_smuggling"}


@dataclass
class Samples:
    """Values the measurements need: ids, codes and document numbers known to exist."""

    victim_ids: list[uuid.UUID] = field(default_factory=list)
    case_codes: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)


class Generator:
    """Rows for `n_victims` victims, in chunks of whole cases (deterministic per seed)."""

    def __init__(self, n_victims: int, keyring: Keyring, seed: int = 9) -> None:
        self.n = n_victims
        self.keyring = keyring
        self.rng = random.Random(seed)
        # Record keys of the route map from a stream of their own: the other draws (and so
        # the data) stay what they were before the column existed.
        self.route_keys = random.Random(f"route-keys-{seed}")
        self.samples = Samples()
        # Free text and identity: a pool of plaintexts, each sealed to the row it lands in.
        self.pool = {
            "summary": [f"Resumen ficticio del caso {i}." for i in range(32)],
            "given": ["Ana", "Rosa", "Luz", "Flor", "Juan", "Luis"],
            "family": ["Ficticia", "Ejemplo", "Prueba", "Modelo"],
            "phone": [f"9{i:08d}" for i in range(16)],
            "address": [f"Calle Ficticia {i}" for i in range(16)],
            "narrative": [f"Texto ficticio de seguimiento {i}." for i in range(32)],
            "description": [f"Texto ficticio: práctica {i}." for i in range(16)],
        }
        self._sample_every = max(1, n_victims // 4000)

    def seal(self, table: str, column: str, row: uuid.UUID, text: str) -> str:
        return self.keyring.seal(text, bind(table, column, row))

    def pick(self, table: str, column: str, row: uuid.UUID, pool: str) -> str:
        return self.seal(table, column, row, self.rng.choice(self.pool[pool]))

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def chunks(self) -> Iterator[dict[str, list[tuple[object, ...]]]]:
        made = 0
        while made < self.n:
            rows: dict[str, list[tuple[object, ...]]] = {t: [] for t in TABLE_ORDER}
            for _ in range(CASES_PER_CHUNK):
                if made >= self.n:
                    break
                made += self._case(rows, min(int(VICTIMS_PER_CASE(self.rng)), self.n - made), made)
            for table, table_rows in rows.items():
                self.samples.counts[table] = self.samples.counts.get(table, 0) + len(table_rows)
            yield rows

    def _date_in(self, year: int, after: date | None = None, span: int = 365) -> date:
        start = after or date(year, 1, 1)
        day = start + timedelta(days=self.rng.randrange(span))
        return min(day, TODAY)

    def _case(self, rows: dict[str, list[tuple[object, ...]]], n_victims: int, made: int) -> int:
        rng = self.rng
        team = str(TEAM(rng))
        year = int(YEAR(rng))
        opened = self._date_in(
            year, span=(TODAY - date(year, 1, 1)).days + 1 if year == TODAY.year else 365
        )
        seq = self.samples.counters.get((team, year), 0) + 1
        self.samples.counters[(team, year)] = seq
        code = f"{TEAM_PREFIX[Team(team)]}-{year}-{seq:04d}"
        case_id = self.uuid()
        closed = year < 2024 and rng.random() < 0.85 or year < 2026 and rng.random() < 0.3
        closed_on = min(opened + timedelta(days=rng.randrange(30, 700)), TODAY) if closed else None
        status = "closed" if closed else ("follow_up" if rng.random() < 0.5 else "open")
        stamp = datetime.combine(opened, time(12), UTC)
        deleted = stamp if rng.random() < 0.003 else None
        rows["cases"].append(
            (
                case_id,
                code,
                team,
                team,  # opened_by_team: no case of the bench was transferred
                year,
                seq,
                opened,
                status,
                closed_on,
                CLOSE_REASON(rng) if closed else None,
                REFERRED_BY(rng),
                self.pick("cases", "summary", case_id, "summary"),
                stamp,
                stamp,
                1,
                deleted,
            )
        )
        if made % self._sample_every == 0 and deleted is None:
            self.samples.case_codes.append(code)
        for v in range(n_victims):
            self._victim(rows, case_id, code, v + 1, opened, made + v, deleted is None)
        for _ in range(int(DETECTIONS(rng))):
            det_id = self.uuid()
            rows["detections"].append(
                (
                    det_id,
                    case_id,
                    self._date_in(year, opened, 200),
                    POLARITY(rng),
                    CATEGORY(rng),
                    INSTITUTION(rng) or "fiscalia",
                    STAGE(rng),
                    self.pick("detections", "description", det_id, "description"),
                    stamp,
                    stamp,
                    1,
                    stamp if rng.random() < 0.003 else None,
                )
            )
        return n_victims

    def _victim(
        self,
        rows: dict[str, list[tuple[object, ...]]],
        case_id: uuid.UUID,
        case_code: str,
        seq: int,
        opened: date,
        index: int,
        live_case: bool,
    ) -> None:
        rng = self.rng
        vid = self.uuid()
        intake = self._date_in(opened.year, opened, 20)
        low, high = AGE_RANGE(rng)  # type: ignore[misc]
        nationality = str(NATIONALITY(rng))
        typology = str(TYPOLOGY(rng))
        trafficking = typology == "trafficking"
        stamp = datetime.combine(intake, time(12), UTC)
        violence = tuple(VIOLENCE(rng) for _ in range(5))
        deleted = stamp if rng.random() < 0.003 else None
        rows["victims"].append(
            (
                vid,
                case_id,
                f"{case_code}-V{seq}",
                seq,
                intake,
                SEX(rng),
                rng.randint(low, high),
                nationality,
                typology,
                PURPOSE(rng) if trafficking else None,
                MODALITY(rng) if trafficking else None,
                RELATION(rng),
                EDUCATION(rng),
                rng.random() < 0.04,
                "national" if nationality == "PE" else MIGRATION_FOREIGN(rng),
                *violence,
                self.route_keys.getrandbits(31),
                stamp,
                stamp,
                1,
                deleted,
            )
        )
        # Document numbers: unique, except 0.2% reused by a second victim (possible duplicates).
        doc_no = index - 1 if index and rng.random() < 0.002 else index
        document = f"{40000000 + doc_no}"
        rows["victim_identities"].append(
            (
                vid,
                self.pick("victim_identities", "given_names", vid, "given"),
                self.pick("victim_identities", "family_names", vid, "family"),
                "dni" if nationality == "PE" else "passport",
                self.seal("victim_identities", "document_number", vid, document),
                self.keyring.blind_index(document),
                self.pick("victim_identities", "phone", vid, "phone"),
                self.pick("victim_identities", "address", vid, "address"),
            )
        )
        if index % self._sample_every == 0 and live_case and deleted is None:
            self.samples.victim_ids.append(vid)
            self.samples.documents.append(document)
        if typology in ROUTE_TYPOLOGIES:
            self._route(rows, vid, nationality)
        self._follow_ups(rows, vid, intake)

    def _route(
        self, rows: dict[str, list[tuple[object, ...]]], vid: uuid.UUID, nationality: str
    ) -> None:
        rng = self.rng
        legs: list[tuple[str, str, str | None]] = []
        if nationality != "PE":
            legs.append(("capture", nationality, None))
        else:
            legs.append(("capture", "PE", str(REGION(rng))))
        if rng.random() < 0.4:
            legs.append(("transit", "PE", str(REGION(rng))))
        legs.append(("exploitation", "PE", str(REGION(rng))))
        for position, (stage, country, region) in enumerate(legs, start=1):
            rows["route_legs"].append((self.uuid(), vid, position, stage, country, region))

    def _follow_ups(
        self, rows: dict[str, list[tuple[object, ...]]], vid: uuid.UUID, intake: date
    ) -> None:
        rng = self.rng
        previous: uuid.UUID | None = None
        for _ in range(int(FOLLOW_UPS(rng))):
            fid = self.uuid()
            occurred = self._date_in(intake.year, intake, 300)
            # 2% are corrections of the previous entry: superseded entries leave every count.
            supersedes = previous if previous and rng.random() < 0.1 else None
            rows["follow_ups"].append(
                (
                    fid,
                    vid,
                    occurred,
                    KIND(rng),
                    self.pick("follow_ups", "narrative", fid, "narrative"),
                    None,
                    supersedes,
                    datetime.combine(occurred, time(15), UTC),
                )
            )
            for _ in range(1 if rng.random() < 0.7 else 2):
                rows["follow_up_actions"].append(
                    (self.uuid(), fid, ACTION(rng), INSTITUTION(rng), ACTION_STATUS(rng))
                )
            previous = fid
