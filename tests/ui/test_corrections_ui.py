"""更正 in the case window, and the intake form asking which merchant is meant."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.storage.models import Case, Event, Merchant
from tests.conftest import complaint
from tests.ui.test_intake_form import fill_complaint
from tests.ui.typing import activate, type_text, when_modal
from ui.windows.case_view import CaseView
from ui.windows.intake_form import IntakeForm

USCC = "91310105MA1FL00004"


def test_correct_a_case_in_its_window(qtbot, desk, store):
    no = desk.cases.add(complaint())["case_no"]
    view = CaseView(desk, no)
    qtbot.addWidget(view)
    activate(qtbot, view)
    button = view.task_buttons["correct"]
    assert button.isVisible()

    def answer(dialog):
        product = dialog.widgets["product"]
        product.selectAll()
        type_text(qtbot, product, "电饭煲")
        phone = dialog.widgets["consumer.phone"]
        phone.selectAll()
        type_text(qtbot, phone, "13811112222")
        type_text(qtbot, dialog.widgets["reason"], "登记时写错")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    state = when_modal(answer)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert state["done"]
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == no))
        assert case.product == "电饭煲" and case.consumer.phone == "13811112222"
        notes = [e.note for e in s.scalars(select(Event).where(Event.case_id == case.id, Event.action == "correct"))]
    assert len(notes) == 1 and "登记时写错" in notes[0] and "138****2222" in notes[0]
    assert "电饭煲" in view.case.product  # the window shows the corrected case
    # The history shows what was corrected, old and new, the phone masked; every line of it, not one cut off.
    table = view.history_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text().startswith("更正"))
    shown = table.item(row, 3).text()
    assert "商品或服务：电热水壶 → 电饭煲" in shown and "消费者电话：139****1234 → 138****2222" in shown
    assert "13811112222" not in shown and "13900001234" not in shown
    lines = shown.count("\n") + 1
    assert lines == 3 and table.rowHeight(row) >= lines * table.fontMetrics().lineSpacing()


def test_a_correction_without_reason_is_refused_in_the_dialog(qtbot, desk, store):
    no = desk.cases.add(complaint())["case_no"]
    view = CaseView(desk, no)
    qtbot.addWidget(view)
    activate(qtbot, view)
    seen = {}

    def answer(dialog):
        dialog.widgets["brand"].selectAll()
        type_text(qtbot, dialog.widgets["brand"], "别的牌")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        seen["error"] = dialog.error.text()
        seen["open"] = dialog.isVisible()
        dialog.reject()

    when_modal(answer)
    qtbot.mouseClick(view.task_buttons["correct"], Qt.MouseButton.LeftButton)
    assert "更正原因" in seen["error"] and seen["open"]
    with store.read() as s:
        assert s.scalar(select(Case.brand).where(Case.case_no == no)) == "测试牌"


def _form_with_other_name(qtbot, desk):
    desk.merchants.save({"name": "登记的电器行（虚构）", "uscc": USCC})
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    fill_complaint(qtbot, form)  # types 测试电器店（虚构） with the same USCC
    activate(qtbot, form)
    return form


def test_intake_asks_which_merchant_and_files_against_the_registered_one(qtbot, desk, store):
    form = _form_with_other_name(qtbot, desk)
    seen = {}

    def answer(box):
        seen["text"] = box.text()
        qtbot.mouseClick(box.registered, Qt.MouseButton.LeftButton)

    when_modal(answer, after=form)
    with qtbot.waitSignal(form.saved, timeout=8000) as saved:
        qtbot.keyClick(form.facts, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "登记的电器行（虚构）" in seen["text"] and "测试电器店（虚构）" in seen["text"]
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == saved.args[0]))
        assert case.merchant.name == "登记的电器行（虚构）"
        assert len(s.scalars(select(Merchant)).all()) == 1


def test_intake_going_back_stores_nothing_and_marks_the_field(qtbot, desk, store):
    form = _form_with_other_name(qtbot, desk)

    def answer(box):
        back = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
        qtbot.mouseClick(back, Qt.MouseButton.LeftButton)

    state = when_modal(answer, after=form)
    qtbot.keyClick(form.facts, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: state["done"], timeout=5000)
    assert form.isVisible() and "已登记为" in form.form_error.text()
    with store.read() as s:
        assert s.scalars(select(Case)).all() == []


def test_an_amount_never_entered_is_an_empty_field_not_0_00(qtbot, desk, store):
    no = desk.cases.add(complaint(amount_paid=None, amount_claimed="500"))["case_no"]
    view = CaseView(desk, no)
    qtbot.addWidget(view)
    activate(qtbot, view)
    seen = {}

    def answer(dialog):
        seen["paid"] = dialog.widgets["amount_paid"].text()
        seen["claimed"] = dialog.widgets["amount_claimed"].text()
        type_text(qtbot, dialog.widgets["amount_paid"], "199")
        type_text(qtbot, dialog.widgets["reason"], "补登购买金额")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    state = when_modal(answer)
    qtbot.mouseClick(view.task_buttons["correct"], Qt.MouseButton.LeftButton)
    assert state["done"] and seen == {"paid": "", "claimed": "500.00"}
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == no))
        assert str(case.amount_paid) == "199.00" and str(case.amount_claimed) == "500.00"  # only what was typed
