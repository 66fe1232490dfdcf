"""initial schema

Revision ID: 292ec4f2657b
Revises:
Create Date: 2026-11-22 07:33:51.654119
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "292ec4f2657b"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_counters",
        sa.Column(
            "team",
            sa.Enum(
                "lima",
                "cusco",
                "loreto",
                "puno",
                "madre_de_dios",
                name="team",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team", "year", name=op.f("pk_case_counters")),
    )
    op.create_table(
        "data_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_versions")),
    )
    # The one counter row every data write bumps (statistics cache key).
    op.execute("INSERT INTO data_versions (id, version) VALUES (1, 0)")
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempts_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_attempts_client"), ["client"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_attempts_username"), ["username"], unique=False)

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "psychologist",
                "lawyer",
                "social_worker",
                "coordinator",
                "admin",
                "visualiser",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("token_generation", sa.Integer(), nullable=False),
        sa.Column("otp_secret", sa.Text(), nullable=True),
        sa.Column("otp_enrolled", sa.Boolean(), nullable=False),
        sa.Column("otp_last_step", sa.Integer(), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "psychologist",
                "lawyer",
                "social_worker",
                "coordinator",
                "admin",
                "visualiser",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_api_tokens_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "create",
                "update",
                "delete",
                "restore",
                "read_identity",
                "read_narrative",
                "login",
                "login_failed",
                "export",
                "import",
                "backup",
                "restore_backup",
                name="audit_action",
                native_enum=False,
                create_constraint=True,
                length=22,
            ),
            nullable=False,
        ),
        sa.Column("record_type", sa.String(length=40), nullable=True),
        sa.Column("record_id", sa.String(length=40), nullable=True),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("fields", sa.Text(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_audit_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_events_record", ["record_type", "record_id"], unique=False)
        batch_op.create_index("ix_audit_events_record_id", ["record_id"], unique=False)
        batch_op.create_index("ix_audit_events_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "cases",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column(
            "team",
            sa.Enum(
                "lima",
                "cusco",
                "loreto",
                "puno",
                "madre_de_dios",
                name="team",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "follow_up",
                "closed",
                name="case_status",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "close_reason",
            sa.Enum(
                "goals_met",
                "voluntary_withdrawal",
                "lost_contact",
                "transferred",
                "relocated",
                "deceased",
                "other",
                name="close_reason",
                native_enum=False,
                create_constraint=True,
                length=28,
            ),
            nullable=True,
        ),
        sa.Column(
            "referred_by",
            sa.Enum(
                "pnp",
                "dirctptim",
                "fiscalia",
                "fistrap",
                "udavit",
                "uaivit",
                "poder_judicial",
                "mimp",
                "upe",
                "car",
                "cem",
                "inabif",
                "defensoria",
                "demuna",
                "minsa",
                "csmc",
                "minedu",
                "mtpe",
                "sunafil",
                "migraciones",
                "rree",
                "reniec",
                "minjusdh",
                "gobierno_regional",
                "gobierno_local",
                "civil_society",
                "other",
                name="institution",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=True,
        ),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL AND close_reason IS NOT NULL)",
            name=op.f("ck_cases_closed_fields"),
        ),
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on >= opened_on", name=op.f("ck_cases_closed_after_opened")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_cases_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_cases_deleted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("code", name=op.f("uq_cases_code")),
        sa.UniqueConstraint("external_id", name=op.f("uq_cases_external_id")),
        sa.UniqueConstraint("team", "year", "seq", name="uq_cases_team_year_seq"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_opened_on", ["opened_on"], unique=False)
        batch_op.create_index("ix_cases_seq", ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)
        batch_op.create_index("ix_cases_team_opened", ["team", "opened_on"], unique=False)

    op.create_table(
        "user_teams",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "team",
            sa.Enum(
                "lima",
                "cusco",
                "loreto",
                "puno",
                "madre_de_dios",
                name="team",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_teams_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "team", name=op.f("pk_user_teams")),
    )
    op.create_table(
        "case_staff",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_staff_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_staff_user_id_users")
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_staff")),
    )
    op.create_table(
        "case_status_changes",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "open",
                "follow_up",
                "closed",
                name="from_status",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "open",
                "follow_up",
                "closed",
                name="to_status",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "close_reason",
            sa.Enum(
                "goals_met",
                "voluntary_withdrawal",
                "lost_contact",
                "transferred",
                "relocated",
                "deceased",
                "other",
                name="close_reason",
                native_enum=False,
                create_constraint=True,
                length=28,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_case_status_changes_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_status_changes_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_changes")),
    )
    with op.batch_alter_table("case_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_status_changes_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "detections",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("detected_on", sa.Date(), nullable=False),
        sa.Column(
            "polarity",
            sa.Enum(
                "good", "bad", name="polarity", native_enum=False, create_constraint=True, length=12
            ),
            nullable=False,
        ),
        sa.Column(
            "category",
            sa.Enum(
                "coordination",
                "detection_referral",
                "privacy",
                "forensic",
                "procedural",
                "criminal_type",
                "victim_rights",
                "other",
                name="practice_category",
                native_enum=False,
                create_constraint=True,
                length=26,
            ),
            nullable=False,
        ),
        sa.Column(
            "institution",
            sa.Enum(
                "pnp",
                "dirctptim",
                "fiscalia",
                "fistrap",
                "udavit",
                "uaivit",
                "poder_judicial",
                "mimp",
                "upe",
                "car",
                "cem",
                "inabif",
                "defensoria",
                "demuna",
                "minsa",
                "csmc",
                "minedu",
                "mtpe",
                "sunafil",
                "migraciones",
                "rree",
                "reniec",
                "minjusdh",
                "gobierno_regional",
                "gobierno_local",
                "civil_society",
                "other",
                name="institution",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=False,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "rescue",
                "complaint",
                "judicial",
                "protection",
                "health",
                "reintegration",
                "other",
                name="attention_stage",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=True,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_detections_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_detections_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_detections_deleted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detections")),
        sa.UniqueConstraint("external_id", name=op.f("uq_detections_external_id")),
    )
    with op.batch_alter_table("detections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detections_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_detections_detected_on", ["detected_on"], unique=False)

    op.create_table(
        "victims",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("intake_on", sa.Date(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "female", "male", name="sex", native_enum=False, create_constraint=True, length=14
            ),
            nullable=False,
        ),
        sa.Column("age_at_intake", sa.Integer(), nullable=False),
        sa.Column("nationality", sa.String(length=2), nullable=False),
        sa.Column(
            "typology",
            sa.Enum(
                "trafficking",
                "violence_women_family",
                "sexual_exploitation",
                "migrant_smuggling",
                "risk_prevention",
                "missing_person",
                "forced_labour",
                name="typology",
                native_enum=False,
                create_constraint=True,
                length=29,
            ),
            nullable=False,
        ),
        sa.Column(
            "trafficking_purpose",
            sa.Enum(
                "sexual",
                "labour",
                "sexual_labour",
                "child_sale",
                "begging",
                "organ_removal",
                "other",
                name="trafficking_purpose",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=True,
        ),
        sa.Column(
            "capture_modality",
            sa.Enum(
                "false_job_offer",
                "false_study_offer",
                "ict",
                "seduction",
                "sponsorship",
                "kidnapping",
                "other",
                name="capture_modality",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=True,
        ),
        sa.Column(
            "trafficker_relation",
            sa.Enum(
                "unknown",
                "acquaintance",
                "partner",
                "family",
                "guardian",
                "godparent",
                "employer_agency",
                "criminal_org",
                "online_contact",
                "other",
                name="trafficker_relation",
                native_enum=False,
                create_constraint=True,
                length=23,
            ),
            nullable=True,
        ),
        sa.Column(
            "education_level",
            sa.Enum(
                "none",
                "primary",
                "secondary",
                "technical",
                "university",
                "unknown",
                name="education_level",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=True,
        ),
        sa.Column("disability", sa.Boolean(), nullable=True),
        sa.Column(
            "indigenous_language",
            sa.Enum(
                "quechua",
                "aymara",
                "ashaninka",
                "awajun",
                "shipibo_konibo",
                "other",
                name="indigenous_language",
                native_enum=False,
                create_constraint=True,
                length=22,
            ),
            nullable=True,
        ),
        sa.Column(
            "migration_status",
            sa.Enum(
                "national",
                "regular",
                "irregular",
                "refugee_applicant",
                "unknown",
                name="migration_status",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=True,
        ),
        sa.Column("reflection_until", sa.Date(), nullable=True),
        sa.Column(
            "violence_psychological",
            sa.Enum(
                "yes",
                "no",
                "unknown",
                "not_recorded",
                name="violence_psychological",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "violence_sexual",
            sa.Enum(
                "yes",
                "no",
                "unknown",
                "not_recorded",
                name="violence_sexual",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "violence_physical",
            sa.Enum(
                "yes",
                "no",
                "unknown",
                "not_recorded",
                name="violence_physical",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "violence_family",
            sa.Enum(
                "yes",
                "no",
                "unknown",
                "not_recorded",
                name="violence_family",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "violence_economic",
            sa.Enum(
                "yes",
                "no",
                "unknown",
                "not_recorded",
                name="violence_economic",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "(typology = 'trafficking') = (trafficking_purpose IS NOT NULL)",
            name=op.f("ck_victims_purpose_only_for_trafficking"),
        ),
        sa.CheckConstraint(
            "age_at_intake >= 0 AND age_at_intake <= 120", name=op.f("ck_victims_age_range")
        ),
        sa.CheckConstraint(
            "length(nationality) = 2 AND upper(nationality) = nationality",
            name=op.f("ck_victims_nationality_iso"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_victims_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_victims_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_victims_deleted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victims")),
        sa.UniqueConstraint("code", name=op.f("uq_victims_code")),
        sa.UniqueConstraint("external_id", name=op.f("uq_victims_external_id")),
    )
    with op.batch_alter_table("victims", schema=None) as batch_op:
        batch_op.create_index("ix_victims_case_id", ["case_id"], unique=False)
        batch_op.create_index("ix_victims_intake_on", ["intake_on"], unique=False)

    op.create_table(
        "consents",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "attention",
                "data_sharing",
                "publication",
                name="consent_purpose",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "revoked_on IS NULL OR revoked_on >= given_on", name=op.f("ck_consents_revoked_after")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_consents_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_consents_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index("ix_consents_victim_purpose", ["victim_id", "purpose"], unique=False)

    op.create_table(
        "follow_ups",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "legal",
                "psychological",
                "social",
                "health",
                "education",
                "employment",
                "basic_needs",
                "other",
                name="follow_up_kind",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("supersedes_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_follow_ups_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["follow_ups.id"],
            name=op.f("fk_follow_ups_supersedes_id_follow_ups"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_follow_ups_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_follow_ups_supersedes_id")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_ups_victim_occurred", ["victim_id", "occurred_on"], unique=False
        )

    op.create_table(
        "plans",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "drafted",
                "in_progress",
                "implemented",
                "completed",
                "abandoned",
                name="plan_status",
                native_enum=False,
                create_constraint=True,
                length=19,
            ),
            nullable=False,
        ),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_plans_author_id_users")),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_plans_deleted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_plans_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plans_next_review_on"), ["next_review_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plans_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "protection_measures",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "identity_reserve",
                "whereabouts_concealment",
                "police_protection",
                "shelter",
                "no_contact_order",
                "communications_block",
                "virtual_patrol",
                "other",
                name="protection_measure_kind",
                native_enum=False,
                create_constraint=True,
                length=31,
            ),
            nullable=False,
        ),
        sa.Column(
            "institution",
            sa.Enum(
                "pnp",
                "dirctptim",
                "fiscalia",
                "fistrap",
                "udavit",
                "uaivit",
                "poder_judicial",
                "mimp",
                "upe",
                "car",
                "cem",
                "inabif",
                "defensoria",
                "demuna",
                "minsa",
                "csmc",
                "minedu",
                "mtpe",
                "sunafil",
                "migraciones",
                "rree",
                "reniec",
                "minjusdh",
                "gobierno_regional",
                "gobierno_local",
                "civil_society",
                "other",
                name="institution",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=False,
        ),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= granted_on",
            name=op.f("ck_protection_measures_ends_after_granted"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_protection_measures_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_protection_measures_deleted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_protection_measures_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protection_measures")),
    )
    with op.batch_alter_table("protection_measures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_protection_measures_victim_id"), ["victim_id"], unique=False
        )

    op.create_table(
        "referrals",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "in",
                "out",
                name="referral_direction",
                native_enum=False,
                create_constraint=True,
                length=11,
            ),
            nullable=False,
        ),
        sa.Column(
            "institution",
            sa.Enum(
                "pnp",
                "dirctptim",
                "fiscalia",
                "fistrap",
                "udavit",
                "uaivit",
                "poder_judicial",
                "mimp",
                "upe",
                "car",
                "cem",
                "inabif",
                "defensoria",
                "demuna",
                "minsa",
                "csmc",
                "minedu",
                "mtpe",
                "sunafil",
                "migraciones",
                "rree",
                "reniec",
                "minjusdh",
                "gobierno_regional",
                "gobierno_local",
                "civil_society",
                "other",
                name="institution",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=False,
        ),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "pending",
                "accepted",
                "rejected",
                "wrong_referral",
                "no_answer",
                name="referral_outcome",
                native_enum=False,
                create_constraint=True,
                length=22,
            ),
            nullable=True,
        ),
        sa.Column(
            "external_ref_kind",
            sa.Enum(
                "fiscal_case",
                "police_complaint",
                "judicial_file",
                "upe_car_file",
                "consular_case",
                "other",
                name="external_ref_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("external_ref", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_referrals_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_referrals_deleted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_referrals_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "route_legs",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "capture",
                "transit",
                "exploitation",
                name="route_stage",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column(
            "region",
            sa.Enum(
                "01",
                "02",
                "03",
                "04",
                "05",
                "06",
                "07",
                "08",
                "09",
                "10",
                "11",
                "12",
                "13",
                "14",
                "15",
                "16",
                "17",
                "18",
                "19",
                "20",
                "21",
                "22",
                "23",
                "24",
                "25",
                name="region",
                native_enum=False,
                create_constraint=True,
                length=10,
            ),
            nullable=True,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "country = 'PE' OR region IS NULL", name=op.f("ck_route_legs_region_only_in_peru")
        ),
        sa.CheckConstraint(
            "length(country) = 2 AND upper(country) = country",
            name=op.f("ck_route_legs_country_iso"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["victims.id"],
            name=op.f("fk_route_legs_victim_id_victims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_legs")),
    )
    with op.batch_alter_table("route_legs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_route_legs_victim_position", ["victim_id", "position"], unique=True
        )

    op.create_table(
        "victim_identities",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("given_names", sa.Text(), nullable=True),
        sa.Column("family_names", sa.Text(), nullable=True),
        sa.Column(
            "document_type",
            sa.Enum(
                "dni",
                "foreign_id",
                "passport",
                "ptp",
                "other",
                "none",
                name="document_type",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=True,
        ),
        sa.Column("document_number", sa.Text(), nullable=True),
        sa.Column("document_index", sa.String(length=64), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("birth_date", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["victims.id"],
            name=op.f("fk_victim_identities_victim_id_victims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("victim_id", name=op.f("pk_victim_identities")),
    )
    with op.batch_alter_table("victim_identities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_victim_identities_document_index"), ["document_index"], unique=False
        )

    op.create_table(
        "follow_up_actions",
        sa.Column("follow_up_id", sa.Uuid(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "orientation",
                "accompaniment",
                "psychological_care",
                "legal_sponsorship",
                "health_access",
                "basic_needs",
                "education",
                "employment",
                "documentation",
                "protection_measure",
                "referral",
                "home_visit",
                "repatriation",
                "other",
                name="action_type",
                native_enum=False,
                create_constraint=True,
                length=26,
            ),
            nullable=False,
        ),
        sa.Column(
            "institution",
            sa.Enum(
                "pnp",
                "dirctptim",
                "fiscalia",
                "fistrap",
                "udavit",
                "uaivit",
                "poder_judicial",
                "mimp",
                "upe",
                "car",
                "cem",
                "inabif",
                "defensoria",
                "demuna",
                "minsa",
                "csmc",
                "minedu",
                "mtpe",
                "sunafil",
                "migraciones",
                "rree",
                "reniec",
                "minjusdh",
                "gobierno_regional",
                "gobierno_local",
                "civil_society",
                "other",
                name="institution",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "done",
                "cancelled",
                name="action_status",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_follow_up_actions_follow_up_id_follow_ups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_actions")),
    )
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_actions_follow_up_id"), ["follow_up_id"], unique=False
        )

    op.create_table(
        "plan_goals",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "dimension",
            sa.Enum(
                "health",
                "identity",
                "education",
                "protection",
                "legal",
                "employment",
                "safety",
                "family",
                "housing",
                "migration",
                name="plan_dimension",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "in_progress",
                "achieved",
                "dropped",
                name="goal_status",
                native_enum=False,
                create_constraint=True,
                length=19,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_goals_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_goals")),
    )
    with op.batch_alter_table("plan_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_goals_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_needs",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column(
            "dimension",
            sa.Enum(
                "health",
                "identity",
                "education",
                "protection",
                "legal",
                "employment",
                "safety",
                "family",
                "housing",
                "migration",
                name="plan_dimension",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "priority",
            sa.Enum(
                "high",
                "medium",
                "low",
                name="priority",
                native_enum=False,
                create_constraint=True,
                length=14,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_needs_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_needs")),
    )
    with op.batch_alter_table("plan_needs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_needs_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_reviews",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_plan_reviews_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_reviews_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_reviews")),
    )
    with op.batch_alter_table("plan_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_reviews_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_review_goals",
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "in_progress",
                "achieved",
                "dropped",
                name="goal_status",
                native_enum=False,
                create_constraint=True,
                length=19,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["plan_goals.id"], name=op.f("fk_plan_review_goals_goal_id_plan_goals")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["plan_reviews.id"],
            name=op.f("fk_plan_review_goals_review_id_plan_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_review_goals")),
    )
    with op.batch_alter_table("plan_review_goals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_review_goals_review_id"), ["review_id"], unique=False
        )



def downgrade() -> None:
    with op.batch_alter_table("plan_review_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_review_goals_review_id"))

    op.drop_table("plan_review_goals")
    with op.batch_alter_table("plan_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_reviews_plan_id"))

    op.drop_table("plan_reviews")
    with op.batch_alter_table("plan_needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_needs_plan_id"))

    op.drop_table("plan_needs")
    with op.batch_alter_table("plan_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_goals_plan_id"))

    op.drop_table("plan_goals")
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_actions_follow_up_id"))

    op.drop_table("follow_up_actions")
    with op.batch_alter_table("victim_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_victim_identities_document_index"))

    op.drop_table("victim_identities")
    with op.batch_alter_table("route_legs", schema=None) as batch_op:
        batch_op.drop_index("ix_route_legs_victim_position")

    op.drop_table("route_legs")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_victim_id"))

    op.drop_table("referrals")
    with op.batch_alter_table("protection_measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_protection_measures_victim_id"))

    op.drop_table("protection_measures")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_victim_id"))
        batch_op.drop_index(batch_op.f("ix_plans_next_review_on"))

    op.drop_table("plans")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_victim_occurred")

    op.drop_table("follow_ups")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index("ix_consents_victim_purpose")

    op.drop_table("consents")
    with op.batch_alter_table("victims", schema=None) as batch_op:
        batch_op.drop_index("ix_victims_intake_on")
        batch_op.drop_index("ix_victims_case_id")

    op.drop_table("victims")
    with op.batch_alter_table("detections", schema=None) as batch_op:
        batch_op.drop_index("ix_detections_detected_on")
        batch_op.drop_index(batch_op.f("ix_detections_case_id"))

    op.drop_table("detections")
    with op.batch_alter_table("case_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_status_changes_case_id"))

    op.drop_table("case_status_changes")
    op.drop_table("case_staff")
    op.drop_table("user_teams")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_team_opened")
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index("ix_cases_seq")
        batch_op.drop_index("ix_cases_opened_on")

    op.drop_table("cases")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_user_at")
        batch_op.drop_index("ix_audit_events_record_id")
        batch_op.drop_index("ix_audit_events_record")
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))

    op.drop_table("audit_events")
    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempts_username"))
        batch_op.drop_index(batch_op.f("ix_login_attempts_client"))
        batch_op.drop_index(batch_op.f("ix_login_attempts_at"))

    op.drop_table("login_attempts")
    op.drop_table("data_versions")
    op.drop_table("case_counters")
