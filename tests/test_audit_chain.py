"""The audit trail is one hash chain over the audit log and case events: sqlite3 tampering is found."""
import json
import sqlite3

import pytest
from alembic import command
from alembic.config import Config

from app import db
from app.db import Store
from app.desk import Desk
from tests.conftest import complaint


def _busy_desk(desk):
    """A few cases, moves, views and prints: rows in both tables."""
    nos = [desk.cases.add(complaint())["case_no"] for _ in range(3)]
    desk.cases.move(nos[0], "accepted")
    desk.cases.record_view(nos[1])
    desk.documents.printed("receipt", nos[2], "打印机")
    return nos


def _sql(db_url, statement, *params):
    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    con.execute(statement, params)
    con.commit()
    con.close()


def test_every_write_is_chained_and_verifies(desk):
    _busy_desk(desk)
    result = desk.audit.verify()
    assert result.ok and result.links >= 9
    seqs = [e["seq"] for e in desk.audit.entries()]
    assert seqs == list(range(1, len(seqs) + 1))  # events and audit entries share one sequence


TAMPERING = {
    "edit event": ("UPDATE events SET actor = '别人' WHERE id = 2", "案件历史记录 #2", "被修改"),
    "edit audit": ("UPDATE audit_log SET detail = '无' WHERE action = 'view'", "审计记录", "被修改"),
    "delete event": ("DELETE FROM events WHERE id = 2", "链上第", "被删除"),
    "delete audit": ("DELETE FROM audit_log WHERE action = 'view'", "链上第", "被删除"),
    "delete last": ("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)", "最后", "被删除"),
    "insert event": ("INSERT INTO events (case_id, at, actor, action, from_state, to_state, reason_code, note) "
                     "VALUES (1, '2026-11-20 02:00:00.000000', '某人', 'move', 'registered', 'closed', '', '')",
                     "案件历史记录", "直接插入"),
    "insert audit": ("INSERT INTO audit_log (at, actor, action, case_no, detail) "
                     "VALUES ('2026-11-20 02:00:00.000000', '某人', 'view', '', '')", "审计记录", "直接插入"),
    "insert with a forged place": ("INSERT INTO audit_log (at, actor, action, case_no, detail, chain_seq, chain_hash) "
                                   "VALUES ('2026-11-20 02:00:00.000000', '某人', 'view', '', '', 999, 'ab')",
                                   "审计记录", "直接插入"),
}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("how", list(TAMPERING))
def test_sqlite3_tampering_is_detected_by_verify_and_at_every_start(how, desk, db_url, cli):
    _busy_desk(desk)
    assert desk.audit.verify().ok
    statement, where, what = TAMPERING[how]
    _sql(db_url, statement)
    broken = desk.audit.verify().broken
    assert broken is not None
    assert where in broken.message() and what in broken.message()
    code, out, err = cli("audit", "--verify", "--json")
    assert code == 1 and where in err and json.loads(out)["ok"] is False
    code, _, err = cli("case", "list")  # any start warns, and goes on
    assert code == 0 and "警告：审计记录校验未通过" in err


def test_cli_verify_ok_and_the_trail_filters(cli, desk):
    nos = _busy_desk(desk)
    code, out, _ = cli("audit", "--verify")
    assert code == 0 and "完好" in out
    code, out, _ = cli("audit", "--json", "--case", nos[1])
    rows = json.loads(out)
    assert {r["action"] for r in rows} == {"register", "view"} and {r["case_no"] for r in rows} == {nos[1]}
    code, out, _ = cli("audit", "--json", "--action", "print")
    assert [r["detail"] for r in json.loads(out)] == ["打印投诉登记回执（个人信息已遮盖） → 打印机"]
    code, out, _ = cli("audit", "--json", "--by", "没有这人")
    assert json.loads(out) == []


def test_reading_a_case_writes_nothing(desk):
    no = desk.cases.add(complaint())["case_no"]
    before = len(desk.audit.entries())
    desk.cases.show(no)
    desk.cases.show(no)
    assert len(desk.audit.entries()) == before
    desk.cases.record_view(no)
    assert [e["action"] for e in desk.audit.entries()][-1] == "view"


def test_cli_show_records_one_view(cli, desk):
    no = desk.cases.add(complaint())["case_no"]
    cli("case", "show", no)
    assert [e["action"] for e in desk.audit.entries()].count("view") == 1


@pytest.mark.sqlite_only
def test_the_migration_chains_rows_of_an_old_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    con = sqlite3.connect(tmp_path / "old.db")
    con.execute("INSERT INTO consumers (name, phone, id_number, address, \"group\", consent_to_share) "
                "VALUES ('王某', '13900001234', '', '', 'none', 0)")
    con.execute("INSERT INTO cases (case_no, kind, received_at, received_day, channel, consumer_id, category, nature, "
                "product, brand, purchase_channel, amount_paid, amount_claimed, facts, demands, state, rule_set, "
                "amount_recovered, advance_paid, fast_track, priority, owner, updated_at, outcome_terms, remedy, "
                "ground_code, referred_to, advance_payer, satisfaction, follow_up_note) VALUES ('20261120-0001', "
                "'complaint', '2026-11-20 02:00:00.000000', '2026-11-20', 'visit', 1, 'food', 'quality', '', '', "
                "'store', 0, 0, '', 'refund', 'registered', 'r', 0, 0, 0, 0, 'root', '2026-11-20 02:00:00.000000', "
                "'', '', '', '', '', '', '')")
    con.execute("INSERT INTO events (case_id, at, actor, action, from_state, to_state, reason_code, note) "
                "VALUES (1, '2026-11-20 02:00:00.000000', 'root', 'register', NULL, 'registered', '', '登记')")
    con.execute("INSERT INTO audit_log (at, actor, action, case_no, detail) "
                "VALUES ('2026-11-20 02:05:00.123456', 'root', 'view', '20261120-0001', '查看')")
    con.execute("INSERT INTO settings (key, value) VALUES ('staff.supervisors', 'root')")
    con.commit()
    con.close()
    old.dispose()
    store = Store(url)  # migrates to the head
    assert store.schema_version() == db.SCHEMA_HEAD
    desk = Desk(store)
    result = desk.audit.verify()
    assert result.ok and result.links == 2
    with store.read() as s:
        from app.models import Setting

        assert s.get(Setting, "staff.supervisors") is None
    _sql(url, "UPDATE audit_log SET detail = '改过' WHERE id = 1")
    assert not desk.audit.verify().ok
    store.dispose()
