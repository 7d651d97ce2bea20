"""电话查询 and 文书登记簿 in the window, typed as a clerk would."""
from PySide6.QtCore import Qt

from tests.conftest import complaint
from tests.ui.typing import activate
from ui.dialogs.phone_lookup_dialog import PhoneLookupDialog
from ui.windows.main_window import MainWindow
from ui.windows.register_window import RegisterWindow


def test_phone_lookup_by_case_number_and_check_code(qtbot, desk):
    case_no = desk.cases.add(complaint())["case_no"]
    code = desk.cases.show(case_no).as_json()["check_code"]
    dialog = PhoneLookupDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.case_no, case_no)
    qtbot.keyClick(dialog.case_no, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.code, "ZZZZZZ")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert "查询码不正确" in dialog.error.text() and dialog.answer.isHidden()
    dialog.code.clear()
    assert dialog.error.isHidden()  # the message went with the typing
    qtbot.keyClicks(dialog.code, f"{code[:3].lower()} {code[3:]}")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.error.isHidden() and not dialog.answer.isHidden()
    assert "目前状态：登记" in dialog.answer.text() and "受理" in dialog.answer.text()
    actions = [e["action"] for e in desk.audit.entries() if e["case_no"] == case_no]
    assert actions.count("lookup") == 1 and actions.count("lookup_refused") == 1


def test_phone_lookup_and_register_open_from_the_keyboard(qtbot, desk, monkeypatch):
    opened = []
    monkeypatch.setattr("ui.windows.main_window.run_modal", lambda dialog: opened.append(type(dialog).__name__))
    window = MainWindow(desk)
    qtbot.addWidget(window)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["PhoneLookupDialog", "RegisterWindow"]


def test_register_window_lists_printed_documents_and_exports(qtbot, desk, tmp_path):
    case_no = desk.cases.add(complaint())["case_no"]
    desk.documents.receipt_pdf(case_no)
    desk.documents.printed("receipt", case_no, "打印机")
    desk.documents.printed("receipt", case_no, "打印机")
    window = RegisterWindow(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    assert window.table.rowCount() == 1
    assert window.table.item(0, 0).text().startswith("回执 ") and window.table.item(0, 2).text() == case_no
    assert window.table.item(0, 5).text() == "2"
    out = tmp_path / "登记簿.csv"
    window.export_file(str(out))
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("文书编号,文书,案件编号") and case_no in text
