"""A clerk's day driven by keyboard through the real main window: 今日待办, a complaint from intake to 办结,
a consultation answered, a returning consumer and a repeat complaint; stored rows checked after each."""
import datetime as dt

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from sqlalchemy import select

from app.core import clock
from app.storage.models import Case, Event
from tests.conftest import complaint
from tests.ui.typing import fill_dispute, press, type_text, when_modal
from ui.widgets.pdf_preview import PdfPreview
from ui.windows import case_view
from ui.windows.intake_form import IntakeForm
from ui.windows.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _window(qtbot, desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.today.work is not None, timeout=10000)  # read in the background
    return window


def _days_ago(n: int) -> str:
    return (clock.now() - dt.timedelta(days=n)).replace(microsecond=0).isoformat()


def test_today_page_counts_and_click_through(qtbot, desk):
    late = desk.cases.add(complaint(received_at=_days_ago(20), purchase_date=None))["case_no"]
    fresh = desk.cases.add(complaint(received_at=_days_ago(0), purchase_date=None))["case_no"]
    desk.cases.add({"kind": "consultation", "consumer": {"name": "赵某", "phone": "13900002222"},
                    "facts": "预付卡怎么退？"})
    window = _window(qtbot, desk)
    assert window.tabs.currentIndex() == 0  # the start page
    # the complaint registered just now waits for its decision too; the late one stands out
    assert window.today.cards["decision"].text() == "待作受理决定\n2 件\n已逾期 1"
    assert "color: #b00000" in window.today.cards["decision"].styleSheet()
    assert window.today.cards["consultation"].text() == "待答复咨询\n1 件\n临期 1"
    assert window.today.cards["mediation"].text() == "调解进行中\n0 件"
    summary = window.today.summary.text()
    assert "共 3 件待办" in summary and "已逾期 1 件" in summary and "临期 1 件" in summary
    shown = [window.today.rows.text(r, 2) for r in range(window.today.rows.rowCount())]
    assert shown.index(late) < shown.index(fresh)  # the overdue first
    window.today.cards["decision"].setFocus()
    press(qtbot, window.today.cards["decision"], Qt.Key.Key_Space)
    assert window.tabs.currentIndex() == 1
    assert window.state.currentText() == "待作受理决定"
    qtbot.waitUntil(lambda: window.model.total == 2, timeout=10000)  # the list is read in the background
    assert [window.model.case_no(0), window.model.case_no(1)] == [fresh, late]  # newest first
    # The state filter's own 逾期 / 在办 entries.
    window.state.setFocus()
    window.state.setCurrentIndex(window.state.findData("due:open"))
    qtbot.waitUntil(lambda: window.model.total == 3, timeout=10000)
    window.state.setCurrentIndex(window.state.findData("due:overdue"))
    qtbot.waitUntil(lambda: window.model.total == 1, timeout=10000)
    press(qtbot, window.table, Qt.Key.Key_1, CTRL)
    assert window.tabs.currentIndex() == 0
    press(qtbot, window.today.table, Qt.Key.Key_Tab, CTRL)
    assert window.tabs.currentIndex() == 1


def test_a_complaint_from_intake_to_closing_by_keyboard(qtbot, desk, store):
    window = _window(qtbot, desk)
    seen = {}

    def fill(form: IntakeForm):
        press(qtbot, form, Qt.Key.Key_1, ALT)  # 投诉
        assert form.c_name.hasFocus()
        type_text(qtbot, form.c_name, "王某兰")
        qtbot.keyClick(form.c_name, Qt.Key.Key_Tab)
        assert form.c_phone.hasFocus()
        qtbot.keyClicks(form.c_phone, "13900001234")
        fill_dispute(qtbot, form)
        # An arrow key on the receipt time changes nothing until it is unlocked on purpose.
        before = form.received.dateTime()
        qtbot.keyClick(form.received, Qt.Key.Key_Down)
        assert form.received.dateTime() == before
        when_modal(lambda preview: (seen.setdefault("preview", preview.windowTitle()),
                                    press(qtbot, preview, Qt.Key.Key_Escape)), after=form)
        press(qtbot, form.facts, Qt.Key.Key_S, CTRL)

    when_modal(fill, after=None)
    press(qtbot, window.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: "preview" in seen, timeout=10000)  # the receipt is made in the background
    assert seen["preview"].startswith("登记回执")
    with store.read() as s:
        case = s.scalar(select(Case))
        no = case.case_no
        assert case.consumer.name == "王某兰" and case.category == "appliances" and case.demands == "refund"

    def work(view: case_view.CaseView):
        def confirm(box):
            assert "调解期限" in box.text()
            press(qtbot, box, Qt.Key.Key_Y, ALT)
            qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)

        when_modal(confirm, after=view)
        press(qtbot, view, Qt.Key.Key_A, ALT)  # 受理 (an Alt letter clicks the button a moment later)
        qtbot.waitUntil(lambda: view.case.state == "accepted", timeout=5000)

        def mediate(dialog):
            dialog.widgets["mode"].setFocus()
            qtbot.keyClick(dialog.widgets["mode"], Qt.Key.Key_Down)
            qtbot.keyClick(dialog.widgets["participants"].boxes["consumer"], Qt.Key.Key_Space)
            type_text(qtbot, dialog.widgets["offer"], "退款299元")
            press(qtbot, dialog.ok_button, Qt.Key.Key_Space)

        when_modal(mediate, after=view)
        press(qtbot, view, Qt.Key.Key_M, ALT)
        qtbot.waitUntil(lambda: view.case.state == "mediating", timeout=5000)

        def resolve(dialog):
            type_text(qtbot, dialog.widgets["terms"], "经营者退款299元")
            press(qtbot, dialog.ok_button, Qt.Key.Key_Space)

        when_modal(resolve, after=view)
        press(qtbot, view, Qt.Key.Key_G, ALT)
        qtbot.waitUntil(lambda: view.case.state == "resolved", timeout=5000)
        assert not view.move_buttons["closed"].isVisible()  # 办结 only after the follow-up visit

        def visit(dialog):
            intro = " ".join(label.text() for label in dialog.findChildren(QLabel))
            assert "回访对象：王某兰　电话 139 0000 1234" in intro  # the opened case: whom to call, in full, as read out
            dialog.widgets["satisfaction"].setFocus()
            qtbot.keyClick(dialog.widgets["satisfaction"], Qt.Key.Key_Down)
            press(qtbot, dialog.ok_button, Qt.Key.Key_Space)

        when_modal(visit, after=view)
        press(qtbot, view, Qt.Key.Key_V, ALT)
        qtbot.waitUntil(view.move_buttons["closed"].isVisible, timeout=5000)
        when_modal(lambda box: press(qtbot, box, Qt.Key.Key_Y, ALT), after=view)
        press(qtbot, view, Qt.Key.Key_C, ALT)
        qtbot.waitUntil(lambda: view.case.state == "closed", timeout=5000)
        press(qtbot, view, Qt.Key.Key_Escape)

    worked = when_modal(work, after=None)
    press(qtbot, window.table, Qt.Key.Key_2, CTRL)
    window.table.setFocus()
    window.table.selectRow(0)
    press(qtbot, window.table, Qt.Key.Key_Return)  # the case is read in the background, then its window opens
    qtbot.waitUntil(lambda: worked["done"] and QApplication.activeModalWidget() is None, timeout=30000)
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == no))
        assert case.state == "closed" and case.satisfaction == "satisfied" and case.outcome_terms == "经营者退款299元"
        states = [e.to_state for e in s.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))]
        assert states[0] == "registered" and states[-1] == "closed" and "resolved" in states


def test_a_consultation_is_answered_and_the_receipt_says_what(qtbot, desk, store):
    from tests.pdf_checks import plain

    no = desk.cases.add({"kind": "consultation", "consumer": {"name": "赵某", "phone": "13900002222"},
                         "facts": "预付卡商家关门了怎么办？"})["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    view.show()
    assert view.move_buttons["closed"].text().startswith("答复并办结")
    errors = []

    def answer(dialog):
        press(qtbot, dialog.ok_button, Qt.Key.Key_Space)  # empty: refused, says why
        errors.append(dialog.error.text())
        type_text(qtbot, dialog.widgets["reason"], "可向发卡经营者所在地市场监管部门投诉，并保留预付凭证。")
        assert dialog.error.text() == ""  # the stale message went with the typing
        press(qtbot, dialog.ok_button, Qt.Key.Key_Space)

    when_modal(answer, after=None)
    press(qtbot, view, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(lambda: view.case.state == "closed", timeout=5000)
    assert errors and "答复" in errors[0]
    shown = desk.cases.show(no).as_json()
    assert shown["state"] == "closed" and shown["answer"].startswith("可向发卡经营者")
    text = plain(desk.documents.receipt_pdf(no))
    assert "答复内容" in text and "可向发卡经营者" in text and "将尽快答复" not in text


def test_returning_consumer_and_repeat_complaint(qtbot, desk, store):
    first = desk.cases.add(complaint())["case_no"]
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.c_phone, "13900001234")
    qtbot.waitUntil(form.returning_hint.isVisible, timeout=3000)
    assert first in form.returning_hint.text()
    assert form.c_name.text() == "王某兰"  # filled from the earlier case
    type_text(qtbot, form.m_name, "测试电器店（虚构）")
    form.category.set_code("appliances")
    form.nature.set_code("quality")
    type_text(qtbot, form.product, "电热水壶")
    type_text(qtbot, form.facts, "又漏电了。")
    form.demand_boxes["refund"].setChecked(True)
    asked = []

    def link(box):
        asked.append(box.text())
        press(qtbot, box, Qt.Key.Key_L, ALT)  # 关联到该案
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)

    when_modal(link, after=None)
    form.save()
    assert asked and first in asked[0]
    assert form.linked_case == first and form.saved_case is None
    with store.read() as s:
        assert s.query(Case).count() == 1
        notes = [e.note for e in s.scalars(select(Event).where(Event.action == "note"))]
        assert notes and "又漏电了" in notes[0]


def test_geometry_is_remembered(qtbot, desk, tmp_path):
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(desk, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.resize(720, 520)
    saved = window.size()
    window.close()
    again = MainWindow(desk, settings=QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.size() == saved and saved.width() < 1000


def test_preview_fits_the_width_and_zooms(qtbot, desk):
    no = desk.cases.add(complaint())["case_no"]
    preview = PdfPreview(desk.documents.receipt_pdf(no), "登记回执", "回执.pdf")
    qtbot.addWidget(preview)
    preview.resize(700, 600)
    preview.show()
    qtbot.waitExposed(preview)
    fitted = preview.page_labels[0].pixmap().width()
    assert fitted <= preview.pages.viewport().width()
    press(qtbot, preview, Qt.Key.Key_Equal, CTRL)
    assert preview.page_labels[0].pixmap().width() > fitted
    press(qtbot, preview, Qt.Key.Key_0, CTRL)
    assert preview.page_labels[0].pixmap().width() == fitted
    assert preview.print_button.isVisible() and preview.print_button.geometry().bottom() <= preview.height()


def test_escape_in_a_question_with_typed_text_asks_first(qtbot, desk, monkeypatch):
    from ui.dialogs.ask_dialog import AskDialog

    dialog = case_view.follow_up_dialog(desk, desk.cases.add(complaint())["case_no"])
    qtbot.addWidget(dialog)
    dialog.show()
    asked = []
    monkeypatch.setattr(AskDialog, "confirm_discard", lambda self: asked.append(1) or False)
    type_text(qtbot, dialog.widgets["note"], "消费者说")
    press(qtbot, dialog.widgets["note"], Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Rejected or dialog.isVisible()
    assert QApplication.activeModalWidget() is None


def test_visit_from_the_start_page_names_whom_to_call_masked(qtbot, desk):
    no = desk.cases.add(complaint(received_at=_days_ago(10), purchase_date=None))["case_no"]
    desk.cases.move(no, "accepted", at=_days_ago(9))
    desk.cases.mediate(no, "phone", ["consumer", "merchant"], offer="退款", at=_days_ago(8))
    desk.cases.move(no, "resolved", terms="经营者退款299元", remedies=["refund"], at=_days_ago(7))
    window = _window(qtbot, desk)
    row = next(r for r in range(window.today.rows.rowCount()) if window.today.rows.text(r, 2) == no)
    window.today.table.selectRow(row)
    seen = {}

    def answer(dialog):
        seen["intro"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
        dialog.reject()

    state = when_modal(answer, after=window)
    press(qtbot, window.today.table, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: state["done"], timeout=5000)
    assert "回访对象：王*兰　电话 139****1234" in seen["intro"] and "13900001234" not in seen["intro"]
