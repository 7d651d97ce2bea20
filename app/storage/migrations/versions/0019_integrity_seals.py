"""seals over the facts a forger would change: cases.seal and staff.seal, attachments bound to their id

Revision ID: 0019
Revises: 0018

`cases.seal` and `staff.seal` hold an HMAC over a case's state, outcome and amounts and an account's role,
password and links (app/staff/facts.py). Attachment blobs sealed E1 (bound only to their SHA-256) are
re-sealed E2, bound to their attachment and case (app/evidence/attachments.py). Both happen here when
this computer holds the database's data key (the usual case). Otherwise the rows stay unsealed and
`liaison audit --verify` says so until a supervisor, on a computer with the key, runs the recorded
`liaison audit --reseal` once: never an ordinary open, so a seal a forger removes is not put back silently.
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from app.evidence import attachments
    from app.staff import facts
    from app.storage import crypto

    # a plain ADD COLUMN (no table copy: a district's cases table holds millions of rows)
    op.add_column("cases", sa.Column("seal", sa.String(length=64), nullable=True))
    op.add_column("staff", sa.Column("seal", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    rec = crypto.record(bind)
    key = crypto.load_local(rec.key_id) if rec is not None else None
    if rec is not None and key is not None and key.check == rec.check:
        facts.reseal_all(bind, key)
        attachments.reseal_legacy(bind, key)


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("seal")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("seal")
