"""staff accounts, the hash chain over the audit log and case events, case corrections

Revision ID: 0004
Revises: 0011
"""
import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0011"
branch_labels = None
depends_on = None

# The link hash as app/staff/audit.py computes it, kept here as written: the rows sealed now must verify
# with the same rule for ever after.
GENESIS = "0" * 64


def _stamp(at) -> str:
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _link(previous: str, seq: int, content: list) -> str:
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{seq}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=50), nullable=False),
        sa.Column("display", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("os_user", sa.String(length=100), nullable=True),
        sa.Column("failed_tries", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login", name="uq_staff_login"),
        sa.UniqueConstraint("display", name="uq_staff_display"),
        sa.UniqueConstraint("os_user", name="uq_staff_os_user"),
    )
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_corrections_case_id", "corrections", ["case_id"])
    for table in ("events", "audit_log"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("chain_seq", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
        op.create_index(f"ix_{table}_chain_seq", table, ["chain_seq"], unique=True)
    # Roles replace the list of supervisors' names.
    op.execute(sa.text("DELETE FROM settings WHERE key = 'staff.supervisors'"))
    _seal_existing()


def _seal_existing() -> None:
    """Chain the rows already there: case events first, then the audit log, each by id."""
    bind = op.get_bind()
    events = sa.table("events", sa.column("id"), sa.column("case_id"), sa.column("at", sa.DateTime(timezone=True)),
                      sa.column("actor"), sa.column("action"), sa.column("from_state"), sa.column("to_state"),
                      sa.column("reason_code"), sa.column("note"), sa.column("chain_seq"), sa.column("chain_hash"))
    audit = sa.table("audit_log", sa.column("id"), sa.column("at", sa.DateTime(timezone=True)), sa.column("actor"),
                     sa.column("action"), sa.column("case_no"), sa.column("detail"), sa.column("chain_seq"),
                     sa.column("chain_hash"))
    seq, previous = 0, GENESIS
    for table, content in (
        (events, lambda r: ["event", r.id, r.case_id, _stamp(r.at), r.actor, r.action, r.from_state or "",
                            r.to_state, r.reason_code or "", r.note or ""]),
        (audit, lambda r: ["audit", r.id, _stamp(r.at), r.actor, r.action, r.case_no or "", r.detail or ""]),
    ):
        links = []
        for r in bind.execute(sa.select(table).order_by(table.c.id)):
            seq += 1
            previous = _link(previous, seq, content(r))
            links.append({"row_id": r.id, "s": seq, "h": previous})
        for start in range(0, len(links), 5000):
            bind.execute(sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                         .values(chain_seq=sa.bindparam("s"), chain_hash=sa.bindparam("h")), links[start:start + 5000])
    head = sa.table("audit_chain", sa.column("id"), sa.column("seq"), sa.column("hash"))
    bind.execute(sa.insert(head).values(id=1, seq=seq, hash=previous))


def downgrade() -> None:
    for table in ("audit_log", "events"):
        op.drop_index(f"ix_{table}_chain_seq", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("chain_hash")
            batch.drop_column("chain_seq")
    op.drop_index("ix_corrections_case_id", "corrections")
    op.drop_table("corrections")
    op.drop_table("audit_chain")
    op.drop_table("staff")
