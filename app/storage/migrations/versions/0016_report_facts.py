"""what the reports count, kept on the case: outcome, was_accepted, decided_on (filled from the events)

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# As app/reports/figures.py read them from the events until this revision (kept here as they were then).
OUTCOMES = "'resolved', 'failed', 'terminated', 'not_accepted', 'referred'"
ACCEPTED = "'accepted', 'mediating', 'resolved', 'failed', 'terminated'"


HOT = ("kind", "received_day", "merchant_id", "product", "brand", "category", "nature", "case_no")
# kind first, as in HOT: the planner then finds the covering one for each query (with received_day first
# it took HOT, not covering, and read 63k table rows for a month at 1M cases)
PERIOD = ("kind", "received_day", "channel", "state", "outcome", "was_accepted", "decided_on", "acceptance_due",
          "mediation_due", "outcome_on", "paused_since", "fast_track", "satisfaction", "amount_recovered",
          "advance_paid")


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of `cases` on SQLite would break the search triggers that name it
    op.add_column("cases", sa.Column("outcome", sa.String(length=20), nullable=False, server_default=""))
    op.add_column("cases", sa.Column("was_accepted", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("cases", sa.Column("decided_on", sa.Date(), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    local_day = "date(min(e.at), '+8 hours')" if sqlite else "(min(e.at) AT TIME ZONE 'Asia/Shanghai')::date"
    true = "1" if sqlite else "true"
    op.execute(f"""UPDATE cases SET
        outcome = coalesce((SELECT e.to_state FROM events e WHERE e.case_id = cases.id
                            AND e.action IN ('move', 'import') AND e.to_state IN ({OUTCOMES})
                            ORDER BY e.id DESC LIMIT 1), ''),
        was_accepted = CASE WHEN accepted_on IS NOT NULL OR EXISTS (SELECT 1 FROM events e WHERE e.case_id = cases.id
                            AND e.action IN ('move', 'import') AND e.to_state IN ({ACCEPTED})) THEN {true}
                            ELSE NOT {true} END,
        decided_on = (SELECT {local_day} FROM events e WHERE e.case_id = cases.id AND e.action = 'move'
                      AND e.to_state IN ('accepted', 'not_accepted'))""")
    # covering indexes: the reports read them alone, never the rows with their long facts text
    op.create_index("ix_cases_report_hot", "cases", list(HOT))
    op.create_index("ix_cases_report_period", "cases", list(PERIOD))


def downgrade() -> None:
    op.drop_index("ix_cases_report_period", "cases")
    op.drop_index("ix_cases_report_hot", "cases")
    for column in ("decided_on", "was_accepted", "outcome"):
        op.drop_column("cases", column)
