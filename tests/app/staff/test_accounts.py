"""Staff accounts: passwords, lock-out across processes, roles, the actor on events, papers and the trail."""
import datetime as dt
import json
import sqlite3

import pytest

from app.desk import Desk
from app.staff import accounts
from app.staff.identity import Refused
from app.storage.db import Store
from tests.conftest import complaint
from tests.pdf_checks import plain


def _trail(desk) -> list[dict]:
    """The whole trail, read past the supervisor check (the member signed in may be staff)."""
    from app.staff import audit

    with desk.store.read() as s:
        return audit.trail(s)


def _staff(desk, login="liming", display="李明", role="staff", password="liming-pass"):
    return desk.accounts.add(login, display, role, password)


def test_passwords_are_argon2id_and_sign_in_checks_them(desk, store):
    _staff(desk)
    with store.read() as s:
        stored = accounts.find(s, "liming").password_hash
    assert stored.startswith("$argon2id$") and "liming-pass" not in stored
    assert desk.accounts.sign_in("liming", "liming-pass").display == "李明"
    assert desk.accounts.current.role == "staff"
    with pytest.raises(Refused, match="登录名或密码不正确"):
        desk.accounts.sign_in("liming", "wrong")
    with pytest.raises(Refused, match="登录名或密码不正确"):
        desk.accounts.sign_in("nobody", "whatever")
    trail = _trail(desk)
    assert [e["action"] for e in trail if e["action"].startswith("sign_in")] == [
        "sign_in", "sign_in_failed", "sign_in_failed"]
    assert any("未知账号 nobody" in e["staff"] for e in trail)


def test_five_wrong_passwords_lock_the_account_for_five_minutes_in_every_process(desk, store, db_url):
    _staff(desk)
    for i in range(4):
        with pytest.raises(Refused, match=f"再错 {4 - i} 次"):
            desk.accounts.sign_in("liming", "wrong")
    with pytest.raises(Refused, match="已锁定5分钟"):
        desk.accounts.sign_in("liming", "wrong")
    other = Desk(Store(db_url))  # another desk (process) on the same database
    with pytest.raises(Refused, match="已锁定"):
        other.accounts.sign_in("liming", "liming-pass")  # even the right password
    assert any(e["action"] == "lockout" and e["staff"] == "李明" for e in _trail(desk))
    with store.write() as s:  # five minutes later
        accounts.find(s, "liming").locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert other.accounts.sign_in("liming", "liming-pass").login == "liming"
    other.store.dispose()


def test_disabled_accounts_cannot_sign_in_and_the_last_supervisor_stays(desk):
    _staff(desk)
    desk.accounts.set_disabled("liming")
    with pytest.raises(Refused, match="停用"):
        desk.accounts.sign_in("liming", "liming-pass")
    with pytest.raises(Refused, match="不能停用自己"):
        desk.accounts.set_disabled("tester")


def test_the_signed_in_display_name_is_actor_owner_and_printed(desk, store):
    _staff(desk)
    desk.accounts.sign_in("liming", "liming-pass")
    case = desk.cases.add(complaint())
    assert case["owner"] == "李明"
    desk.cases.move(case["case_no"], "accepted")
    shown = desk.cases.show(case["case_no"]).as_json()
    assert {e["staff"] for e in shown["events"]} == {"李明"}
    text = plain(desk.documents.receipt_pdf(case["case_no"]))
    assert "首问责任人" in text and "李明" in text
    assert {e["staff"] for e in _trail(desk)} == {"测试员", "李明"}  # never the OS login


def test_nobody_signed_in_is_refused(store):
    store.identity = None
    desk = Desk(store)
    with pytest.raises(Refused, match="请先登录"):
        desk.cases.add(complaint())


def test_saving_the_settings_as_shown_changes_nothing_and_refuses_no_one(desk):
    """The form sends what it shows: a default such as 小额纠纷快速处理上限 "500" is stored as "500.00", and is
    the same amount, so it is no change (not even for a supervisor's trail), and no rule for a staff member."""
    def settings_entries() -> list[dict]:
        return [e for e in _trail(desk) if e["action"] == "settings"]

    shown = desk.settings.all()
    assert shown["fast_track.threshold"] == "500"
    before = settings_entries()
    desk.settings.put(shown)  # the supervisor: nothing written
    assert settings_entries() == before
    _staff(desk)
    desk.accounts.sign_in("liming", "liming-pass")
    desk.settings.put({**shown, "fast_track.threshold": "500.00", "point.address": "示例路1号"})
    written = settings_entries()[len(before):]
    assert len(written) == 1 and "point.address" in written[0]["detail"] and written[0]["staff"] == "李明"
    with pytest.raises(Refused, match="只有负责人可以修改规则设置（小额纠纷快速处理上限（元））"):
        desk.settings.put({**shown, "fast_track.threshold": "600"})
    assert desk.settings.all()["fast_track.threshold"] == "500"


def test_staff_cannot_do_what_supervisors_do(desk):
    case = desk.cases.add(complaint())
    _staff(desk)
    desk.accounts.sign_in("liming", "liming-pass")
    with pytest.raises(Refused, match="只有负责人可以管理工作人员账号"):
        desk.accounts.add("wang", "王芳", "staff", "wang-pass")
    with pytest.raises(Refused, match="只有负责人可以修改规则设置"):
        desk.settings.put({"deadline.follow_up_days": "9"})
    desk.settings.put({"point.contact_name": "李明"})  # the point's particulars: anyone
    with pytest.raises(Refused, match="只有负责人可以修改他人密码"):
        desk.accounts.set_password("tester", "new-pass-1")
    desk.accounts.set_password("liming", "new-pass-1")  # one's own: yes
    with pytest.raises(Refused, match="只有负责人"):
        desk.accounts.list()
    assert desk.cases.show(case["case_no"]).as_json()["state"] == "registered"
    settings_entries = [e for e in _trail(desk) if e["action"] == "settings"]
    assert settings_entries and "“李晓” → “李明”" in settings_entries[-1]["detail"]


def test_the_first_supervisor_is_made_once(store):
    with store.write() as s:
        assert accounts.needs_first_supervisor(s)  # the tester has no password
    desk = Desk(store)
    who = desk.accounts.create_first_supervisor("zhang", "张主任", "zhang-pass", "zhang-pass")
    assert who.is_supervisor and desk.accounts.current == who
    assert not desk.accounts.needs_first_supervisor()
    with pytest.raises(Refused):
        desk.accounts.create_first_supervisor("other", "另一人", "other-pass", "other-pass")
    from app.core.errors import FieldError

    with pytest.raises(FieldError, match="两次输入的密码不一致"):
        Desk(store).accounts.set_password("zhang", "abcdefg", "abcdefh")


def test_supervisor_unlocks_for_someone_else_and_then_acts(desk):
    _staff(desk)
    _staff(desk, "wang", "王芳", "staff", "wang-pass-1")
    desk.accounts.sign_in("liming", "liming-pass")
    desk.accounts.lock()
    with pytest.raises(Refused, match="只有李明本人或负责人可以解锁"):
        desk.accounts.unlock("wang", "wang-pass-1")
    assert desk.accounts.current.login == "liming"
    with desk.store.write() as s:
        accounts.find(s, "tester").password_hash = accounts._hasher.hash("boss-pass-1")
    assert desk.accounts.unlock("tester", "boss-pass-1").display == "测试员"
    actions = [e["action"] for e in _trail(desk)]
    assert "lock" in actions and actions[-1] == "unlock"


# --- the command line ---------------------------------------------------------------------------

def test_cli_staff_management_and_roles(cli, desk, monkeypatch):
    monkeypatch.setenv("LIAISON_NEW_PASSWORD", "liming-pass")
    code, out, err = cli("staff", "add", "liming", "--display", "李明", "--role", "staff")
    assert code == 0, err
    assert "已新建账号 liming（李明，工作人员）" in out
    listed = json.loads(cli("staff", "list", "--json")[1])
    assert [(a["login"], a["role"]) for a in listed] == [("tester", "supervisor"), ("liming", "staff")]
    monkeypatch.setenv("LIAISON_STAFF", "liming")
    monkeypatch.setenv("LIAISON_PASSWORD", "liming-pass")
    code, out, err = cli("case", "add", "--json", stdin=json.dumps(complaint()))
    assert code == 0 and json.loads(out)["owner"] == "李明"
    code, _, err = cli("staff", "add", "wang", "--display", "王芳", "--role", "staff")
    assert code == 1 and "只有负责人可以管理工作人员账号" in err and "Traceback" not in err
    code, _, err = cli("settings", "hot.threshold", "5")
    assert code == 1 and "只有负责人" in err
    code, _, err = cli("audit")
    assert code == 1 and "只有负责人可以查看审计记录" in err
    monkeypatch.setenv("LIAISON_PASSWORD", "wrong")
    code, _, err = cli("case", "list")
    assert code == 1 and "登录名或密码不正确" in err
    monkeypatch.delenv("LIAISON_STAFF")
    monkeypatch.delenv("LIAISON_PASSWORD")
    code, _, err = cli("staff", "disable", "liming")  # as the OS user's account (the supervisor)
    assert code == 0, err
    monkeypatch.setenv("LIAISON_PASSWORD", "liming-pass")
    code, _, err = cli("case", "list", "--staff", "liming")
    assert code == 1 and "停用" in err


def test_cli_without_a_linked_account_is_refused(cli, store):
    with store.write() as s:
        accounts.find(s, "tester").os_user = None
    code, _, err = cli("case", "list")
    assert code == 1 and "没有关联的工作人员账号" in err and "--staff" in err


def test_init_makes_the_os_user_the_first_supervisor(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_DB", str(tmp_path / "fresh.db"))
    code, out, err = cli("init", "--display", "赵主任", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["first_supervisor"]["display"] == "赵主任" and data["staff"] == "赵主任"
    code, out, _ = cli("init", "--json")
    assert code == 0 and "first_supervisor" not in json.loads(out)
    code, out, _ = cli("case", "add", "--json", stdin=json.dumps(complaint()))
    assert json.loads(out)["owner"] == "赵主任"


def test_unexpected_errors_exit_3_with_the_log_and_no_traceback(cli, desk, monkeypatch, tmp_path):
    from app.cases.service import CaseService

    monkeypatch.setenv("LIAISON_LOG_DIR", str(tmp_path / "logs"))

    def broken(self, *a, **k):
        raise RuntimeError("simulated defect")

    monkeypatch.setattr(CaseService, "iter_json", broken)
    code, out, err = cli("case", "list")
    log = tmp_path / "logs" / "liaison.log"
    assert code == 3 and "Traceback" not in err and "意外错误" in err and str(log) in err
    assert "RuntimeError: simulated defect" in log.read_text(encoding="utf-8")
    assert (log.stat().st_mode & 0o777) == 0o600
    assert ((tmp_path / "logs").stat().st_mode & 0o777) == 0o700
    assert ((tmp_path / "logs" / "crash.log").stat().st_mode & 0o777) == 0o600


@pytest.mark.sqlite_only
def test_sign_in_failures_are_stored_even_though_refused(desk, db_url):
    _staff(desk)
    with pytest.raises(Refused):
        desk.accounts.sign_in("liming", "wrong")
    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    assert con.execute("SELECT failed_tries FROM staff WHERE login='liming'").fetchone() == (1,)
    con.close()


def test_forty_parallel_guesses_lock_the_account_after_five(desk, store, db_url):
    """An attacker trying passwords from many desks at once gets five tries, not forty (issue: on
    PostgreSQL every parallel guess read failed_tries 0 and the account never locked)."""
    from concurrent.futures import ThreadPoolExecutor

    _staff(desk)
    desks = [Desk(Store(db_url)) for _ in range(8)]

    def guess(i: int) -> str:
        try:
            desks[i % len(desks)].accounts.sign_in("liming", f"wrong-{i}")
        except Refused as e:
            return e.message
        return "signed in"

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(guess, range(40)))
    checked = [a for a in answers if "不正确" in a or "已锁定5分钟" in a]  # the password was verified
    assert len(checked) == 5, answers
    assert sum("请于" in a for a in answers) == 35  # refused unverified: locked
    with pytest.raises(Refused, match="已锁定"):
        desk.accounts.sign_in("liming", "liming-pass")  # the right one comes too late
    wrong = [e for e in _trail(desk) if e["action"] == "sign_in_failed" and "密码错误" in e["detail"]]
    assert len(wrong) == 5
    for d in desks:
        d.store.dispose()


def test_logname_does_not_choose_who_acts(cli, desk, store, monkeypatch):
    """`LOGNAME=root liaison audit` acted as whoever was linked to root: the link now follows the OS's own
    account of the process (its real uid), never an environment variable."""
    desk.accounts.add("boss", "钱主任", "supervisor", "boss-pass-1", "someone-else")
    with store.write() as s:
        accounts.find(s, "tester").os_user = None  # nobody is linked to this process's real user
    for variable in ("LOGNAME", "USER", "USERNAME", "LNAME"):
        monkeypatch.setenv(variable, "someone-else")
    assert accounts.os_user() not in ("", "someone-else")
    for args in (("audit",), ("case", "list"), ("key", "export", "-o", "k.txt")):
        code, out, err = cli(*args)
        assert code == 1 and "没有关联的工作人员账号" in err and out == "", args


def test_a_locked_account_does_not_act_through_its_os_link(cli, desk, store):
    with store.write() as s:
        accounts.find(s, "tester").locked_until = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    code, _, err = cli("case", "list")
    assert code == 1 and "--staff" in err
    with store.write() as s:
        accounts.find(s, "tester").locked_until = None
    assert cli("case", "list")[0] == 0


def test_init_gives_the_first_supervisor_a_password_when_one_is_given(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_DB", str(tmp_path / "fresh.db"))
    monkeypatch.setenv("LIAISON_NEW_PASSWORD", "12")
    code, _, err = cli("init", "--display", "赵主任")
    assert code == 1 and "密码" in err  # too short: nothing made
    monkeypatch.setenv("LIAISON_NEW_PASSWORD", "zhao-pass-2026")
    code, out, err = cli("init", "--display", "赵主任", "--json")
    assert code == 0 and json.loads(out)["first_supervisor"]["has_password"] is True, err
    desk = Desk(Store(str(tmp_path / "fresh.db")))
    assert desk.accounts.sign_in(accounts.os_user(), "zhao-pass-2026").display == "赵主任"
    desk.store.dispose()


def test_the_end_of_a_lock_out_is_said_as_the_minute_after_it():
    import datetime as dt

    from app.core.clock import LOCAL_TZ
    from app.staff.accounts import _local

    assert _local(dt.datetime(2026, 12, 8, 0, 31, 20, tzinfo=LOCAL_TZ)) == "00:32"
    assert _local(dt.datetime(2026, 12, 8, 0, 31, 0, tzinfo=LOCAL_TZ)) == "00:31"
    assert _local(dt.datetime(2026, 12, 8, 23, 59, 1, tzinfo=LOCAL_TZ)) == "00:00"
