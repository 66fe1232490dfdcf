"""The HTCDS-shaped export: IOM's Human Trafficking Case Data Standard field names.

HTCDS names fields `<prefix>_<Name>` by table (cas_ case, prs_ person, vic_ victim context,
hte_ historic trafficking events). Where the standard has no field for a CALP figure the
column is `calp_<Name>`; approximations are listed in docs/htcds.md.
"""

from __future__ import annotations

from typing import Any

from app.cases.models import Case
from app.catalogs import LABELS, age_range_of
from app.detections.models import Detection
from app.victims.models import RouteLeg, Victim

VICTIM_HEADERS = [
    "cas_CaseId",
    "cas_Status",
    "cas_ReferringOrganisation",
    "cas_OpenedMonth",
    "cas_ClosedMonth",
    "cas_ReasonForCaseClosure",
    "vic_PersonId",
    "vic_RegistrationMonth",
    "vic_YearOfRegistration",
    "prs_Gender",
    "vic_AgeBroad",
    "vic_MajorityStatus",
    "prs_Nationality",
    "vic_IsTraffickingVictim",
    "vic_TypeOfExploitation",
    "vic_TypeOfLabourExploitation",
    "vic_MethodOfRecruitment",
    "vic_RecruiterRelationship",
    "vic_MethodsOfControl",
    "vic_Vulnerabilities",
    "hte_RecruitmentCountry",
    "hte_RecruitmentState",
    "hte_TransitCountries",
    "hte_ExploitationCountry",
    "hte_ExploitationState",
    "calp_Typology",
    "calp_Team",
    "calp_EducationLevel",
    "calp_IndigenousLanguage",
    "calp_MigrationStatus",
]
DETECTION_HEADERS = [
    "calp_CaseId",
    "calp_PracticeMonth",
    "calp_Polarity",
    "calp_Category",
    "calp_Institution",
    "calp_AttentionStage",
]

CASE_STATUS = {"open": "Active", "follow_up": "FollowUp", "closed": "Closed"}
CLOSURE = {
    "goals_met": "GoalsMet",
    "voluntary_withdrawal": "ClientWithdrew",
    "lost_contact": "LostContact",
    "transferred": "Referred",
    "relocated": "Relocated",
    "deceased": "Deceased",
    "other": "Other",
}
GENDER = {"female": "Female", "male": "Male"}
AGE_BROAD = {
    "0_10": "0--10",
    "11_17": "11--17",
    "18_25": "18--25",
    "26_39": "26--39",
    "40_plus": "40+",
}
EXPLOITATION = {
    "sexual": "SexualExploitation",
    "labour": "ForcedLabour",
    "sexual_labour": "SexualExploitation;ForcedLabour",
    "child_sale": "Other",
    "begging": "ForcedLabour",
    "organ_removal": "OrganRemoval",
    "other": "Other",
}
RECRUITMENT = {
    "false_job_offer": "JobOfferAdvertisement",
    "false_study_offer": "EducationalFacility",
    "ict": "Internet",
    "seduction": "IntimatePartnerMarriageProposition",
    "sponsorship": "PosingAsBenefactor",
    "kidnapping": "Abduction",
    "other": "Other",
}
RELATION = {
    "unknown": "Unknown",
    "acquaintance": "Friend",
    "partner": "IntimatePartner",
    "family": "Family",
    "guardian": "Family",
    "godparent": "Other",
    "employer_agency": "Other",
    "criminal_org": "Other",
    "online_contact": "Other",
    "other": "Other",
}
CONTROL = {
    "psychological": "PsychologicalAbuse",
    "physical": "PhysicalAbuse",
    "sexual": "SexualAbuse",
}


def _ym(value: Any) -> str:
    return value.strftime("%Y-%m") if value else ""


def _s(value: object) -> str:
    return "" if value is None else str(value)


def _place(legs: list[RouteLeg], stage: str, last: bool) -> tuple[str, str]:
    chosen = [leg for leg in legs if leg.stage == stage]
    if not chosen:
        return "", ""
    leg = chosen[-1] if last else chosen[0]
    region = LABELS["region"].get(str(leg.region), "") if leg.region else ""
    return leg.country, region


def victim_row(victim: Victim, case: Case, legs: list[RouteLeg]) -> list[Any]:
    """One victim in HTCDS terms (codes translated to the standard's value names)."""
    age_range = str(age_range_of(victim.age_at_intake))
    purpose = _s(victim.trafficking_purpose)
    control = [CONTROL[v] for v in CONTROL if _s(getattr(victim, f"violence_{v}")) == "yes"]
    vulnerabilities = []
    if victim.disability:
        vulnerabilities.append("DisabilityAndPhysicalHealth")
    if _s(victim.migration_status) in ("irregular", "refugee_applicant"):
        vulnerabilities.append("Migration")
    if _s(victim.education_level) == "none":
        vulnerabilities.append("Education")
    cap_country, cap_state = _place(legs, "capture", last=False)
    exp_country, exp_state = _place(legs, "exploitation", last=True)
    transit = ";".join(dict.fromkeys(leg.country for leg in legs if leg.stage == "transit"))
    status = CASE_STATUS[_s(case.status)]
    if _s(case.close_reason) == "transferred":
        status = "ClosedReferred"
    return [
        case.code,
        status,
        LABELS["institution"].get(_s(case.referred_by), ""),
        _ym(case.opened_on),
        _ym(case.closed_on),
        CLOSURE.get(_s(case.close_reason), ""),
        victim.code,
        _ym(victim.intake_on),
        victim.intake_on.year,
        GENDER[_s(victim.sex)],
        AGE_BROAD[age_range],
        "Minor" if victim.age_at_intake < 18 else "Adult",
        victim.nationality,
        "true" if purpose else "false",
        EXPLOITATION.get(purpose, ""),
        "Begging" if purpose == "begging" else "",
        RECRUITMENT.get(_s(victim.capture_modality), ""),
        RELATION.get(_s(victim.trafficker_relation), ""),
        ";".join(control),
        ";".join(vulnerabilities),
        cap_country,
        cap_state,
        transit,
        exp_country,
        exp_state,
        _s(victim.typology),
        # Shared for statistics: the team the published tables count, never moved by a transfer.
        _s(case.opened_by_team),
        _s(victim.education_level),
        _s(victim.indigenous_language),
        _s(victim.migration_status),
    ]


def detection_row(det: Detection, case: Case) -> list[Any]:
    return [
        case.code,
        _ym(det.detected_on),
        _s(det.polarity),
        _s(det.category),
        _s(det.institution),
        _s(det.stage),
    ]
