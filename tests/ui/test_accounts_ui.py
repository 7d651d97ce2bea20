
"""Signing in, the first supervisor, locking (idle and Ctrl+L) without losing what was typed, staff and audit."""
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from app.desk import Desk
from app.storage.db import Store
from tests.conftest import complaint
from tests.ui.typing import activate, in_background, type_text
from ui.dialogs.sign_in_dialog import SignInDialog
from ui.windows.intake_form import IntakeForm
from ui.windows.main_window import MainWindow


def _unsigned_desk(db_url) -> Desk:
    desk = Desk(Store(db_url))
    assert desk.accounts.current is None
    return desk


def test_sign_in_with_enter_and_the_member_is_the_actor(qtbot, desk, db_url):
    desk.accounts.add("liming", "李明", "staff", "liming-pass")
    fresh = _unsigned_desk(db_url)
    dialog = SignInDialog(fresh)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login, "liming")
    qtbot.keyClick(dialog.login, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, "liming-pass")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert fresh.accounts.current.display == "李明"
    assert fresh.cases.add(complaint())["owner"] == "李明"
    fresh.store.dispose()


def test_five_wrong_passwords_in_the_dialog_lock_the_account(qtbot, desk, db_url):
    desk.accounts.add("liming", "李明", "staff", "liming-pass")
    fresh = _unsigned_desk(db_url)
    dialog = SignInDialog(fresh)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login, "liming")
    for _ in range(5):
        qtbot.keyClicks(dialog.password, "wrong-pass")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert dialog.password.text() == ""  # cleared for the next try
    assert "账号已锁定5分钟" in dialog.error.text()
    qtbot.keyClicks(dialog.password, "liming-pass")  # now even the right one is refused
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "已锁定" in dialog.error.text() and fresh.accounts.current is None
    assert dialog.isVisible()
    fresh.store.dispose()


def test_first_start_creates_the_supervisor_with_the_point(qtbot, db_url):
    from ui.dialogs.settings_dialog import SettingsDialog

    desk = _unsigned_desk(db_url)
    dialog = SettingsDialog(desk, first_run=True)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.inputs["point.name"], "测试联络点")
    type_text(qtbot, dialog.supervisor["login"], "zhangli")
    type_text(qtbot, dialog.supervisor["display"], "张丽")
    type_text(qtbot, dialog.supervisor["password"], "zhang-pass")
    type_text(qtbot, dialog.supervisor["password_repeat"], "zhang-pasX")
    dialog.save()
    assert "两次输入的密码不一致" in dialog.errors["password_repeat"].text()
    assert desk.accounts.current is None and not desk.settings.is_configured()
    dialog.supervisor["password_repeat"].clear()
    type_text(qtbot, dialog.supervisor["password_repeat"], "zhang-pass")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert desk.accounts.current.display == "张丽" and desk.accounts.current.is_supervisor
    assert desk.settings.all()["point.name"] == "测试联络点"
    assert desk.accounts.sign_in("zhangli", "zhang-pass").login == "zhangli"
    desk.store.dispose()


def _unlock_when_asked(qtbot, window, password: str, seen: dict) -> QTimer:
    """Polls for the lock dialog (it runs its own event loop) and types the password into it."""
    timer = QTimer()

    def attempt():
        dialog = window.desk_lock.dialog
        if dialog is None or not dialog.isVisible():
            return
        timer.stop()
        seen["covers"] = [w for w in QApplication.allWidgets() if w.objectName() == "lock_cover" and w.isVisible()]
        seen["intro"] = dialog.findChildren(type(dialog.error))
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    timer.timeout.connect(attempt)
    timer.start(20)
    return timer


def _desk_with_an_intake_form(qtbot, desk, idle_minutes: str):
    """The main window and an intake form in front of it, the member's password set, the idle lock at
    `idle_minutes`."""
    desk.accounts.set_password("tester", "tester-pass")
    desk.settings.put({"staff.idle_lock_minutes": idle_minutes})
    window = MainWindow(desk=desk)
    qtbot.addWidget(window)
    window.show()
    form = IntakeForm(desk, window)
    qtbot.addWidget(form)
    activate(qtbot, form)
    return window, form


def test_typing_keeps_the_desk_unlocked_and_stopping_locks_it(qtbot, desk):
    """The idle lock notices work by what it changes (the text cursor here), not by watching events."""
    import time

    window, form = _desk_with_an_intake_form(qtbot, desk, "0.04")  # 2.4 seconds without work
    seen: dict = {}
    unlock = _unlock_when_asked(qtbot, window, "tester-pass", seen)  # answers the lock whenever it comes
    end = time.monotonic() + 4.5
    while time.monotonic() < end:  # a character every 0.4 s for longer than the idle time
        type_text(qtbot, form.facts, "字")
        qtbot.wait(400)
        assert "covers" not in seen, "locked while someone was typing"
    started = time.monotonic()
    qtbot.waitUntil(lambda: "covers" in seen, timeout=8000)  # then nothing: it locks
    unlock.stop()
    assert time.monotonic() - started >= 1.4
    qtbot.waitUntil(lambda: not window.desk_lock.locked, timeout=5000)
    assert form.facts.toPlainText().count("字") >= 10
    window.desk_lock.stop()


def test_ctrl_l_and_idle_lock_keep_a_half_typed_intake_form(qtbot, desk):
    window, form = _desk_with_an_intake_form(qtbot, desk, "0.05")  # 3 seconds without a key or a click
    type_text(qtbot, form.c_name, "王某兰")
    type_text(qtbot, form.facts, "使用三天后底座")
    seen = {}
    unlock = _unlock_when_asked(qtbot, window, "tester-pass", seen)
    qtbot.keyClick(form.facts, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "covers" in seen and not window.desk_lock.locked, timeout=5000)
    assert {c.parentWidget() for c in seen["covers"]} >= {window, form}  # both windows covered, none closed
    assert form.isVisible() and form.c_name.text() == "王某兰"
    assert form.facts.toPlainText() == "使用三天后底座"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.facts, timeout=2000)
    type_text(qtbot, form.facts, "漏电")
    assert form.facts.toPlainText() == "使用三天后底座漏电"
    assert not [w for w in QApplication.allWidgets() if w.objectName() == "lock_cover" and w.isVisible()]

    seen.clear()  # now wait without touching anything: the idle lock
    unlock.stop()
    unlock = _unlock_when_asked(qtbot, window, "tester-pass", seen)
    qtbot.waitUntil(lambda: "covers" in seen and not window.desk_lock.locked, timeout=10000)
    unlock.stop()
    assert form.facts.toPlainText() == "使用三天后底座漏电"
    actions = [e["action"] for e in desk.audit.entries()]
    assert actions.count("lock") == 2 and actions.count("unlock") == 2
    window.desk_lock.stop()


def test_the_main_window_warns_when_the_trail_is_broken(qtbot, desk, store):
    from sqlalchemy import text

    desk.cases.add(complaint())
    with store.engine.begin() as conn:  # as sqlite3 would: outside the desk
        conn.execute(text("UPDATE events SET note = '改过'"))
    window = MainWindow(desk=desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.trail_warning.isVisible(), timeout=10000)  # checked in the background
    assert "被修改" in window.trail_warning.text()
    assert window.tabs.isVisible()  # the desk still opens
    window.desk_lock.stop()


def test_staff_dialog_and_audit_window_for_a_supervisor(qtbot, desk, monkeypatch):
    from ui.dialogs import staff_dialog
    from ui.windows.audit_window import AuditWindow

    no = desk.cases.add(complaint())["case_no"]
    desk.cases.record_view(no)

    def answer(values):
        def run(self, dialog):
            for key, value in values.items():
                dialog.widgets[key].setText(value) if hasattr(dialog.widgets[key], "setText") else \
                    dialog.widgets[key].set_code(value)
            dialog.try_submit()
            return dialog.result()
        return run

    dialog = staff_dialog.StaffDialog(desk)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(staff_dialog.StaffDialog, "_run", answer(
        {"login": "wang", "display": "王芳", "role": "staff", "password": "wang-pass", "password_repeat": "wang-pass"}))
    qtbot.mouseClick(dialog.buttons["add"], Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 2 and dialog.table.item(1, 1).text() == "王芳"
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.buttons["disable"], Qt.MouseButton.LeftButton)
    assert dialog.table.item(1, 3).text() == "已停用"

    window = AuditWindow(desk)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.checked is not None, timeout=10000)  # checked in the background
    assert "记录链完好" in window.status.text()
    window.case_no.setText(no)
    window.action.setCurrentIndex(window.action.findData("view"))
    window.reload()
    in_background(qtbot)
    assert window.model.rowCount() == 1 and window.model.rows[0][2] == "测试员"
    window.action.setCurrentIndex(0)
    window.case_no.clear()
    window.staff.setCurrentIndex(window.staff.findData("测试员"))
    window.reload()
    in_background(qtbot)
    staff_actions = {row[3] for row in window.model.rows}
    assert {"登记", "查看个人信息", "人员管理"} <= staff_actions
    desk.settings.put({"deadline.follow_up_days": "5"})
    window.staff.setCurrentIndex(0)
    window.action.setCurrentIndex(window.action.findData("settings"))
    window.reload()
    in_background(qtbot)
    shown = [row[5] for row in window.model.rows]
    assert "5" in shown[0] and not any("deadline." in t or "point." in t for t in shown), shown
    window.show()
    close = next(b for b in window.findChildren(QPushButton) if b.text().startswith("关闭"))
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_the_audit_window_opens_at_once_and_shows_the_full_check_when_it_is_done(qtbot, desk, store):
    """The whole chain is walked off the window's thread (over a minute at 2M links), and it is the full
    walk: a change before the checkpoint, which every start passes by design, is found here."""
    from ui.windows.audit_window import AuditWindow

    no = desk.cases.add(complaint())["case_no"]
    desk.cases.record_view(no)
    assert desk.audit.verify().ok  # the checkpoint: at the last link
    with store.engine.begin() as conn:  # as sqlite3 would: outside the desk
        conn.exec_driver_sql("UPDATE events SET note = '改过' WHERE id = 1")
    assert desk.audit.verify(full=False).ok
    window = AuditWindow(desk)
    qtbot.addWidget(window)
    assert window.checked is None and "正在校验整条记录链" in window.status.text()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10000)  # the trail can be read meanwhile
    qtbot.waitUntil(lambda: window.checked is not None, timeout=10000)
    assert "记录链校验未通过" in window.status.text() and "被修改" in window.status.text()
    assert "案件历史记录 #1" in window.status.text()


def test_unexpected_error_in_the_window_is_a_message_and_a_log(qtbot, tmp_path, monkeypatch):
    from ui import errors

    monkeypatch.setenv("LIAISON_LOG_DIR", str(tmp_path / "logs"))
    try:
        raise ZeroDivisionError("simulated")
    except ZeroDivisionError as e:
        box = errors.handle(type(e), e, e.__traceback__)
    qtbot.addWidget(box)
    assert "意外错误" in box.text() and str(tmp_path / "logs" / "liaison.log") in box.text()
    assert "Traceback" not in box.text()
    assert "ZeroDivisionError: simulated" in (tmp_path / "logs" / "liaison.log").read_text(encoding="utf-8")


def test_opening_a_case_is_one_view_and_a_print_counts_once_the_file_is_written(qtbot, desk, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.widgets.pdf_preview import PdfPreview
    from ui.windows import case_view

    no = desk.cases.add(complaint())["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    view.refresh()
    view.refresh()
    assert [e["action"] for e in desk.audit.entries()].count("view") == 1
    preview = PdfPreview(view.document_pdf("receipt"), "回执", "r.pdf", view,
                         on_print=lambda where: view._printed("receipt", where))
    qtbot.addWidget(preview)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    preview.save_to(str(tmp_path / "no-such-folder" / "r.pdf"))  # the write fails: nothing printed
    assert "print" not in [e["action"] for e in desk.audit.entries()]
    preview.save_to(str(tmp_path / "r.pdf"))
    printed = [e for e in desk.audit.entries() if e["action"] == "print"]
    assert len(printed) == 1 and str(tmp_path / "r.pdf") in printed[0]["detail"]


def test_the_trail_model_passes_the_model_tester(qtmodeltester):
    from ui.models.trail_model import TrailModel

    model = TrailModel(("序号", "内容"))
    model.set_rows([("1", "登记"), ("2", "查看个人信息")])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 1)) == "查看个人信息"


@pytest.mark.sqlite_only
def test_a_row_put_in_by_hand_is_acknowledged_from_the_audit_window(qtbot, desk, store, monkeypatch):
    """The check names the row; the supervisor's 核实后确认 (asked first) seals it, records that, and the
    check run again finds the chain intact."""
    from PySide6.QtWidgets import QMessageBox

    from ui.windows.audit_window import AuditWindow

    desk.cases.add(complaint())
    with store.engine.begin() as conn:  # as sqlite3 would: outside the desk
        conn.exec_driver_sql("INSERT INTO audit_log (at, actor, action, case_no, detail) "
                             "VALUES ('2026-12-01 01:00:00.000000', '王某', 'print', '', '伪造的一行')")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window = AuditWindow(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.checked is not None, timeout=10000)
    assert "直接插入数据库" in window.status.text() and window.resolve.isVisible()
    qtbot.mouseClick(window.resolve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.checked is not None and window.checked.ok, timeout=10000)
    assert asked and "核实" in asked[0] and not window.resolve.isVisible()
    assert "记录链完好" in window.status.text()
    assert desk.audit.trail()[-1]["action"] == "acknowledge"
