"""The demo dataset as table rows: the generator's nested dicts turned into one list of
column values per model, ids given here so that rows can point at each other before any is
inserted (the loader inserts them in bulk)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.caseload.models import Assignment
from app.cases.models import Case, CaseCounter, CaseStatusChange
from app.catalogs import TEAM_PREFIX, Team, TransferReason, TransferStatus
from app.crypto import get_keyring
from app.db import utcnow
from app.demo.generate import DemoDataset
from app.demo.victim_rows import add_victim, at_noon, copied
from app.detections.models import Detection
from app.transfers.models import Transfer

Values = dict[str, Any]  # one row: column -> value
# (from, to, reason) of the demo's pending transfers.
DEMO_TRANSFERS = (
    (Team.puno, Team.lima, TransferReason.victim_moved),
    (Team.loreto, Team.lima, TransferReason.specialised_attention),
    (Team.madre_de_dios, Team.cusco, TransferReason.closer_to_family),
)


class DemoRows:
    """Rows per model, built from the generator's records."""

    def __init__(self, session: Session, users: dict[str, uuid.UUID]) -> None:
        self.session = session
        self.users = users
        self.rows: dict[type[Any], list[Values]] = defaultdict(list)
        self.case_ids: dict[str, uuid.UUID] = {}
        self.keyring = get_keyring()

    def add(self, model: type[Any], **values: Any) -> uuid.UUID:
        if "id" not in values and hasattr(model, "id") and model not in (CaseCounter,):
            values["id"] = uuid.uuid4()
        self.rows[model].append(values)
        return values.get("id")  # type: ignore[return-value]

    def build(self, data: DemoDataset) -> None:
        """Every row of the dataset, with the case counters it leaves (nothing written yet)."""
        seqs: dict[tuple[str, int], int] = defaultdict(int)
        for case in sorted(data.cases, key=lambda c: (c["opened_on"], c["key"])):
            year = case["opened_on"].year
            seqs[(case["team"], year)] += 1
            self.case(case, year, seqs[(case["team"], year)])
        for (team, year), last in seqs.items():
            existing = self.session.get(CaseCounter, (team, year))
            if existing is None:
                self.add(CaseCounter, team=team, year=year, last_seq=last)
            else:
                existing.last_seq = max(existing.last_seq, last)
        for det in data.detections:
            self.detection(det)
        self.pending_transfers()

    def user(self, username: str | None) -> uuid.UUID | None:
        return self.users.get(username) if username else None

    def _psychologist(self, rec: dict[str, Any], case_id: uuid.UUID, seq: int, now: Any) -> None:
        """Every other open case led by a lawyer or social worker also has the team's
        psychologist in charge of its psychological attention (a realistic caseload)."""
        author_name = str(rec.get("created_by") or "")
        psychologist = self.user(author_name.replace("_abo_", "_psi_").replace("_ts_", "_psi_"))
        if rec["closed_on"] is not None or seq % 2 or "_psi_" in author_name or not psychologist:
            return
        by = self.user(author_name)
        self._assignment(case_id, psychologist, "psychological", rec["opened_on"], None, by, now)

    def _assignment(
        self,
        case_id: uuid.UUID,
        user_id: uuid.UUID,
        responsibility: str,
        since: date,
        until: date | None,
        by: uuid.UUID | None,
        now: datetime,
    ) -> None:
        self.add(
            Assignment,
            case_id=case_id,
            user_id=user_id,
            responsibility=responsibility,
            since=since,
            until=until,
            assigned_by_id=by,
            created_at=now,
            updated_at=now,
        )

    def case(self, rec: dict[str, Any], year: int, seq: int) -> None:
        team = Team(rec["team"])
        code = f"{TEAM_PREFIX[team]}-{year}-{seq:04d}"
        author = self.user(rec.get("created_by"))
        now = at_noon(rec["opened_on"])
        case_id = self.add(
            Case,
            code=code,
            team=team,
            year=year,
            seq=seq,
            **copied(
                rec, "opened_on", "status", "closed_on", "close_reason", "referred_by", "summary"
            ),
            created_by_id=author,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self.case_ids[rec["key"]] = case_id
        if author is not None:  # its author leads it; a closed case's lead ended on closing
            self._assignment(
                case_id, author, "lead", rec["opened_on"], rec["closed_on"], author, now
            )
            self._psychologist(rec, case_id, seq, now)
        self._status_change(case_id, author, None, "open", rec["opened_on"], now)
        if rec["status"] == "follow_up":
            self._status_change(case_id, author, "open", "follow_up", rec["opened_on"], now)
        elif rec["status"] == "closed":
            closed_on = rec["closed_on"]
            self._status_change(
                case_id,
                author,
                "open",
                "closed",
                closed_on,
                at_noon(closed_on),
                close_reason=rec["close_reason"],
            )
        for n, victim in enumerate(rec["victims"], 1):
            add_victim(self, victim, case_id, f"{code}-V{n}", n, author)

    def _status_change(
        self,
        case_id: uuid.UUID,
        actor_id: uuid.UUID | None,
        from_status: str | None,
        to_status: str,
        on: date,
        at: datetime,
        **extra: Any,
    ) -> None:
        """One step of a case's status history."""
        self.add(
            CaseStatusChange,
            case_id=case_id,
            from_status=from_status,
            to_status=to_status,
            on=on,
            at=at,
            actor_id=actor_id,
            **extra,
        )

    def pending_transfers(self) -> None:
        """A few transfers waiting for an answer, so the "Traslados" page shows one at once:
        the latest open case of three teams, proposed by its author to another team."""
        latest = {row["team"]: row for row in self.rows[Case] if row["status"] != "closed"}
        for n, (source, target, reason) in enumerate(DEMO_TRANSFERS, 1):
            case = latest.get(source)
            if case is None:
                continue
            at = utcnow() - timedelta(days=n)
            self.add(
                Transfer,
                case_id=case["id"],
                from_team=source,
                to_team=target,
                reason=reason,
                note="Se mudó con su familia; prefiere seguir la atención en la otra sede.",
                status=TransferStatus.pending,
                proposed_by_id=case["created_by_id"],
                proposed_at=at,
                version=1,
                created_at=at,
                updated_at=at,
            )

    def detection(self, rec: dict[str, Any]) -> None:
        self.add(
            Detection,
            case_id=self.case_ids[rec["case_key"]],
            **copied(
                rec,
                "detected_on",
                "polarity",
                "category",
                "institution",
                optional=("stage", "description"),
            ),
            created_by_id=self.user(rec.get("author")),
            version=1,
        )
