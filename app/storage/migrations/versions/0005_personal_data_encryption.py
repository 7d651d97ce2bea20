"""personal data encrypted at rest: data key record, blind index columns, existing rows encrypted

Revision ID: 0005
Revises: 0003
"""
import hashlib
import hmac
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

PERSONAL = ("name", "phone", "id_number", "address")


# Kept here as it was when written, so later changes to app/storage/blind_index do not change this migration.
def _index(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}\x00{value}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _name(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def upgrade() -> None:
    from app.storage import crypto

    op.create_table(
        "data_keys",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("key_check", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("shown_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_id"),
    )
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # SQLite keeps any length in a VARCHAR; copying the table is not needed
        for column in PERSONAL:
            op.alter_column("consumers", column, type_=sa.Text(), existing_nullable=False)
    for column in ("name_index", "phone_index", "phone_tail_index"):
        op.add_column("consumers", sa.Column(column, sa.String(length=64), nullable=False, server_default=""))
    op.add_column("consumers", sa.Column("purged_on", sa.Date(), nullable=True))
    for column in ("name_index", "phone_index", "phone_tail_index"):
        op.create_index(f"ix_consumers_{column}", "consumers", [column])
    key = crypto.provision(bind)
    rows = bind.execute(sa.text("SELECT id, name, phone, id_number, address FROM consumers")).all()
    update = sa.text("UPDATE consumers SET name=:name, phone=:phone, id_number=:id_number, address=:address, "
                     "name_index=:ni, phone_index=:pi, phone_tail_index=:ti WHERE id=:id")
    for row in rows:
        values = dict(zip(("id", *PERSONAL), row, strict=True))
        if any(str(values[c] or "").startswith(crypto.TOKEN_PREFIX) for c in PERSONAL):
            continue  # already encrypted
        name, phone = _name(values["name"]), "".join(ch for ch in values["phone"] or "" if ch.isdigit())
        params = {c: key.encrypt(values[c] or "", f"consumers.{c}") for c in PERSONAL}
        params |= {"id": values["id"], "ni": _index(key.index_key, "name", name) if name else "",
                   "pi": _index(key.index_key, "phone", phone) if phone else "",
                   "ti": _index(key.index_key, "tail", phone[-4:]) if len(phone) >= 4 else ""}
        bind.execute(update, params)


def downgrade() -> None:
    raise NotImplementedError("personal data stays encrypted; restore a backup to go back")
