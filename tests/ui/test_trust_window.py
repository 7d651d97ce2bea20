"""The recovery key dialogs, the 备份 menu and the purge dialog, driven as staff would."""
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.desk import Desk
from app.storage.db import Store
from tests.conftest import complaint
from tests.pdf_checks import plain
from tests.ui.typing import in_background
from ui.dialogs.recovery_key_dialog import KeyImportDialog, RecoveryKeyDialog
from ui.windows.main_window import MainWindow


def test_recovery_key_is_shown_once_with_qr_and_printable(qtbot, desk, tmp_path):
    assert desk.keys.needs_showing()
    dialog = RecoveryKeyDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    text = desk.keys.recovery_text()
    assert dialog.key_label.text().split() == text.split("-")
    assert not dialog.qr.pixmap().isNull() and dialog.qr.pixmap().width() > 100
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.write_pdf(str(tmp_path / "key.pdf"))  # anyone setting up may print it at the first start
    pdf_text = plain(tmp_path / "key.pdf")
    assert text.split("-")[0] in pdf_text and "恢复密钥" in pdf_text
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not desk.keys.needs_showing()


def test_another_computer_is_asked_for_the_recovery_key(qtbot, desk, tmp_path, monkeypatch):
    case_no = desk.cases.add(complaint())["case_no"]
    text = desk.keys.recovery_text()
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "second-desk"))
    second = Desk(Store(desk.store.url.render_as_string(hide_password=False)))
    second.accounts.sign_in_os_user()
    assert "liaison key import" in second.keys.problem()  # the command says how
    dialog = KeyImportDialog(second)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.text, "AAAA-" * 12 + "AAAA")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "不符" in dialog.message.text() and dialog.result() == 0
    dialog.text.clear()
    qtbot.keyClicks(dialog.text, text.lower())
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    assert second.cases.show(case_no).as_json()["consumer"]["phone"] == "13900001234"
    second.store.dispose()


@pytest.mark.sqlite_only
def test_backup_menu_backs_up_and_restores(qtbot, desk, tmp_path, monkeypatch):
    desk.settings.put({"backup.folder": str(tmp_path / "usb")})
    first = desk.cases.add(complaint())["case_no"]
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    assert window.backup_menu.backup_action.isEnabled()
    job = window.backup_menu.backup_now()
    qtbot.waitUntil(lambda: job.finished and "已备份" in window.statusBar().currentMessage(), timeout=10000)
    made = list((tmp_path / "usb").glob("liaison-*.ldbk"))
    assert len(made) == 1
    desk.cases.add(complaint())
    window.refresh()
    qtbot.waitUntil(lambda: window.model.total == 2, timeout=10000)  # the list reloads in the background
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    junk = tmp_path / "junk.ldbk"
    junk.write_bytes(os.urandom(100))
    assert not window.backup_menu.restore_from(str(junk))
    assert "不是本程序的备份文件" in shown[-1] and window.model.total == 2
    assert window.backup_menu.restore_from(str(made[0]))
    in_background(qtbot)
    qtbot.waitUntil(lambda: window.model.total == 1 and window.model.rowCount() == 1, timeout=10000)
    assert window.model.data(window.model.index(0, 0)) == first
    assert "另存为" in shown[-1]


@pytest.mark.sqlite_only
def test_daily_backup_runs_in_the_background_at_start(qtbot, desk, tmp_path):
    desk.settings.put({"backup.folder": str(tmp_path / "daily")})
    window = MainWindow(desk)
    qtbot.addWidget(window)
    job = window.backup_menu.start_daily()
    qtbot.waitUntil(lambda: job.finished, timeout=10000)
    assert len(list(Path(tmp_path / "daily").glob("liaison-*.ldbk"))) == 1
    assert window.backup_menu.timer.isActive()
    job = window.backup_menu.start_daily()  # the hourly check: nothing new the same day
    qtbot.waitUntil(lambda: job.finished, timeout=10000)
    assert len(list(Path(tmp_path / "daily").glob("liaison-*.ldbk"))) == 1


def test_purge_dialog_shows_the_count_first(qtbot, desk, monkeypatch):
    import datetime as dt

    from tests.app.cases.test_retention import _closed_case
    from ui.dialogs.purge_dialog import PurgeDialog

    tz = dt.timezone(dt.timedelta(hours=8))
    old = _closed_case(desk, complaint, dt.datetime(2022, 3, 1, 10, tzinfo=tz), "13911110001")
    dialog = PurgeDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.count.text() == "1 件"  # the default: 3 years ago
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    in_background(qtbot)
    assert "1 件" in asked[0]
    assert desk.cases.show(old).as_json()["consumer"]["phone"] == ""
