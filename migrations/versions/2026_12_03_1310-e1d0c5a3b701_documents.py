"""issue 18: documents of a victim, stored encrypted in chunks

`documents` holds what is listed (kind, date, size, content type, the record it is attached
to) and, sealed like every free text (app/db/sealed.py), the title, the file name and the
plaintext's SHA-256. `document_chunks` holds the content: AES-GCM ciphertexts of 64 KiB
pieces, each bound to its document, position and last-chunk flag (app/documents/
storage.py). Its foreign key is checked at COMMIT (DEFERRABLE INITIALLY DEFERRED): an upload
writes chunks as they arrive, before the document row, whose fields may come after the file.

Revision ID: e1d0c5a3b701
Revises: d0a1c5e7f901
Create Date: 2026-12-03 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d0c5a3b701"
down_revision: str | None = "d0a1c5e7f901"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "consent",
                "complaint",
                "fiscal_resolution",
                "judicial_resolution",
                "psychological_report",
                "social_report",
                "identity_document",
                "other",
                name="document_kind",
                native_enum=False,
                create_constraint=True,
                length=28,
            ),
            nullable=False,
        ),
        sa.Column("dated_on", sa.Date(), nullable=False),
        sa.Column(
            "record_type",
            sa.Enum(
                "follow_up",
                "plan",
                "referral",
                "protection_measure",
                "consent",
                name="document_record_type",
                native_enum=False,
                create_constraint=True,
                length=26,
            ),
            nullable=True,
        ),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("sha256", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_documents_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_documents_deleted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_documents_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "document_chunks",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_chunks_document_id_documents"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("document_id", "position", name=op.f("pk_document_chunks")),
    )


def downgrade() -> None:
    op.drop_table("document_chunks")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_victim_id"))
    op.drop_table("documents")
