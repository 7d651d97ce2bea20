"""sort indexes under a state or kind filter: the list filtered to 调解中 and sorted by number, or to 咨询
and sorted by state or deadline, reads its first page from an index instead of scanning the sort index
for the few matching rows (bench/bench_queries.py: 175 ms at 100k cases before, a bound LIMIT hides the
page size from SQLite's planner)

Revision ID: 0013
Revises: 0012
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_cases_state_case_no": ["state", "case_no", "id"],
    "ix_cases_state_kind_received": ["state", "kind", "received_at", "id"],
    "ix_cases_state_category": ["state", "category", "id"],
    "ix_cases_state_product": ["state", "product", "id"],
    "ix_cases_kind_case_no": ["kind", "case_no", "id"],
    "ix_cases_kind_state_received": ["kind", "state", "received_at", "id"],
    "ix_cases_kind_category": ["kind", "category", "id"],
    "ix_cases_kind_product": ["kind", "product", "id"],
    "ix_cases_kind_next_due": ["kind", "next_due", "id"],
    "ix_cases_state_merchant": ["state", "merchant_id"],
    "ix_cases_kind_merchant": ["kind", "merchant_id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "cases", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "cases")
