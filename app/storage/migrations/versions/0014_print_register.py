"""the print register (文书登记): one number per document of a case, kept by reprints

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prints", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("first_printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_staff", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("last_printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_staff", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("last_to", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "case_id", name="uq_print_register_kind_case"),
        sa.UniqueConstraint("prefix", "year", "seq", name="uq_print_register_number"),
    )
    op.create_index("ix_print_register_case_id", "print_register", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_print_register_case_id", "print_register")
    op.drop_table("print_register")
