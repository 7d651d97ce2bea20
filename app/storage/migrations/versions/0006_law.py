"""law: notice deadline of ending mediation, pause reason codes, arrangement year of calendar days

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Kept as it was when written: which words of an old free-text pause reason name an appraisal.
APPRAISAL_WORDS = (("检定", "verification"), ("送检", "inspection"), ("检验", "inspection"), ("检测", "testing"),
                   ("鉴定", "appraisal"))


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("notice_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("notice_sent_on", sa.Date(), nullable=True))
    with op.batch_alter_table("pauses") as batch:
        batch.add_column(sa.Column("reason_code", sa.String(length=20), nullable=False, server_default=""))
    with op.batch_alter_table("calendar_days") as batch:
        batch.add_column(sa.Column("arrangement_year", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_calendar_days_arrangement_year", "calendar_days", ["arrangement_year"])
    bind = op.get_bind()
    for (day,) in bind.execute(sa.text("SELECT day FROM calendar_days")).all():
        bind.execute(sa.text("UPDATE calendar_days SET arrangement_year = :y WHERE day = :d"),
                     {"y": int(str(day)[:4]), "d": day})
    for pause_id, reason in bind.execute(sa.text("SELECT id, reason FROM pauses")).all():
        code = next((c for word, c in APPRAISAL_WORDS if word in (reason or "")), "")
        if code:
            bind.execute(sa.text("UPDATE pauses SET reason_code = :c WHERE id = :i"), {"c": code, "i": pause_id})


def downgrade() -> None:
    op.drop_index("ix_calendar_days_arrangement_year", "calendar_days")
    with op.batch_alter_table("calendar_days") as batch:
        batch.drop_column("arrangement_year")
    with op.batch_alter_table("pauses") as batch:
        batch.drop_column("reason_code")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("notice_sent_on")
        batch.drop_column("notice_due")
