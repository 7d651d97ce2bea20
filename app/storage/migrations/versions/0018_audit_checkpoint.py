"""the audit chain's checkpoint: the head last verified, MACed, so that a start checks only the links after it

Revision ID: 0018
Revises: 0017

One row (id 1): the place and hash of the last link a check found intact, and an HMAC of both with a key
derived from the data key (app/staff/audit.py explains the incremental check). No row is written here: the
first check on a desk with the key walks the whole chain, as before, and leaves the checkpoint behind.
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("audit_checkpoint")
