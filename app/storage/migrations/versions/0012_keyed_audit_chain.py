"""the audit chain keyed: HMAC-SHA256 with a key derived from the data key instead of plain SHA-256

Revision ID: 0012
Revises: 0007

Existing links are re-sealed here when this computer holds the database's data key (the usual case: the
desk that made the database). Otherwise `audit_chain.keyed` stays false and `liaison audit --verify` says
the chain is not keyed until a supervisor, on a computer with the key, runs `liaison audit --reseal`
(recorded; an open never re-seals by itself, see app/staff/audit.py).
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from app.staff import audit
    from app.storage import crypto

    op.add_column("audit_chain", sa.Column("keyed", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind = op.get_bind()
    rec = crypto.record(bind)
    key = crypto.load_local(rec.key_id) if rec is not None else None
    if rec is not None and key is not None and key.check == rec.check:
        audit.reseal(bind, key)


def downgrade() -> None:
    with op.batch_alter_table("audit_chain") as batch:
        batch.drop_column("keyed")
