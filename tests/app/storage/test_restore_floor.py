"""A restore never lets a number be issued twice (the floor), and no desk writes while it runs (the flag)."""
import datetime as dt
import json
import socket
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core import clock
from app.core.errors import FieldError
from app.storage import backup, floors, maintenance
from app.storage.db import Store
from app.storage.models import Case, Setting
from tests.evidence_files import png

pytestmark = pytest.mark.sqlite_only


def _received(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(10, 0), clock.LOCAL_TZ).isoformat()


def _numbers(desk) -> dict[str, str]:
    return {e["case_no"]: e["number"] for e in desk.documents.register()}


def test_after_a_restore_case_document_and_attachment_numbers_continue_after_every_one_issued(desk, make_complaint,
                                                                                              tmp_path):
    today = clock.today()
    earlier = today - dt.timedelta(days=3)
    first = desk.cases.add(make_complaint())["case_no"]
    desk.documents.printed("receipt", first, to="测试打印机")
    desk.attachments.add(first, [("a.png", png())])
    desk.backup.to_file(tmp_path / "old.ldbk")
    # after the backup: numbers of today, of a day the backup has no case of, documents, attachments
    later = [desk.cases.add(make_complaint())["case_no"] for _ in range(3)]
    other_day = desk.cases.add(make_complaint(received_at=_received(earlier)))["case_no"]
    for no in later:
        desk.documents.printed("receipt", no, to="测试打印机")
    issued_attachments = [a["id"] for a in desk.attachments.add(first, [("b.png", png()), ("c.png", png())])]
    issued_cases = {first, *later, other_day}
    issued_documents = set(_numbers(desk).values())

    desk.backup.restore(tmp_path / "old.ldbk")
    assert [c["case_no"] for c in desk.cases.list()] == [first]  # the data is the backup's
    again = desk.cases.add(make_complaint())["case_no"]
    again_earlier = desk.cases.add(make_complaint(received_at=_received(earlier)))["case_no"]
    assert again.endswith("-0005") and again_earlier.endswith("-0002")
    assert not {again, again_earlier} & issued_cases
    desk.documents.printed("receipt", again, to="测试打印机")
    assert _numbers(desk)[again] == f"回执 {today.year}-000005"
    assert _numbers(desk)[first] in issued_documents and len(issued_documents) == 4
    new_attachment = desk.attachments.add(again, [("d.png", png())])[0]["id"]
    assert new_attachment > max(issued_attachments)

    # a second restore of the same old backup still remembers what the first one carried over
    desk.backup.restore(tmp_path / "old.ldbk")
    assert desk.cases.add(make_complaint())["case_no"].endswith("-0006")
    no = desk.cases.add(make_complaint())["case_no"]
    desk.documents.printed("receipt", no, to="测试打印机")
    assert _numbers(desk)[no] == f"回执 {today.year}-000006"
    assert desk.attachments.add(no, [("e.png", png())])[0]["id"] > new_attachment


def _sqlite(path: Path, script: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.executescript(script)
    return conn


def test_carry_takes_the_higher_counter_of_each_day_of_either_file_and_floors_only_where_live_went_further(tmp_path):
    schema = ("CREATE TABLE case_counters (day DATE PRIMARY KEY, last INTEGER NOT NULL);"
              "CREATE TABLE settings (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL);"
              "CREATE TABLE print_register (id INTEGER PRIMARY KEY, prefix TEXT, year INT, seq INT);"
              "CREATE TABLE attachments (id INTEGER PRIMARY KEY);")
    live = _sqlite(tmp_path / "live.db", schema + """
        INSERT INTO case_counters VALUES ('2026-12-01', 9), ('2026-12-02', 1), ('2026-12-04', 3);
        INSERT INTO print_register (prefix, year, seq) VALUES ('回执', 2026, 7), ('回执', 2026, 8), ('协议', 2026, 2);
        INSERT INTO settings VALUES ('floor.document.函.2025', '40'), ('floor.attachment', '12');
        INSERT INTO attachments (id) VALUES (5);""")
    copy = _sqlite(tmp_path / "copy.db", schema + """
        INSERT INTO case_counters VALUES ('2026-12-01', 4), ('2026-12-02', 6), ('2026-12-03', 2);
        INSERT INTO print_register (prefix, year, seq) VALUES ('回执', 2026, 3), ('协议', 2026, 5);
        INSERT INTO attachments (id) VALUES (3);""")
    with copy:
        raised = floors.carry(live, copy)
    assert dict(copy.execute("SELECT day, last FROM case_counters")) == {
        "2026-12-01": 9, "2026-12-02": 6, "2026-12-03": 2, "2026-12-04": 3}
    assert raised == {"floor.document.回执.2026": 8, "floor.document.函.2025": 40, "floor.attachment": 12}
    assert dict(copy.execute("SELECT key, value FROM settings")) == {k: str(v) for k, v in raised.items()}
    live.close()
    copy.close()


# --- the maintenance flag ------------------------------------------------------------------------

def _other(store) -> Store:
    return Store(store.url.render_as_string(hide_password=False))


def _count(store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count(Case.id)))


def _flag(store) -> str | None:
    with store.read() as s:
        return s.scalar(select(Setting.value).where(Setting.key == maintenance.KEY))


def _set_flag(store, **flag) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                             (maintenance.KEY, json.dumps(flag)))


def test_while_the_flag_is_up_another_store_on_the_same_file_writes_nothing(desk, make_complaint, cli):
    other = _other(desk.store)
    from app.desk import Desk

    other_desk = Desk(other)
    other_desk.accounts.sign_in_os_user()
    other_desk.cases.add(make_complaint())
    maintenance.raise_flag(desk.store)  # a restore has started on this desk
    before = _count(desk.store)
    with pytest.raises(FieldError) as refused:
        other_desk.cases.add(make_complaint())
    assert refused.value.field == "restore" and refused.value.message == maintenance.REFUSED
    assert _count(desk.store) == before
    code, _out, err = cli("case", "add", stdin=json.dumps(make_complaint(), ensure_ascii=False))
    assert code == 1 and err == f"错误：【restore】{maintenance.REFUSED}\n"
    with pytest.raises(FieldError, match="另一工作台正在恢复备份"):  # and no second restore at once
        maintenance.raise_flag(other)
    maintenance.lower_flag(desk.store)
    assert other_desk.cases.add(make_complaint())["case_no"].endswith("-0002")
    other.dispose()


def test_a_flag_left_by_a_killed_restore_stops_holding(desk, make_complaint):
    other = _other(desk.store)
    from app.desk import Desk

    other_desk = Desk(other)
    other_desk.accounts.sign_in_os_user()
    here, now = socket.gethostname(), clock.utcnow()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = {
        "older than ten minutes": {"host": "another-pc", "pid": 1, "since": (now - dt.timedelta(minutes=11)).isoformat()},
        "its process is gone": {"host": here, "pid": gone.pid, "since": now.isoformat()},
        "unreadable": {"since": "yesterday"},
    }
    for what, flag in stale.items():
        _set_flag(desk.store, **flag)
        assert other_desk.cases.add(make_complaint())["case_no"], what
        assert _flag(desk.store) is None, what  # cleared in passing
    # another computer's restore of five minutes ago still holds
    _set_flag(desk.store, host="another-pc", pid=1, since=(now - dt.timedelta(minutes=5)).isoformat())
    with pytest.raises(FieldError, match="正在恢复备份"):
        other_desk.cases.add(make_complaint())
    assert maintenance.in_force(_flag(desk.store))
    assert not maintenance.in_force(_flag(desk.store), now + dt.timedelta(minutes=6))
    other.dispose()


def test_a_restore_leaves_no_flag_behind_even_from_a_backup_taken_while_one_was_up(desk, make_complaint, tmp_path):
    desk.cases.add(make_complaint())
    _set_flag(desk.store, host="another-pc", pid=1, since=clock.utcnow().isoformat())
    backup.backup(desk.store, tmp_path / "flagged.ldbk")  # a backup only reads: taken while the flag is up
    with desk.store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM settings WHERE key = ?", (maintenance.KEY,))
    desk.backup.restore(tmp_path / "flagged.ldbk")
    assert _flag(desk.store) is None
    desk.cases.add(make_complaint())


def test_a_restore_that_fails_after_raising_the_flag_takes_it_down_and_changes_nothing(desk, make_complaint,
                                                                                     tmp_path):
    """A backup whose database passes every check but has no day counters to raise: refused when the
    floor is put in, after the flag went up; the flag comes down, nothing is replaced or kept aside."""
    from tests.app.storage.test_backup import _digest, _with_inner

    desk.cases.add(make_complaint())
    good = tmp_path / "good.ldbk"
    backup.backup(desk.store, good)
    with zipfile.ZipFile(good) as z:
        inner = tmp_path / "inner.sqlite"
        inner.write_bytes(z.read("liaison.sqlite"))
    with sqlite3.connect(inner) as conn:
        conn.execute("DROP TABLE case_counters")
    conn.close()
    broken = _with_inner(good, tmp_path / "broken.ldbk", inner.read_bytes())
    db = Path(desk.store.url.database)
    before = _digest(db)
    with pytest.raises(FieldError, match="无法准备"):
        desk.backup.restore(broken)
    assert _flag(desk.store) is None
    assert _digest(db) == before and not list(db.parent.glob("*before-restore*"))
    desk.cases.add(make_complaint())
