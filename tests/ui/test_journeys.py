"""Where the features meet: whole journeys through the real main window, as two members of a point use it.

A staff member signs in, registers and accepts a complaint, changes the point's address, finds every
supervisor's task greyed out (saying why), and hands the desk to a supervisor with 切换用户 (Ctrl+Shift+L),
who reopens a case and changes a rule. Then the demo desk: open a case, search, register. Stored rows are
checked after each step, and no message box on the way may be an unexpected error (意外错误)."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from sqlalchemy import select

from app.desk import SUPERVISOR_ONLY, Desk
from app.storage.db import Store
from app.storage.models import AuditEntry, Case, Event, Setting
from tests.ui.typing import fill_dispute, in_background, press, type_text, when_modal
from ui import errors
from ui.dialogs.settings_dialog import SettingsDialog
from ui.windows import case_view
from ui.windows.intake_form import IntakeForm
from ui.windows.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def boxes(monkeypatch):
    """Every message box the journey shows, as title and text; none may be an unexpected error. An
    exception no screen caught reaches the desk's own hook (ui/errors.handle), which shows a box too."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "excepthook", errors.handle)
    for name in ("open", "exec"):
        original = getattr(QMessageBox, name)

        def shown(self, _original=original):
            seen.append(f"{self.windowTitle()}：{self.text()}")
            return _original(self)

        monkeypatch.setattr(QMessageBox, name, shown)
    for name in ("warning", "critical", "information"):
        def said(parent, title, text, *_a, **_k):
            seen.append(f"{title}：{text}")
            return QMessageBox.StandardButton.Ok

        monkeypatch.setattr(QMessageBox, name, staticmethod(said))
    yield seen
    unexpected = [text for text in seen if "意外错误" in text]
    assert not unexpected, unexpected


@pytest.fixture
def point(desk, tmp_path, monkeypatch):
    """The point as a supervisor set it up: a staff member and a supervisor with passwords, a closed case."""
    monkeypatch.setenv("LIAISON_DATA_DIR", str(tmp_path / "data"))  # daily backup, the demo database
    desk.keys.mark_shown()
    desk.accounts.add("liming", "李明", "staff", "liming-pass")
    desk.accounts.add("zhangli", "张丽", "supervisor", "zhang-pass")
    closed = desk.cases.add({"kind": "consultation", "consumer": {"name": "赵某", "phone": "13900002222"},
                             "facts": "预付卡商家关门了怎么办？"})["case_no"]
    desk.cases.move(closed, "closed", reason="可向市场监管部门投诉。")
    return closed


def _sign_in(qtbot, login: str, password: str) -> dict:
    def answer(dialog):
        assert dialog.windowTitle().startswith("登录")
        qtbot.keyClicks(dialog.login, login)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    return when_modal(answer, after=None, timeout_ms=30000)


def _open_window(qtbot, db_url, login: str, password: str) -> MainWindow:
    """The desk as `liaison-desk` starts it: the window first, the database, then 登录."""
    signed = _sign_in(qtbot, login, password)
    window = MainWindow(open_desk=lambda: Desk(Store(db_url)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: signed["done"] and window.case_model is not None, timeout=30000)
    qtbot.waitUntil(lambda: window.today.work is not None, timeout=10000)
    return window


def _register(qtbot, window: MainWindow, name: str, phone: str, merchant: str) -> None:
    """新登记 (Ctrl+N): the intake form typed as at the desk, saved with Ctrl+S; the receipt shown, closed."""
    seen = {}

    def fill(form: IntakeForm):
        press(qtbot, form, Qt.Key.Key_1, ALT)  # 投诉
        type_text(qtbot, form.c_name, name)
        qtbot.keyClicks(form.c_phone, phone)
        fill_dispute(qtbot, form, merchant)
        when_modal(lambda preview: (seen.setdefault("preview", preview.windowTitle()),
                                    press(qtbot, preview, Qt.Key.Key_Escape)), after=form, timeout_ms=30000)
        press(qtbot, form.facts, Qt.Key.Key_S, CTRL)

    when_modal(fill, after=None)
    press(qtbot, window.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: "preview" in seen and QApplication.activeModalWidget() is None, timeout=30000)
    assert seen["preview"].startswith("登记回执")


def _open_case(qtbot, window: MainWindow, case_no: str, work) -> None:
    """The case picked in the list (案件列表, Ctrl+2) and opened with Enter, worked on, closed with Esc."""
    def in_view(view: case_view.CaseView):
        assert view.case_no == case_no
        work(view)
        press(qtbot, view, Qt.Key.Key_Escape)

    press(qtbot, window.table, Qt.Key.Key_2, CTRL)
    qtbot.waitUntil(lambda: any(window.model.case_no(r) == case_no for r in range(window.model.rowCount())),
                    timeout=30000)
    row = next(r for r in range(window.model.rowCount()) if window.model.case_no(r) == case_no)
    window.table.setFocus()
    window.table.selectRow(row)
    worked = when_modal(in_view, after=None, timeout_ms=30000)
    press(qtbot, window.table, Qt.Key.Key_Return)  # read in the background, then the case window opens
    qtbot.waitUntil(lambda: worked["done"] and QApplication.activeModalWidget() is None, timeout=30000)


def _settings(qtbot, window: MainWindow, work) -> None:
    done = when_modal(work, after=None)
    press(qtbot, window.table, Qt.Key.Key_Comma, CTRL)  # 联络点设置 (Ctrl+,)
    qtbot.waitUntil(lambda: done["done"] and QApplication.activeModalWidget() is None, timeout=10000)


def _supervisor_tasks(window: MainWindow) -> dict:
    return {task: (act.isEnabled(), act.toolTip()) for task, act in window.supervisor_tasks.items()}


def test_a_staff_member_then_a_supervisor_at_the_same_desk(qtbot, desk, store, db_url, point, boxes):
    closed = point
    window = _open_window(qtbot, db_url, "liming", "liming-pass")
    assert window.desk.accounts.current.display == "李明" and window.windowTitle().endswith("— 李明")

    # Every task only a supervisor may do is greyed out, saying so; nothing of it is asked first.
    assert set(window.supervisor_tasks) == set(SUPERVISOR_ONLY) - {"reopen", "rules"}
    for task, (enabled, tip) in _supervisor_tasks(window).items():
        assert not enabled and tip == f"只有负责人可以{SUPERVISOR_ONLY[task]}", (task, tip)
    assert all(menu.toolTipsVisible() for menu in (window.menuBar().actions()[i].menu() for i in range(5))
               if any(a in window.supervisor_actions for a in menu.actions()))
    press(qtbot, window.table, Qt.Key.Key_H, CTRL)  # 节假日安排's shortcut does nothing for staff
    QApplication.processEvents()
    assert QApplication.activeModalWidget() is None

    # A complaint registered with the intake form: the staff member is its 首问责任人.
    _register(qtbot, window, "钱某", "13900005678", "测试电器店（虚构）")
    with store.read() as s:
        case = s.scalar(select(Case).order_by(Case.id.desc()))
        no = case.case_no
        assert case.owner == "李明" and case.consumer.name == "钱某" and case.state == "registered"

    # Opened from the list and accepted.
    def accept(view: case_view.CaseView):
        when_modal(lambda box: press(qtbot, box, Qt.Key.Key_Y, ALT), after=view)
        press(qtbot, view, Qt.Key.Key_A, ALT)  # 受理
        qtbot.waitUntil(lambda: view.case.state == "accepted", timeout=5000)

    _open_case(qtbot, window, no, accept)
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == no))
        last = s.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id.desc())).first()
        assert case.state == "accepted" and last.to_state == "accepted" and last.actor == "李明"

    # A closed case: 重新打开 is there, greyed out, saying who may.
    def look(view: case_view.CaseView):
        reopen = view.task_buttons["reopen"]
        assert reopen.isVisible() and not reopen.isEnabled()
        assert reopen.toolTip() == "只有负责人可以重新打开已办结的案件"

    _open_case(qtbot, window, closed, look)

    # 联络点设置: only the address changed; the rules are read-only, marked 负责人可修改.
    with store.read() as s:
        settings_before = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))

    def change_address(dialog: SettingsDialog):
        rule = dialog.inputs["fast_track.threshold"]
        assert rule.isReadOnly() and rule.toolTip() == "负责人可修改"
        assert dialog.findChild(QLabel, "fast_track.threshold.supervisor_only").text() == "负责人可修改"
        assert not dialog.inputs["point.address"].isReadOnly()
        edit = dialog.inputs["point.address"]
        edit.setFocus()
        edit.selectAll()
        type_text(qtbot, edit, "示例路1号（虚构）")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == dialog.DialogCode.Accepted

    _settings(qtbot, window, change_address)
    with store.read() as s:
        assert s.get(Setting, "point.address").value == "示例路1号（虚构）"
        assert s.get(Setting, "fast_track.threshold") is None  # untouched: still the default, not "500.00"
        written = s.scalars(select(AuditEntry).where(AuditEntry.id > settings_before,
                                                     AuditEntry.action == "settings")).all()
        assert [e.actor for e in written] == ["李明"] and "point.address" in written[0].detail

    # 切换用户 (Ctrl+Shift+L): the sign-in dialog, not a restart; the supervisor's tasks follow her.
    signed = _sign_in(qtbot, "zhangli", "zhang-pass")
    press(qtbot, window.table, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: signed["done"] and QApplication.activeModalWidget() is None, timeout=10000)
    assert window.isVisible() and window.desk.accounts.current.display == "张丽"
    assert window.windowTitle().endswith("— 张丽")
    for task, (enabled, tip) in _supervisor_tasks(window).items():
        assert enabled and not tip.startswith("只有负责人"), (task, tip)

    def reopen(view: case_view.CaseView):
        button = view.task_buttons["reopen"]
        assert button.isEnabled()

        def reason(dialog):
            type_text(qtbot, dialog.widgets["reason"], "消费者补充了新情况")
            press(qtbot, dialog.ok_button, Qt.Key.Key_Space)

        when_modal(reason, after=view)
        press(qtbot, view, Qt.Key.Key_O, ALT)  # 重新打开
        qtbot.waitUntil(lambda: view.case.state != "closed", timeout=5000)

    _open_case(qtbot, window, closed, reopen)
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == closed))
        last = s.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id.desc())).first()
        assert case.state != "closed" and last.actor == "张丽" and "新情况" in (last.note or "")

    def change_rule(dialog: SettingsDialog):
        rule = dialog.inputs["fast_track.threshold"]
        assert not rule.isReadOnly()
        rule.setFocus()
        rule.selectAll()
        qtbot.keyClicks(rule, "800")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    _settings(qtbot, window, change_rule)
    with store.read() as s:
        assert s.get(Setting, "fast_track.threshold").value == "800.00"
        assert s.get(Setting, "point.address").value == "示例路1号（虚构）"
    window.close()


def test_the_demo_desk_can_be_used_by_a_staff_member(qtbot, desk, store, db_url, point, tmp_path, boxes):
    window = _open_window(qtbot, db_url, "liming", "liming-pass")
    with store.read() as s:
        live_cases = len(s.scalars(select(Case.id)).all())
    window.toggle_demo()  # 设置 → 演示模式 (Ctrl+Shift+D)
    in_background(qtbot, 120000)
    assert window.demo and "演示数据" in window.windowTitle() and window.windowTitle().endswith("— 演示员")
    demo = Store(f"sqlite:///{tmp_path / 'data' / 'liaison-demo.db'}")
    try:
        with demo.read() as s:
            assert len(s.scalars(select(Case.id)).all()) == 300
        # 演示员 may try every task there, except replacing the demo database with a backup.
        tasks = _supervisor_tasks(window)
        assert tasks.pop("restore") == (False, "演示模式中不能恢复备份；请先退出演示模式")
        assert all(enabled for enabled, _tip in tasks.values())

        # A case opened (its view is recorded, by 演示员).
        qtbot.waitUntil(lambda: window.model.total == 300, timeout=30000)
        first = window.model.case_no(0)
        _open_case(qtbot, window, first, lambda view: None)
        with demo.read() as s:
            viewed = s.scalars(select(AuditEntry).where(AuditEntry.action == "view")).all()
            assert [(e.actor, e.case_no) for e in viewed][-1] == ("演示员", first)

        # A search by a consumer's name: recorded, and the list shows what it found.
        with demo.read() as s:
            someone = s.scalars(select(Case).order_by(Case.id)).first().consumer.name
        window.search.clear()
        type_text(qtbot, window.search, someone)
        qtbot.waitUntil(lambda: window.model.total is not None and 0 < window.model.total < 300, timeout=30000)
        with demo.read() as s:
            assert s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "search")).all()[-1] == "演示员"
        window.search.clear()

        # A new case registered at the demo desk: owned by 演示员, in the demo database only.
        _register(qtbot, window, "孙某", "19900001111", "演示电器店（演示）")
        with demo.read() as s:
            new = s.scalar(select(Case).order_by(Case.id.desc()))
            assert new.owner == "演示员" and new.consumer.name == "孙某"
            assert len(s.scalars(select(Case.id)).all()) == 301
        with store.read() as s:
            assert len(s.scalars(select(Case.id)).all()) == live_cases

        # Locked (Ctrl+L) at the demo desk: the member's own password unlocks it (演示员 has none).
        def unlock(dialog):
            assert dialog.unlock and dialog.login.text() == "liming"
            qtbot.keyClicks(dialog.password, "liming-pass")
            qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

        unlocked = when_modal(unlock, after=None)
        window.lock()
        qtbot.waitUntil(lambda: unlocked["done"] and not window.desk_lock.locked, timeout=10000)
        assert window.desk.accounts.current.display == "演示员"
        with store.read() as s:
            assert s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "unlock")).all()[-1] == "李明"

        # Back to the real desk: the staff member again, the supervisor's tasks greyed out again.
        window.toggle_demo()
        assert not window.demo and window.desk.accounts.current.display == "李明"
        assert not any(enabled for enabled, _tip in _supervisor_tasks(window).values())
    finally:
        demo.dispose()
    window.close()


def test_the_shortcut_sheet_lists_switching_user_and_locking(qtbot, desk):
    from ui.dialogs.shortcuts_dialog import ShortcutsDialog

    window = MainWindow(desk)
    qtbot.addWidget(window)
    sheet = ShortcutsDialog(window.actions_by_name.values(), window)
    qtbot.addWidget(sheet)
    rows = {(sheet.table.item(r, 1).text(), sheet.table.item(r, 2).text()) for r in range(sheet.table.rowCount())}
    assert ("Ctrl+Shift+L", "切换用户") in rows
    assert any(key == "Ctrl+L" and what.startswith("锁定工作台") for key, what in rows)


def test_a_refusal_no_screen_caught_is_a_plain_message(qtbot, tmp_path, monkeypatch):
    from app.staff.identity import Refused

    monkeypatch.setenv("LIAISON_LOG_DIR", str(tmp_path / "logs"))
    try:
        raise Refused("只有负责人可以恢复备份；当前登录：李明（工作人员）")
    except Refused as e:
        box = errors.handle(type(e), e, e.__traceback__)
    assert box is not None and box.objectName() == "refused" and "意外错误" not in box.windowTitle() + box.text()
    assert box.text() == "只有负责人可以恢复备份；当前登录：李明（工作人员）"
    box.close()


def test_switching_user_and_leaving_the_sign_in_closes_the_desk(qtbot, desk, store, db_url, point, boxes):
    """Nobody may stay signed in behind an unanswered sign-in: 退出 (Esc) there closes the desk, as at start."""
    window = _open_window(qtbot, db_url, "liming", "liming-pass")
    left = when_modal(lambda dialog: press(qtbot, dialog.login, Qt.Key.Key_Escape), after=None)
    press(qtbot, window.table, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: left["done"] and not window.isVisible(), timeout=10000)
    assert window.desk.accounts.current is None
