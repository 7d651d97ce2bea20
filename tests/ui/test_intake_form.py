from PySide6.QtCore import Qt
from sqlalchemy import select

from app.storage.models import Case
from tests.ui.typing import activate, type_text
from ui.windows.intake_form import IntakeForm


def fill_complaint(qtbot, form):
    type_text(qtbot, form.c_name, "王某兰")
    type_text(qtbot, form.c_phone, "139 0000 1234")
    form.c_group.set_code("elderly")
    type_text(qtbot, form.m_name, "测试电器店（虚构）")
    type_text(qtbot, form.m_uscc, "91310105MA1FL00004")
    form.category.set_code("appliances")
    form.nature.set_code("quality")
    type_text(qtbot, form.product, "电热水壶")
    type_text(qtbot, form.purchase_date, "2026-11-01")
    type_text(qtbot, form.amount_paid, "299")
    type_text(qtbot, form.amount_claimed, "299")
    type_text(qtbot, form.facts, "使用三天后底座漏电，经营者拒绝退货。")
    qtbot.mouseClick(form.demand_boxes["refund"], Qt.MouseButton.LeftButton)


def test_type_a_complaint_and_save_with_ctrl_s(qtbot, desk, store):
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    assert not form.save_button.isEnabled()
    fill_complaint(qtbot, form)
    assert form.save_button.isEnabled(), form.missing()
    assert "小额纠纷快速处理" in form.fast_track_hint.text()
    assert "绿色通道" in form.priority_hint.text()
    activate(qtbot, form)
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        qtbot.keyClick(form.facts, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    case_no = saved.args[0]
    with store.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == case_no))
        assert case.consumer.name == "王某兰"
        assert case.consumer.phone == "13900001234"
        assert case.merchant.uscc == "91310105MA1FL00004"
        assert case.category == "appliances" and case.demands == "refund"
        assert case.priority and case.fast_track
        assert case.acceptance_due is not None
    assert form.result() == form.DialogCode.Accepted


def test_errors_show_under_the_field_while_typing(qtbot, desk):
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    fill_complaint(qtbot, form)
    form.c_phone.clear()
    type_text(qtbot, form.c_phone, "12345")
    form.c_phone.editingFinished.emit()
    assert "消费者电话" in form.errors["consumer.phone"].text()
    assert not form.save_button.isEnabled()
    form.amount_paid.clear()
    type_text(qtbot, form.amount_paid, "1.234")
    assert "两位小数" in form.errors["amount_paid"].text()
    form.m_uscc.clear()
    type_text(qtbot, form.m_uscc, "91310105MA1FL00005")
    assert "校验位" in form.errors["merchant.uscc"].text()
    form.c_phone.clear()
    type_text(qtbot, form.c_phone, "13900001234")
    form.amount_paid.clear()
    form.m_uscc.clear()
    assert form.errors["consumer.phone"].text() == ""
    assert form.save_button.isEnabled()


def test_consultation_needs_less(qtbot, desk):
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.kind.set_code("consultation")
    type_text(qtbot, form.c_phone, "13900005678")
    type_text(qtbot, form.facts, "预付卡商家关门了怎么办？")
    assert form.save_button.isEnabled(), form.missing()
    form.save()
    assert form.saved_case["kind"] == "consultation"
    assert form.saved_case["acceptance_due"] is None


def test_known_merchant_is_offered(qtbot, desk, make_complaint):
    desk.cases.add(make_complaint(merchant={"name": "测试珠宝行（虚构）", "uscc": "91310105MA1FL00004",
                                           "shop_no": "A2-007"}))
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    type_text(qtbot, form.m_name, "珠宝")
    assert form.completer_model.stringList() == ["测试珠宝行（虚构）"]
    form.completer.activated.emit("测试珠宝行（虚构）")
    assert form.m_uscc.text() == "91310105MA1FL00004" and form.m_shop.text() == "A2-007"


def test_escape_asks_before_discarding(qtbot, desk, monkeypatch):
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    type_text(qtbot, form.c_name, "张某")
    activate(qtbot, form)
    asked = []
    monkeypatch.setattr(form, "confirm_discard", lambda: asked.append(1) or False)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked and form.isVisible()
    monkeypatch.setattr(form, "confirm_discard", lambda: True)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_escape_on_an_empty_form_just_closes(qtbot, desk, monkeypatch):
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    monkeypatch.setattr(form, "confirm_discard", lambda: (_ for _ in ()).throw(AssertionError("asked")))
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_tab_order_starts_with_the_consumer(qtbot, desk):
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    assert form.c_name.nextInFocusChain() is not None
    order = [form.c_name]
    w = form.c_name
    for _ in range(3):
        w = w.nextInFocusChain()
        while not (w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            w = w.nextInFocusChain()
        order.append(w)
    assert order[1] is form.c_phone and order[2] is form.c_id


def test_a_save_while_a_restore_runs_is_refused_in_words_and_the_form_keeps_what_was_typed(qtbot, desk, store):
    """Another desk's restore holds the maintenance flag: 保存 says so (not 意外错误), stores nothing,
    and the same form saves once the restore is over."""
    from app.storage import maintenance
    from app.storage.db import Store

    restoring = Store(store.url.render_as_string(hide_password=False))
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    fill_complaint(qtbot, form)
    maintenance.raise_flag(restoring)
    try:
        form.save()
        assert form.isVisible() and form.saved_case is None
        assert form.form_error.text() == f"未保存：{maintenance.REFUSED}"
        with store.read() as s:
            assert s.scalar(select(Case.id)) is None
    finally:
        maintenance.lower_flag(restoring)
        restoring.dispose()
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    assert form.saved_case["consumer"]["name"] == "王某兰"


def test_a_refusal_that_reaches_the_window_unhandled_is_shown_as_what_it_says(qtbot):
    from app.core.errors import FieldError
    from ui import errors

    refusal = FieldError("restore", "负责人正在恢复备份，请稍候再保存（已保存的内容不会丢失）")
    box = errors.handle(FieldError, refusal, None)
    qtbot.addWidget(box)
    assert box.objectName() == "refused" and "意外错误" not in box.windowTitle() + box.text()
    assert box.text() == "负责人正在恢复备份，请稍候再保存（已保存的内容不会丢失）"
