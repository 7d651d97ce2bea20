"""The law in the window: entering a year's arrangement moves open cases' due dates in the list and the case."""
import datetime as dt

from PySide6.QtCore import Qt

from tests.conftest import complaint
from tests.ui.test_main_window import answer_with
from tests.ui.typing import in_background, type_text
from ui.dialogs.holidays_dialog import HolidaysDialog
from ui.models.case_table_model import COLUMNS, CaseTableModel
from ui.windows import case_view


def listed(desk) -> CaseTableModel:
    """The list model as the window fills it: a page of rows from the desk."""
    from app.cases.records import CaseFilter

    model = CaseTableModel()
    model.set_rows(*desk.cases.rows(CaseFilter(), "received_at", True, None, 200, desk.calendar.current()))
    return model


def test_entering_an_arrangement_in_the_window_moves_an_open_case(qtbot, desk, tmp_path):
    no = desk.cases.add(complaint(received_at="2026-11-02T10:00:00+08:00", purchase_date="2026-10-01"))["case_no"]
    desk.cases.move(no, "accepted", at="2026-11-02T11:00:00+08:00")
    model = listed(desk)
    due_col = [c[0] for c in COLUMNS].index("期限")
    assert model.data(model.index(0, due_col)) == "2027-01-04 调解"  # New Year's Day is statutory

    dialog = HolidaysDialog(desk)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2027)
    assert "调休上班日尚未公布" in dialog.origin.text()
    type_text(qtbot, dialog.holidays, "2027-01-01~2027-01-04\n2027-02-05~2027-02-11")
    type_text(qtbot, dialog.workdays, "2026-12-26\n2027-02-20")
    dialog.save()
    in_background(qtbot)
    assert dialog.updated == 1
    assert desk.cases.show(no).as_json()["mediation_due"] == "2027-01-05"
    model = listed(desk)
    assert model.data(model.index(0, due_col)) == "2027-01-05 调解"
    assert desk.calendar.current().is_workday(dt.date(2026, 12, 26))
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    assert view.case.deadlines.current.due == dt.date(2027, 1, 5)


def test_arrangement_file_fills_the_dialog(qtbot, desk, tmp_path):
    f = tmp_path / "2027.txt"
    f.write_text("2027-01-01 休\n2026-12-26 班\n", encoding="utf-8")
    dialog = HolidaysDialog(desk)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2027)
    dialog.load_file(str(f))
    assert dialog.holidays.toPlainText() == "2027-01-01" and dialog.workdays.toPlainText() == "2026-12-26"
    f.write_text("2027-01-01 放假\n", encoding="utf-8")
    dialog.load_file(str(f))
    assert "第1行" in dialog.error.text()


def test_pause_dialog_offers_only_appraisal_reasons(qtbot, desk, monkeypatch):
    no = desk.cases.add(complaint())["case_no"]
    desk.cases.move(no, "accepted")
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    seen = {}

    def run(self, dialog):
        seen["choices"] = [dialog.widgets["reason_code"].itemText(i) for i in range(dialog.widgets["reason_code"].count())]
        return answer_with({"reason_code": "appraisal", "reason": "送质检所鉴定"})(self, dialog)

    monkeypatch.setattr(case_view.CaseView, "_run_dialog", run)
    qtbot.mouseClick(view.task_buttons["pause"], Qt.MouseButton.LeftButton)
    assert [c for c in seen["choices"] if c != "（请选择）"] == ["检定", "检验", "检测", "鉴定"]
    assert view.case.paused_since and view.case.pauses[0].reason_code == "appraisal"


def test_termination_question_lists_the_cases_own_grounds(qtbot, desk, monkeypatch):
    no = desk.cases.add(complaint(received_at="2026-03-02T10:00:00+08:00", purchase_date="2026-01-01"))["case_no"]
    desk.cases.move(no, "accepted", at="2026-03-02T11:00:00+08:00")
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    seen = {}

    def run(self, dialog):
        w = dialog.widgets["reason_code"]
        seen["choices"] = [w.itemText(i) for i in range(w.count())]
        return answer_with({"reason_code": "time_limit_passed"})(self, dialog)

    monkeypatch.setattr(case_view.CaseView, "_run_dialog", run)
    qtbot.mouseClick(view.move_buttons["terminated"], Qt.MouseButton.LeftButton)
    assert any("四十五个工作日" in c for c in seen["choices"]) and not any("六十日" in c for c in seen["choices"])
    assert not any("死亡" in c for c in seen["choices"])  # Order No. 20 lists no such ground
    assert view.case.state == "terminated" and view.case.notice.due
