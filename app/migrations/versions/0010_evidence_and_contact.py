"""evidence and contact: attachments (sealed, chunked), check codes, the print register

Revision ID: 0010
Revises: 0011
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0011"
branch_labels = None
depends_on = None

# Kept here as it was when written (app/contact.py has the live copy).
ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("check_code", sa.String(length=6), nullable=True))
    bind = op.get_bind()
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("check_code", sa.String))
    for (case_id,) in bind.execute(sa.select(cases.c.id)).all():
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        bind.execute(cases.update().where(cases.c.id == case_id).values(check_code=code))

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("file_type", sa.String(length=10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff", sa.String(length=100), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attachments_case_id", "attachments", ["case_id"])
    op.create_table(
        "attachment_chunks",
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("attachment_id", "seq"),
    )
    op.create_table(
        "document_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_document_numbers_subject", "document_numbers", ["subject"])
    op.create_index("ix_document_numbers_kind_subject", "document_numbers", ["kind", "subject"], unique=True)
    op.create_table(
        "document_outputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff", sa.String(length=100), nullable=False),
        sa.Column("how", sa.String(length=10), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document_numbers.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_document_outputs_document_id", "document_outputs", ["document_id"])
    op.create_table(
        "document_counters",
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year"),
    )


def downgrade() -> None:
    op.drop_table("document_counters")
    op.drop_index("ix_document_outputs_document_id", "document_outputs")
    op.drop_table("document_outputs")
    op.drop_index("ix_document_numbers_kind_subject", "document_numbers")
    op.drop_index("ix_document_numbers_subject", "document_numbers")
    op.drop_table("document_numbers")
    op.drop_table("attachment_chunks")
    op.drop_index("ix_attachments_case_id", "attachments")
    op.drop_table("attachments")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("check_code")
