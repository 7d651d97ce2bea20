"""search at scale and indexed lists: full-text tables, the stored next deadline, sort and filter indexes

Revision ID: 0007
Revises: 0004

SQLite: FTS5 tables `case_text` (trigram) and `case_chars` (one token per character), kept in step by
triggers; `cases.next_due` (the deadline that applies now, as app.cases.due_info picks it) kept by a
trigger. PostgreSQL: pg_trgm GIN indexes when the extension can be created, `next_due` by a trigger.
Consumers' names and phones are encrypted (0005): they are found through the blind index, not here.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None

# Kept here as written: the states app.lifecycle.OUTCOME_STATES held then (tests check they agree).
NEXT_DUE = """CASE
    WHEN {p}state = 'registered' THEN {p}acceptance_due
    WHEN {p}state IN ('accepted', 'mediating') THEN CASE WHEN {p}paused_since IS NULL THEN {p}mediation_due END
    WHEN {p}state IN ('failed', 'terminated') AND {p}notice_due IS NOT NULL AND {p}notice_sent_on IS NULL
         THEN {p}notice_due
    WHEN {p}state IN ('resolved', 'failed', 'terminated', 'not_accepted', 'referred')
         AND {p}follow_up_on IS NULL THEN {p}follow_up_due
END"""
DUE_COLUMNS = ("state, acceptance_due, mediation_due, paused_since, notice_due, notice_sent_on, follow_up_due, "
               "follow_up_on")
BODY = ("coalesce({c}.facts, '') || ' ' || coalesce({c}.product, '') || ' ' || coalesce({c}.brand, '') || ' ' || "
        "coalesce((SELECT m.name FROM merchants m WHERE m.id = {c}.merchant_id), '')")

# (name, table, columns): every sort of the case list and every filter has an index ending in id,
# so a page is read in index order (keyset) and nothing is sorted in a temporary B-tree.
INDEXES = [
    ("ix_cases_next_due", "cases", ["next_due", "id"]),
    ("ix_cases_state_received", "cases", ["state", "received_at", "id"]),
    ("ix_cases_state_next_due", "cases", ["state", "next_due", "id"]),
    ("ix_cases_kind_received", "cases", ["kind", "received_at", "id"]),
    ("ix_cases_case_no_id", "cases", ["case_no", "id"]),
    ("ix_cases_category_id", "cases", ["category", "id"]),
    ("ix_cases_product_id", "cases", ["product", "id"]),
    ("ix_cases_merchant_id", "cases", ["merchant_id", "id"]),
    ("ix_cases_consumer_id", "cases", ["consumer_id"]),
    ("ix_cases_received_day_kind", "cases", ["received_day", "kind"]),
    ("ix_merchants_name_id", "merchants", ["name", "id"]),
    ("ix_events_case_action", "events", ["case_id", "action"]),
]


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("next_due", sa.Date(), nullable=True))
    op.drop_index("ix_cases_state", "cases")
    op.drop_index("ix_cases_kind", "cases")
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    if sqlite:
        _sqlite()
    else:
        _postgresql()
    op.execute(f"UPDATE cases SET next_due = {NEXT_DUE.format(p='')}")


def _sqlite() -> None:
    op.execute(f"""CREATE TRIGGER cases_next_due_ai AFTER INSERT ON cases BEGIN
        UPDATE cases SET next_due = {NEXT_DUE.format(p='new.')} WHERE id = new.id; END""")
    op.execute(f"""CREATE TRIGGER cases_next_due_au AFTER UPDATE OF {DUE_COLUMNS} ON cases BEGIN
        UPDATE cases SET next_due = {NEXT_DUE.format(p='new.')} WHERE id = new.id; END""")
    op.execute("CREATE VIRTUAL TABLE case_text USING fts5(body, tokenize = 'trigram')")
    op.execute("CREATE VIRTUAL TABLE case_chars USING fts5(body, tokenize = 'unicode61')")
    new_body = BODY.format(c="new")
    insert = (f"INSERT INTO case_text (rowid, body) VALUES (new.id, {new_body}); "
              f"INSERT INTO case_chars (rowid, body) VALUES (new.id, liaison_chars({new_body}));")
    delete = ("DELETE FROM case_text WHERE rowid = old.id; DELETE FROM case_chars WHERE rowid = old.id;")
    op.execute(f"CREATE TRIGGER cases_text_ai AFTER INSERT ON cases BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER cases_text_au AFTER UPDATE OF facts, product, brand, merchant_id ON cases "
               f"BEGIN {delete} {insert} END")
    op.execute(f"CREATE TRIGGER cases_text_ad AFTER DELETE ON cases BEGIN {delete} END")
    body = BODY.format(c="c")
    op.execute(f"""CREATE TRIGGER merchants_text_au AFTER UPDATE OF name ON merchants BEGIN
        DELETE FROM case_text WHERE rowid IN (SELECT id FROM cases WHERE merchant_id = new.id);
        DELETE FROM case_chars WHERE rowid IN (SELECT id FROM cases WHERE merchant_id = new.id);
        INSERT INTO case_text (rowid, body) SELECT c.id, {body} FROM cases c WHERE c.merchant_id = new.id;
        INSERT INTO case_chars (rowid, body) SELECT c.id, liaison_chars({body}) FROM cases c
            WHERE c.merchant_id = new.id;
        END""")
    op.execute(f"INSERT INTO case_text (rowid, body) SELECT c.id, {body} FROM cases c")
    op.execute(f"INSERT INTO case_chars (rowid, body) SELECT c.id, liaison_chars({body}) FROM cases c")


def _postgresql() -> None:
    op.execute(f"""CREATE FUNCTION cases_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.next_due := {NEXT_DUE.format(p='NEW.')}; RETURN NEW; END $$""")
    op.execute("CREATE TRIGGER cases_next_due BEFORE INSERT OR UPDATE ON cases "
               "FOR EACH ROW EXECUTE FUNCTION cases_next_due()")
    # pg_trgm needs the right to create extensions; without it search works, unindexed.
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        return
    for table, column in (("cases", "facts"), ("cases", "product"), ("cases", "brand"), ("merchants", "name")):
        op.execute(f"CREATE INDEX ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("cases_next_due_ai", "cases_next_due_au", "cases_text_ai", "cases_text_au", "cases_text_ad",
                        "merchants_text_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS case_text")
        op.execute("DROP TABLE IF EXISTS case_chars")
    else:
        op.execute("DROP TRIGGER IF EXISTS cases_next_due ON cases")
        op.execute("DROP FUNCTION IF EXISTS cases_next_due()")
        for table, column in (("cases", "facts"), ("cases", "product"), ("cases", "brand"), ("merchants", "name")):
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
    for name, table, _columns in INDEXES:
        op.drop_index(name, table)
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_index("ix_cases_kind", "cases", ["kind"])
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("next_due")
