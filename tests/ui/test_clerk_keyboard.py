"""What a clerk meets at 1366×768 by keyboard, driven through the real widgets with stored rows checked:
a consultation answered on the spot, the status bar's long warning, dialogs that keep typed text, stale
messages that go, Shift+Tab and Ctrl+Tab, settings boxes wide enough for a name."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import select

from app.storage.models import Case, Event
from tests.conftest import complaint
from tests.pdf_checks import plain
from tests.ui.typing import activate, press, type_text, when_modal
from ui.dialogs.holidays_dialog import HolidaysDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.dialogs.watch_dialog import WatchDialog
from ui.windows import case_view
from ui.windows.intake_form import IntakeForm
from ui.windows.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _shown(qtbot, widget):
    qtbot.addWidget(widget)
    activate(qtbot, widget)
    return widget


def test_a_consultation_asked_and_answered_at_intake_is_closed_with_its_answer(qtbot, desk, store):
    form = _shown(qtbot, IntakeForm(desk))
    press(qtbot, form, Qt.Key.Key_2, ALT)  # 咨询: the short form
    assert form.c_name.hasFocus() and not form.merchant_box.isVisible() and form.answer.isVisible()
    type_text(qtbot, form.c_name, "赵某")
    qtbot.keyClick(form.c_name, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.c_phone, "13900002222")
    press(qtbot, form, Qt.Key.Key_F, ALT)  # straight to the question
    assert form.facts.hasFocus()
    type_text(qtbot, form.facts, "预付卡商家关门了，余额怎么退？")
    qtbot.keyClick(form.facts, Qt.Key.Key_Tab)  # the answer is the next stop after the question
    assert form.answer.hasFocus()
    type_text(qtbot, form.answer, "可向市场监管部门投诉并申报债权，保留预付凭证。")
    assert form.save_button.text().startswith("保存、办结")
    press(qtbot, form.answer, Qt.Key.Key_S, CTRL)
    assert form.saved_case is not None
    no = form.saved_case["case_no"]
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == no))
        assert case.kind == "consultation" and case.state == "closed" and case.facts.startswith("预付卡")
        notes = [e.note for e in s.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))]
        assert notes[-1] == "答复：可向市场监管部门投诉并申报债权，保留预付凭证。"
    text = plain(desk.documents.receipt_pdf(no))
    assert "答复内容" in text and "申报债权" in text and "将尽快答复" not in text
    shown = case_view.CaseView(desk, no)
    qtbot.addWidget(shown)
    assert not shown.move_buttons["closed"].isVisible()  # answered and closed: nothing left to answer


def test_a_consultation_left_unanswered_stays_open_and_its_answer_dialog_shows_the_question(qtbot, desk, store):
    form = _shown(qtbot, IntakeForm(desk))
    press(qtbot, form, Qt.Key.Key_2, ALT)
    qtbot.keyClicks(form.c_phone, "13900002222")
    type_text(qtbot, form.facts, "网购衣服不合身能退吗？")
    assert form.save_button.text().startswith("保存并打印")
    press(qtbot, form.facts, Qt.Key.Key_S, CTRL)
    no = form.saved_case["case_no"]
    with store.read() as s:
        assert s.scalar(select(Case.state).where(Case.case_no == no)) == "registered"
    view = _shown(qtbot, case_view.CaseView(desk, no))
    seen = {}

    def answer(dialog):
        seen["intro"] = dialog.intro.text()
        assert dialog.widgets["reason"].hasFocus() or dialog.widgets["reason"].isVisible()
        type_text(qtbot, dialog.widgets["reason"], "七日无理由退货，商品完好即可。")
        press(qtbot, dialog.widgets["reason"], Qt.Key.Key_Return, CTRL)  # Ctrl+Enter submits

    when_modal(answer, after=view)
    press(qtbot, view, Qt.Key.Key_Return)  # Enter: 答复并办结 is the default button of a consultation
    qtbot.waitUntil(lambda: view.case.state == "closed", timeout=5000)
    assert "网购衣服不合身能退吗" in seen["intro"]
    assert desk.cases.show(no).as_json()["answer"] == "七日无理由退货，商品完好即可。"


def test_the_long_deadline_warning_fits_the_status_bar_and_can_be_read_in_full(qtbot, desk):
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    activate(qtbot, window)
    long = "2027年的放假安排（调休上班日）尚未公布或尚未录入：期限暂按法定节假日及依法补休计算，" * 4
    window.notice.set_notice(long)
    qtbot.waitUntil(lambda: window.notice.text().endswith("…"), timeout=3000)
    assert window.notice.geometry().right() <= window.statusBar().width()
    assert long in window.notice.toolTip()
    read = {}

    def close(box):
        read["text"] = box.text()
        press(qtbot, box, Qt.Key.Key_Escape)

    when_modal(close, after=None)
    window.actions_by_name["notice"].setEnabled(True)
    window.actions_by_name["notice"].trigger()  # 查看 ▸ 期限提醒全文
    assert read["text"] == long
    window.today.show_notice(long)
    assert window.today.notice.text() == long and window.today.notice.wordWrap()


def test_shift_tab_from_the_name_never_reaches_the_receipt_time(qtbot, desk):
    form = _shown(qtbot, IntakeForm(desk))
    before = form.received.dateTime()
    form.c_name.setFocus()
    qtbot.keyClick(form.c_name, Qt.Key.Key_Tab, SHIFT)
    focused = QApplication.focusWidget()
    assert focused is form.channel
    qtbot.keyClick(focused, Qt.Key.Key_Up)
    qtbot.keyClick(focused, Qt.Key.Key_Tab, SHIFT)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert form.received.dateTime() == before


def test_ctrl_tab_switches_the_case_window_tabs(qtbot, desk):
    no = desk.cases.add(complaint())["case_no"]
    view = _shown(qtbot, case_view.CaseView(desk, no))
    assert view.tabs.currentIndex() == 0
    press(qtbot, view.tabs, Qt.Key.Key_Tab, CTRL)
    assert view.tabs.currentIndex() == 1
    press(qtbot, view.tabs, Qt.Key.Key_Tab, CTRL)
    assert view.tabs.currentIndex() == 2
    press(qtbot, view.tabs, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert view.tabs.currentIndex() == 1


def test_holiday_dates_typed_are_not_lost_to_escape_and_a_wrong_date_message_goes_when_fixed(qtbot, desk,
                                                                                             monkeypatch):
    dialog = _shown(qtbot, HolidaysDialog(desk))
    dialog.year.setValue(2031)
    asked = []
    monkeypatch.setattr(HolidaysDialog, "confirm_discard", lambda self: asked.append(1) or False)
    press(qtbot, dialog, Qt.Key.Key_Escape)  # nothing typed: no question
    assert not asked
    dialog = _shown(qtbot, HolidaysDialog(desk))
    dialog.year.setValue(2031)
    dialog.holidays.setFocus()
    qtbot.keyClicks(dialog.holidays, "2031-13-01")
    dialog.save()
    assert dialog.error.isVisible() and "【" not in dialog.error.text()
    assert desk.calendar.year(2031) is None  # nothing stored
    qtbot.keyClick(dialog.holidays, Qt.Key.Key_Backspace)
    assert not dialog.error.isVisible()  # the stale message went with the edit
    press(qtbot, dialog.holidays, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()  # asked, and kept on 继续填写


def test_scam_list_message_goes_when_the_number_is_fixed_and_enter_adds_it(qtbot, desk):
    dialog = _shown(qtbot, WatchDialog(desk))
    dialog.number.setFocus()
    qtbot.keyClicks(dialog.number, "123")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    assert dialog.error.isVisible() and "号码" in dialog.error.text()
    qtbot.keyClicks(dialog.number, "4008001234"[3:])
    assert not dialog.error.isVisible()
    dialog.number.clear()
    qtbot.keyClicks(dialog.number, "4008001234")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    assert [w["number"] for w in desk.scams.list()] == ["4008001234"]
    assert not dialog.error.isVisible()


def test_questions_draw_nothing_over_their_fields(qtbot, desk):
    """The 不予受理 question (long grounds, a memo) and an error below it: every part below the one above."""
    no = desk.cases.add(complaint())["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    label, spec = case_view.MOVES["not_accepted"]
    spec = [(k, key, text, view._grounds(extra) if extra == "not_accepted" else extra) for k, key, text, extra in spec]
    from ui.dialogs.ask_dialog import AskDialog

    dialog = _shown(qtbot, AskDialog("不予受理", spec, lambda v: desk.cases.move(no, "not_accepted"), intro="说明" * 60))
    assert dialog.width() <= 900  # long grounds do not stretch it past a small screen
    press(qtbot, dialog.ok_button, Qt.Key.Key_Space)  # no ground chosen: refused, message shown
    qtbot.waitUntil(dialog.error.isVisible, timeout=3000)
    parts = [dialog.intro, dialog.widgets["reason_code"], dialog.widgets["reason"], dialog.error, dialog.ok_button]
    tops = [p.mapTo(dialog, p.rect().topLeft()).y() for p in parts]
    bottoms = [p.mapTo(dialog, p.rect().bottomLeft()).y() for p in parts]
    assert all(bottoms[i] < tops[i + 1] for i in range(len(parts) - 1)), (tops, bottoms)
    assert bottoms[-1] <= dialog.height()
    with desk.store.read() as s:
        assert s.scalar(select(Case.state).where(Case.case_no == no)) == "registered"


def test_settings_boxes_are_wide_enough_for_a_full_name(qtbot, desk):
    dialog = _shown(qtbot, SettingsDialog(desk))
    name = "示例市示例区某某大型购物中心消费维权联络点（东区）"
    dialog.inputs["point.name"].setText(name)
    edit = dialog.inputs["point.name"]
    assert edit.fontMetrics().horizontalAdvance(name) < edit.width()
    assert all(e.width() >= 400 for e in dialog.findChildren(QLineEdit) if e.isVisible())
    assert dialog.save_button.isVisible()
    assert dialog.save_button.mapTo(dialog, dialog.save_button.rect().bottomLeft()).y() <= dialog.height()


def test_a_settings_message_goes_when_its_box_is_edited_and_nothing_wrong_is_stored(qtbot, desk, monkeypatch):
    dialog = _shown(qtbot, SettingsDialog(desk))
    before = desk.settings.all().get("point.contact_phone", "")
    phone = dialog.inputs["point.contact_phone"]
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "6167")
    dialog.save()
    assert dialog.errors["point.contact_phone"].isVisible() and dialog.isVisible()
    assert desk.settings.all().get("point.contact_phone", "") == before
    qtbot.keyClicks(phone, "1254")
    assert not dialog.errors["point.contact_phone"].isVisible()
    asked = []
    monkeypatch.setattr(SettingsDialog, "confirm_discard", lambda self: asked.append(1) or False)
    press(qtbot, phone, Qt.Key.Key_Escape)  # typed, not saved: asked first, and kept
    assert asked and dialog.isVisible()


def test_an_edited_consumer_tip_is_not_lost_to_escape(qtbot, desk, monkeypatch):
    from ui.windows.poster_editor import PosterEditor

    editor = _shown(qtbot, PosterEditor(desk))
    last = editor.template.count() - 1
    editor.template.setCurrentIndex(last)  # the consumer tips come after the bulletin: editable
    assert not editor.body.isReadOnly()
    asked = []
    monkeypatch.setattr(PosterEditor, "confirm_discard", lambda self: asked.append(1) or False)
    press(qtbot, editor.body, Qt.Key.Key_Escape)  # nothing typed: closes without a question
    assert not asked and not editor.isVisible()
    editor = _shown(qtbot, PosterEditor(desk))
    editor.template.setCurrentIndex(last)
    editor.body.setFocus()
    type_text(qtbot, editor.body, "请保留购物小票")
    press(qtbot, editor.body, Qt.Key.Key_Escape)
    assert asked and editor.isVisible() and "请保留购物小票" in editor.body.toPlainText()
