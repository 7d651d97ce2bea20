"""常用语 at the keyboard: Ctrl+空格 or // in a real text box of a real dialog opens the filtered list; Enter
inserts at the cursor; the supervisor's dialog saves a new phrase; a staff member cannot open it."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import complaint
from tests.ui.typing import activate, type_text, when_modal
from ui.dialogs.phrases_dialog import PhrasesDialog
from ui.widgets.phrase_picker import PhrasePopup
from ui.windows import case_view
from ui.windows.intake_form import IntakeForm

CTRL = Qt.KeyboardModifier.ControlModifier


def _popup(qtbot, edit) -> PhrasePopup:
    qtbot.waitUntil(lambda: any(p.isVisible() for p in edit.findChildren(PhrasePopup)), timeout=3000)
    return next(p for p in edit.findChildren(PhrasePopup) if p.isVisible())


def _resolved_case(desk) -> str:
    no = desk.cases.add(complaint())["case_no"]
    desk.cases.move(no, "accepted")
    desk.cases.mediate(no, "phone", ["consumer", "merchant"], offer="退款")
    desk.cases.move(no, "resolved", terms="经营者退款299元", remedies=["refund"])
    return no


def test_slashes_in_the_follow_up_note_insert_a_phrase_in_their_place(qtbot, desk):
    desk.phrases.add("hfok", "消费者确认已收到退款，对处理结果满意。", "follow_up")
    desk.phrases.add("tqhf", "通用：已告知消费者如有问题可再来电。", "all")
    desk.phrases.add("qita", "只用于咨询答复。", "answer")
    no = _resolved_case(desk)
    dialog = case_view.follow_up_dialog(desk, no)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    note = dialog.widgets["note"]
    note.setFocus()
    type_text(qtbot, note, "电话回访：")
    qtbot.keyClicks(note, "//")
    popup = _popup(qtbot, note)
    titles = [p.title for p in popup.shown]
    assert "hfok" in titles and "tqhf" in titles and "qita" not in titles  # its own and the general ones
    assert "七日" not in titles
    qtbot.keyClicks(popup.filter, "hf")
    assert [p.title for p in popup.shown][:2] == ["hfok", "tqhf"]  # the title starting with it first
    qtbot.keyClick(popup.filter, Qt.Key.Key_Down)
    qtbot.keyClick(popup.filter, Qt.Key.Key_Up)
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert note.toPlainText() == "电话回访：消费者确认已收到退款，对处理结果满意。"  # the // gone
    type_text(qtbot, note, "再")
    assert note.toPlainText().endswith("满意。再")  # typing goes on at the cursor, after the phrase
    dialog.widgets["satisfaction"].set_code("satisfied")
    dialog.try_submit()
    shown = desk.cases.show(no).as_json()
    assert "消费者确认已收到退款" in shown["events"][-1]["note"]


def test_ctrl_space_in_the_intake_answer_filters_in_chinese_and_esc_keeps_the_text(qtbot, desk):
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    activate(qtbot, form)
    answer = form.answer
    answer.setFocus()
    type_text(qtbot, answer, "您好。")
    qtbot.keyClick(answer, Qt.Key.Key_Space, CTRL)
    popup = _popup(qtbot, answer)
    assert {p.applies_to for p in popup.shown} <= {"answer", "all"}
    qtbot.keyClick(popup.filter, Qt.Key.Key_Escape)
    assert not popup.isVisible() and answer.toPlainText() == "您好。"
    qtbot.keyClicks(answer, "http://")  # after a letter, // is no trigger
    QApplication.processEvents()
    assert not any(p.isVisible() for p in answer.findChildren(PhrasePopup))
    answer.selectAll()
    type_text(qtbot, answer, "您好。")
    qtbot.keyClick(answer, Qt.Key.Key_Space, CTRL)
    popup = _popup(qtbot, answer)
    type_text(qtbot, popup.filter, "七日")
    assert popup.current().title == "七日"
    assert "第二十五条" in popup.preview.text()
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    text = answer.toPlainText()
    assert text.startswith("您好。根据《消费者权益保护法》第二十五条") and "实体店" in text


def test_not_accepted_explanation_in_the_case_window(qtbot, desk, monkeypatch):
    no = desk.cases.add(complaint())["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)

    def run(view, dialog):
        activate(qtbot, dialog)
        reason = dialog.widgets["reason"]
        reason.setFocus()
        qtbot.keyClick(reason, Qt.Key.Key_Space, CTRL)
        popup = _popup(qtbot, reason)
        assert {p.applies_to for p in popup.shown} <= {"not_accepted", "all"}
        type_text(qtbot, popup.filter, "不受理")
        qtbot.keyClick(popup.filter, Qt.Key.Key_Enter)
        assert "第三十九条" in reason.toPlainText()
        grounds = dialog.widgets["reason_code"]
        grounds.setCurrentIndex(1)
        dialog.try_submit()
        return dialog.result()

    monkeypatch.setattr(case_view.CaseView, "_run_dialog", run)
    view.move_case("not_accepted")
    shown = desk.cases.show(no).as_json()
    assert shown["state"] == "not_accepted" and "第三十九条" in shown["events"][-1]["note"]


def test_the_mediation_record_offers_mediation_phrases(qtbot, desk, monkeypatch):
    no = desk.cases.add(complaint())["case_no"]
    desk.cases.move(no, "accepted")
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    seen = {}

    def run(view, dialog):
        activate(qtbot, dialog)
        for field, trigger in (("offer", "//"), ("answer", "、、")):  # 、、: // with the Chinese input method on
            box = dialog.widgets[field]
            box.setFocus()
            type_text(qtbot, box, trigger)
            popup = _popup(qtbot, box)
            seen[field] = {p.applies_to for p in popup.shown}
            qtbot.keyClick(popup.filter, Qt.Key.Key_Escape)
        assert dialog.widgets["offer"].toPlainText() == "//"  # Esc leaves what was typed
        return 0

    monkeypatch.setattr(case_view.CaseView, "_run_dialog", run)
    view.task("mediate")
    assert seen["offer"] == seen["answer"] and "mediation" in seen["offer"] and seen["offer"] <= {"mediation", "all"}


def test_the_supervisor_saves_a_new_phrase_and_edits_one(qtbot, desk):
    dialog = PhrasesDialog(desk)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    before = dialog.table.rowCount()
    assert before >= 5
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.title, Qt.Key.Key_S, CTRL)
    assert "简称" in dialog.error.text() and "内容" in dialog.error.text()  # each field named
    type_text(qtbot, dialog.title, "退款时限")
    dialog.applies_to.set_code("mediation")
    type_text(qtbot, dialog.body, "经营者同意于七日内退款。")
    qtbot.keyClick(dialog, Qt.Key.Key_S, CTRL)
    assert dialog.error.text() == ""
    assert dialog.table.rowCount() == before + 1
    saved = next(p for p in desk.phrases.list("mediation") if p.title == "退款时限")
    assert saved.body == "经营者同意于七日内退款。"
    assert dialog.editing == saved.id and dialog.save_button.text().startswith("保存修改")
    dialog.body.setPlainText("经营者同意于三日内退款。")
    dialog.save()
    assert next(p for p in desk.phrases.list() if p.id == saved.id).body == "经营者同意于三日内退款。"
    when_modal(lambda box: next(b for b in box.buttons() if b.text().startswith("删除")).click())
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert saved.id not in {p.id for p in desk.phrases.list()}
    entries = desk.audit.trail()
    assert sum(1 for e in entries if e["action"] == "phrases") == 3


def test_a_staff_member_cannot_open_it_and_is_refused_anyway(qtbot, desk):
    from app.staff import accounts
    from ui.windows.main_window import MainWindow

    with desk.store.write() as s:
        accounts.create(s, "xiaozhang", "小张", "staff", "Zhang-2026-pw")
    desk.accounts.sign_in("xiaozhang", "Zhang-2026-pw")
    window = MainWindow(desk)
    qtbot.addWidget(window)
    act = window.actions_by_name["phrases"]
    assert not act.isEnabled() and act.toolTip() == "只有负责人可以修改常用语"
    dialog = PhrasesDialog(desk)  # were it opened all the same (a role changed meanwhile): refused, nothing saved
    qtbot.addWidget(dialog)
    dialog.title.setText("新")
    dialog.body.setPlainText("新内容")
    dialog.save()
    assert "只有负责人可以修改常用语" in dialog.error.text()
    assert "新" not in {p.title for p in desk.phrases.list()}
