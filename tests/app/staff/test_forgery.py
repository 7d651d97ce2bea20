"""The audit trail and the facts it stands for, attacked as a forger with sqlite3 (and no key) would.

Each test does one forgery measured on the landed main of issue 29 (where every one of them passed
`liaison audit --verify`) and asserts that it is now reported, and stays reported.
"""
import sqlite3

import pytest
from sqlalchemy import create_engine, select

from app.core.errors import FieldError
from app.desk import Desk
from app.staff import audit
from app.staff.identity import Refused
from app.storage.db import Store
from tests.conftest import complaint, sign_in_tester

pytestmark = pytest.mark.sqlite_only


def _busy(desk, n=3):
    nos = [desk.cases.add(complaint())["case_no"] for _ in range(n)]
    desk.cases.move(nos[0], "accepted")
    desk.cases.record_view(nos[1])
    return nos


def _sql(store, *statements):
    con = sqlite3.connect(store.url.database)
    for statement in statements:
        con.execute(*statement) if isinstance(statement, tuple) else con.execute(statement)
    con.commit()
    con.close()


def _reopen(store):
    url = store.url.render_as_string(hide_password=False)
    identity = store.identity
    store.dispose()
    again = Store(url)
    again.identity = identity
    return Desk(again)


def test_a_chain_rewritten_with_plain_sha256_and_marked_unkeyed_stays_reported(desk):
    _busy(desk)
    assert desk.audit.verify().ok
    # The forger deletes a view, re-chains every link with plain SHA-256 (no key needed) and marks the
    # chain as one an upgrade left unkeyed; the checkpoint goes too.
    _sql(desk.store, "DELETE FROM audit_log WHERE action = 'view'", "DELETE FROM audit_checkpoint")
    engine = create_engine(desk.store.url)
    with engine.begin() as conn:
        rows = list(audit._sealed_rows(conn))
        previous = audit.GENESIS
        for seq, (_old, _hash, source, r, content) in enumerate(rows, start=1):
            previous = audit.legacy_link_hash(previous, seq, content(r))
            table = "events" if source == "event" else "audit_log"
            conn.exec_driver_sql(f"UPDATE {table} SET chain_seq = ?, chain_hash = ? WHERE id = ?",
                                 (-seq, previous, r.id))
        conn.exec_driver_sql("UPDATE events SET chain_seq = -chain_seq WHERE chain_seq < 0")
        conn.exec_driver_sql("UPDATE audit_log SET chain_seq = -chain_seq WHERE chain_seq < 0")
        conn.exec_driver_sql("UPDATE audit_chain SET keyed = 0, seq = ?, hash = ?", (len(rows), previous))
    engine.dispose()
    desk = _reopen(desk.store)  # an open no longer re-seals it with the real key
    desk.cases.add(complaint())  # nor does a write
    broken = desk.audit.verify().broken
    assert broken.problem == "unkeyed" and "liaison audit --reseal" in broken.message()
    with desk.store.read() as s:
        assert audit.chain_head(s).keyed is False
    # and the supervisor's re-seal is refused here: this computer's anchor knows the chain was keyed
    with pytest.raises(FieldError, match="早已用密钥加封"):
        desk.audit.reseal()
    assert desk.audit.verify().broken.problem == "unkeyed"
    desk.store.dispose()


def test_a_row_put_in_by_hand_is_not_sealed_by_later_writes_until_a_supervisor_acknowledges_it(desk):
    _busy(desk)
    _sql(desk.store, "INSERT INTO audit_log (at, actor, action, case_no, detail) "
                     "VALUES ('2026-12-01 01:00:00.000000', '王某', 'print', '', '伪造的一行')")
    forged = desk.audit.verify().broken
    assert forged.problem == "inserted" and forged.source == "audit"
    for _ in range(2):  # later writes, by the window and by a new open, do not seal it
        desk.cases.add(complaint())
        desk = _reopen(desk.store)
        assert desk.audit.verify().broken == forged
        assert desk.audit.verify(full=False).broken == forged
    done = desk.audit.acknowledge()
    assert done["sealed_rows"] == 1
    assert desk.audit.verify().ok
    last = desk.audit.trail()[-1]
    assert last["action"] == "acknowledge" and f"#{forged.row_id}" in last["detail"] and last["staff"] == "测试员"
    desk.store.dispose()


def test_the_newest_links_cut_off_with_head_and_checkpoint_put_back_are_reported(desk):
    _busy(desk)
    assert desk.audit.verify().ok
    con = sqlite3.connect(desk.store.url.database)
    head = con.execute("SELECT seq, hash FROM audit_chain").fetchone()
    point = con.execute("SELECT seq, hash, mac FROM audit_checkpoint").fetchone()
    con.close()
    for no in _busy(desk):  # what the forger wants gone
        desk.cases.record_view(no)
    assert desk.audit.verify().ok
    _sql(desk.store, ("DELETE FROM audit_log WHERE chain_seq > ?", (head[0],)),
         ("DELETE FROM events WHERE chain_seq > ? AND action != 'register'", (head[0],)),
         ("UPDATE events SET chain_seq = NULL, chain_hash = NULL WHERE chain_seq > ?", (head[0],)),
         ("DELETE FROM cases WHERE id NOT IN (SELECT case_id FROM events WHERE chain_seq IS NOT NULL)",),
         ("UPDATE audit_chain SET seq = ?, hash = ?", head),
         ("UPDATE audit_checkpoint SET seq = ?, hash = ?, mac = ?", point))
    _sql(desk.store, "DELETE FROM events WHERE chain_seq IS NULL")
    desk = _reopen(desk.store)
    for full in (True, False):
        broken = desk.audit.verify(full=full).broken
        assert broken is not None and broken.problem == "anchor" and "回退" in broken.message()
    desk.audit.acknowledge()
    assert desk.audit.verify().ok
    assert "记录链末端" in desk.audit.trail()[-1]["detail"]
    desk.store.dispose()


def test_a_role_set_in_the_database_is_refused_at_sign_in_and_reported(desk):
    desk.accounts.add("xiaoli", "李某", "staff", "正确的密码123")
    _sql(desk.store, "UPDATE staff SET role = 'supervisor' WHERE login = 'xiaoli'")
    broken = desk.audit.verify().broken
    assert broken.problem == "facts" and "账号 xiaoli" in broken.message()
    assert desk.audit.verify(full=False).broken == broken  # the start-of-day check sees accounts too
    other = Desk(Store(desk.store.url.render_as_string(hide_password=False)))
    with pytest.raises(Refused, match="直接改动数据库"):
        other.accounts.sign_in("xiaoli", "正确的密码123")
    # the refused sign-in wrote to that row (nothing sealed): still reported
    assert desk.audit.verify().broken == broken
    # an OS-user link moved onto the forged account does not act either
    from app.staff import accounts

    _sql(desk.store, "UPDATE staff SET os_user = NULL WHERE login = 'tester'",
         ("UPDATE staff SET os_user = ? WHERE login = 'xiaoli'", (accounts.os_user(),)))
    with pytest.raises(Refused, match="直接改动数据库"):
        other.accounts.sign_in_os_user()
    other.store.dispose()


def test_a_case_closed_with_money_in_the_database_is_reported_and_shown_as_such(desk):
    no = desk.cases.add(complaint())["case_no"]
    assert desk.cases.show(no).tampered == ""
    _sql(desk.store, ("UPDATE cases SET state = 'closed', amount_recovered = 9999 WHERE case_no = ?", (no,)))
    broken = desk.audit.verify().broken
    assert broken.problem == "facts" and f"案件 {no}" in broken.message()
    assert "直接改动数据库" in desk.cases.show(no).tampered
    desk.cases.correct(no, {"product": "另一台电饭煲"}, "更正品名")  # a legitimate change does not launder it
    assert desk.audit.verify().broken == broken
    assert desk.cases.show(no).tampered


def test_a_legitimate_life_of_a_case_keeps_every_seal(desk):
    """The seals follow every ordinary change: moves, mediation outcome, advance payment, corrections."""
    nos = _busy(desk, 4)
    desk.cases.move(nos[0], "mediating")
    desk.cases.correct(nos[1], {"amount_claimed": "321.50"}, "更正金额")
    desk.accounts.add("xiaozhang", "张某", "staff", "正确的密码123")
    desk.accounts.set_role("xiaozhang", "supervisor")
    desk.accounts.set_password("xiaozhang", "另一个密码456")
    assert desk.audit.verify().ok


def test_sealed_chunks_moved_under_another_attachment_do_not_open(desk):
    from tests.evidence_files import pdf, png

    first, second = desk.cases.add(complaint())["case_no"], desk.cases.add(complaint())["case_no"]
    a = desk.attachments.add(first, [("发票.pdf", pdf())])[0]
    b = desk.attachments.add(second, [("照片.png", png())])[0]
    con = sqlite3.connect(desk.store.url.database)
    sha, size = con.execute("SELECT sha256, size FROM attachments WHERE id = ?", (b["id"],)).fetchone()
    con.execute("DELETE FROM attachment_chunks WHERE attachment_id = ?", (a["id"],))
    con.execute("INSERT INTO attachment_chunks (attachment_id, seq, data) "
                "SELECT ?, seq, data FROM attachment_chunks WHERE attachment_id = ?", (a["id"], b["id"]))
    con.execute("UPDATE attachments SET sha256 = ?, size = ?, file_type = 'png' WHERE id = ?", (sha, size, a["id"]))
    # and a whole attachment moved to another case
    con.execute("UPDATE attachments SET case_id = (SELECT id FROM cases WHERE case_no = ?) WHERE id = ?",
                (first, b["id"]))
    con.commit()
    con.close()
    for attachment_id in (a["id"], b["id"]):
        with pytest.raises(FieldError, match="已被改动"):
            desk.attachments.open(first, attachment_id)


def test_a_restore_on_a_computer_without_the_key_waits_for_it_and_then_verifies(desk, tmp_path, monkeypatch):
    _busy(desk)
    desk.backup.to_file(tmp_path / "a.ldbk")
    recovery = desk.keys.recovery_text()
    # another computer: its own database and key folder, the same supervisor's name
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "other-keys"))
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    sign_in_tester(other)
    there = Desk(other)
    result = there.backup.restore(tmp_path / "a.ldbk")
    assert result["key_missing"]
    with other.read() as s:
        waiting = s.scalar(select(audit.AuditEntry.id).where(audit.AuditEntry.action == "restore",
                                                             audit.AuditEntry.chain_hash == audit.WAITING))
    assert waiting is not None  # the restore's own row, not sealed with the wrong key
    there.keys.import_key(text=recovery)
    assert there.audit.verify().ok
    assert "加封了此前无密钥时写下的" in there.audit.trail()[-1]["detail"]
    other.dispose()


def test_the_command_line_reports_acknowledges_and_then_verifies(desk, cli):
    desk.cases.add(complaint())
    _sql(desk.store, "INSERT INTO audit_log (at, actor, action, case_no, detail) "
                     "VALUES ('2026-12-01 01:00:00.000000', '王某', 'print', '', '伪造的一行')")
    code, _out, err = cli("audit", "--verify")
    assert code == 1 and "直接插入数据库" in err
    code, out, _err = cli("audit", "--acknowledge")
    assert code == 0 and "已确认并记入审计" in out
    code, out, _err = cli("audit", "--verify", "--full")
    assert code == 0 and "完好" in out
    code, _out, err = cli("audit", "--acknowledge")  # nothing left to acknowledge: a message, exit 1
    assert code == 1 and "没有需要确认的问题" in err


def test_a_restore_is_a_rewind_on_purpose_and_verifies_even_when_killed_before_its_row(desk, tmp_path):
    from app.storage import backup

    _busy(desk)
    desk.backup.to_file(tmp_path / "a.ldbk")
    _busy(desk)  # links the restore takes back
    assert desk.audit.verify().ok
    desk.backup.restore(tmp_path / "a.ldbk")
    assert desk.audit.verify().ok and desk.audit.verify(full=False).ok
    _busy(desk)
    backup.restore(desk.store, tmp_path / "a.ldbk")  # as a restore killed after the copy-in, before its row
    assert desk.audit.verify().ok and desk.audit.verify(full=False).ok
