"""scam watch: watched numbers and the numbers each case mentions

Revision ID: 0003
Revises: 0002
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Kept here as it was when written: later changes to app/ must not change what this migration did.
NUMBER = re.compile(r"(?<!\d)(?:400|800)(?:[-\s]?\d){7}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def upgrade() -> None:
    op.create_table(
        "watch_numbers",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_table(
        "case_phones",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("case_id", "number"),
    )
    op.create_index("ix_case_phones_number", "case_phones", ["number"])
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT c.id, c.facts, m.phone FROM cases c LEFT JOIN merchants m ON m.id = c.merchant_id"))
    found = set()
    for case_id, facts, phone in rows:
        for raw in NUMBER.findall(facts or ""):
            found.add((case_id, re.sub(r"\D", "", raw)))
        if phone:
            found.add((case_id, phone))
    if found:
        table = sa.table("case_phones", sa.column("case_id"), sa.column("number"))
        op.bulk_insert(table, [{"case_id": c, "number": n} for c, n in sorted(found)])


def downgrade() -> None:
    op.drop_index("ix_case_phones_number", "case_phones")
    op.drop_table("case_phones")
    op.drop_table("watch_numbers")
