"""Every slow action of the window runs off its thread (ui/ops.py), with a heartbeat ticking on it.

Each action is started as a user starts it; when the call returns, its work must still be in flight (a
result comes back only through the event loop), so the window kept answering while it ran. The heartbeat
counts what the event loop did meanwhile; bench/bench_stall.py measures the longest gap on a large database.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QMessageBox

from tests.conftest import complaint
from tests.ui.typing import in_background
from ui import ops


class Heartbeat:
    """A 5 ms timer on the window's thread: how often it ticked and its longest gap."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.ticks, self.longest, self._last = 0, 0, 0

    def start(self) -> None:
        self.clock.start()
        self.ticks, self.longest, self._last = 0, 0, 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1


@pytest.fixture
def heart(qtbot):
    beat = Heartbeat()
    yield beat
    beat.timer.stop()


def answered_throughout(qtbot, heart: Heartbeat, action) -> None:
    heart.start()
    action()
    in_background(qtbot, 60000)  # the action returned with its work still running elsewhere
    print(f"heartbeat: {heart.ticks} ticks, longest gap {heart.longest} ms")


@pytest.fixture
def window(qtbot, desk):
    from ui.windows.main_window import MainWindow

    w = MainWindow(desk)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not ops.in_flight(), timeout=30000)  # its first page and work list
    return w


def test_saving_a_holiday_arrangement(qtbot, desk, heart):
    from ui.dialogs.holidays_dialog import HolidaysDialog

    desk.cases.move(desk.cases.add(complaint())["case_no"], "accepted")  # its mediation runs into 2027
    dialog = HolidaysDialog(desk)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2027)
    dialog.holidays.setPlainText("2027-01-01\n2027-02-05~2027-02-11")
    answered_throughout(qtbot, heart, dialog.save)
    assert dialog.updated is not None and desk.calendar.year(2027) is not None
    assert dialog.result() == dialog.DialogCode.Accepted


@pytest.mark.sqlite_only
def test_backup_and_restore(qtbot, desk, window, heart, tmp_path, monkeypatch):
    desk.settings.put({"backup.folder": str(tmp_path / "backups")})
    kept = desk.cases.add(complaint())["case_no"]
    answered_throughout(qtbot, heart, window.backup_menu.backup_now)
    made = next((tmp_path / "backups").glob("*.ldbk"))
    desk.cases.add(complaint())
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    answered_throughout(qtbot, heart, lambda: window.backup_menu.restore_from(str(made)))
    qtbot.waitUntil(lambda: window.model.total == 1, timeout=10000)  # every screen heard of the restore
    assert window.model.case_no(0) == kept


def test_purging_old_personal_data(qtbot, desk, heart, monkeypatch):
    from tests.app.cases.test_retention import _closed_case
    from ui.dialogs.purge_dialog import PurgeDialog

    old = _closed_case(desk, complaint, dt.datetime(2022, 3, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                       "13911110001")
    dialog = PurgeDialog(desk)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    answered_throughout(qtbot, heart, dialog.purge)
    assert desk.cases.show(old).as_json()["consumer"]["phone"] == ""


def test_council_package_and_merge(qtbot, desk, heart, tmp_path):
    from ui.windows.council_window import CouncilMergeDialog, CouncilPackageDialog

    desk.cases.add(complaint())
    month = dt.date.today().strftime("%Y-%m")
    package = CouncilPackageDialog(desk, None, month)
    qtbot.addWidget(package)
    target = tmp_path / "point.zip"
    answered_throughout(qtbot, heart, lambda: package.package_to(str(target)))
    assert "package.json" in zipfile.ZipFile(target).namelist()
    key_file = tmp_path / "point.pub"
    key_file.write_text(desk.council.key_file_text(package.keys), encoding="utf-8")
    merge = CouncilMergeDialog(desk)
    qtbot.addWidget(merge)
    assert merge.trust_file(str(key_file))
    merge.add_files([str(target)])
    answered_throughout(qtbot, heart, merge.merge)
    assert merge.district is not None and merge.pdf_button.isEnabled()


def test_case_window_documents(qtbot, desk, heart, monkeypatch):
    from ui.widgets import pdf_preview
    from ui.windows.case_view import CaseView

    no = desk.cases.add(complaint())["case_no"]
    view = CaseView(desk, no)
    qtbot.addWidget(view)
    shown: list[str] = []
    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    answered_throughout(qtbot, heart, lambda: view.print_actions["receipt"].trigger())
    assert shown and shown[0].startswith("登记回执")


def test_poster_studio_preview(qtbot, desk, heart):
    from ui.windows.poster_editor import PosterEditor

    editor = PosterEditor(desk)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.pdf is not None, timeout=30000)
    first = editor.pdf
    answered_throughout(qtbot, heart, lambda: editor.paper.setCurrentText("A3"))
    assert editor.pdf is not first and "A3" in editor.pages_label.text()


@pytest.mark.sqlite_only
def test_demo_desk_opens_and_fills(qtbot, window, heart, tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_DATA_DIR", str(tmp_path / "data"))
    answered_throughout(qtbot, heart, window.toggle_demo)
    assert window.demo and window.demo_action.isChecked()
    qtbot.waitUntil(lambda: window.model.total == 300, timeout=30000)
    assert Path(tmp_path / "data" / "liaison-demo.db").exists()


def test_audit_window_checks_the_whole_chain_in_the_background(qtbot, desk, heart):
    from ui.windows.audit_window import AuditWindow

    desk.cases.add(complaint())
    holder: dict = {}
    answered_throughout(qtbot, heart, lambda: holder.setdefault("w", AuditWindow(desk)))
    window = holder["w"]
    qtbot.addWidget(window)
    assert window.checked is not None and window.checked.ok and window.checked.full
