"""Every window and dialog of the desk, built over a database with cases in every state: for the test that
reads all visible text, and for screenshots (python -m tests.ui.screenshots)."""
from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QMessageBox, QWidget

from tests.conftest import complaint


def fill(desk) -> dict[str, str]:
    """Cases in the states the windows show differently (all fictitious)."""
    c = desk.cases
    registered = c.add(complaint())["case_no"]
    resolved = c.add(complaint(product="羽绒服", consumer={"name": "李某华", "phone": "13900005678",
                                                          "group": "elderly"}))["case_no"]
    c.move(resolved, "accepted")
    c.mediate(resolved, "on_site", ["consumer", "merchant", "staff"], offer="退款299元", answer="同意")
    c.move(resolved, "resolved", terms="经营者退款299元，消费者退回商品", remedies=["refund"], amount_recovered="299")
    c.follow_up(resolved, "basically_satisfied", "已收到退款")
    consult = c.add({"kind": "consultation", "consumer": {"name": "赵某", "phone": "13900002222"},
                     "facts": "预付卡商家关门了怎么办？"})["case_no"]
    from tests.evidence_files import jpeg, pdf, png

    desk.attachments.add(resolved, [("购物小票.jpg", jpeg(600, 900, (230, 230, 210)))], label="receipt")
    desk.attachments.add(resolved, [("羽绒服破损处.jpg", jpeg(1200, 900)), ("吊牌.png", png())], label="product_photo")
    desk.attachments.add(resolved, [("电子发票.pdf", pdf())], label="invoice")
    desk.scams.watch("4008001234", "冒充某品牌指纹锁售后，要求扫码退款（虚构）")
    return {"registered": registered, "resolved": resolved, "consultation": consult}


def windows(desk, cases: dict[str, str]) -> Iterator[tuple[str, QWidget]]:
    """(name, widget) for each window, built but not shown; the caller shows, reads and closes each."""
    from ui.dialogs.ask_dialog import AskDialog
    from ui.dialogs.holidays_dialog import HolidaysDialog
    from ui.dialogs.ledger_dialog import LedgerDialog
    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from ui.dialogs.watch_dialog import WatchDialog
    from ui.widgets.pdf_preview import PdfPreview
    from ui.windows import case_view
    from ui.windows.dashboard import Dashboard
    from ui.windows.intake_form import IntakeForm
    from ui.windows.main_window import MainWindow
    from ui.windows.merchant_window import MerchantWindow
    from ui.windows.poster_editor import PosterEditor

    main = MainWindow(desk)
    yield "01_main_today", main
    main.tabs.setCurrentIndex(1)
    yield "02_main_list", main
    form = IntakeForm(desk)
    yield "03_intake", form
    form = IntakeForm(desk)
    form.c_phone.setText("12345")
    form.c_phone.editingFinished.emit()
    form.save()  # shows what is missing, under each field
    yield "04_intake_errors", form
    form = IntakeForm(desk)
    form.kind.set_code("consultation")
    yield "05_intake_consultation", form
    form = IntakeForm(desk)
    similar = desk.cases.similar_open("测试电器店（虚构）", "电热水壶", None)
    yield "06_repeat_question", form.repeat_box(similar)
    view = case_view.CaseView(desk, cases["registered"])
    yield "07_case_registered", view
    view = case_view.CaseView(desk, cases["resolved"])
    yield "08_case_resolved", view
    view.tabs.setCurrentIndex(1)
    yield "09_case_history", view
    view.tabs.setCurrentIndex(2)
    yield "10_case_mediation", view
    view.tabs.setCurrentIndex(3)
    yield "11_case_calculators", view
    view.tabs.setCurrentWidget(view.evidence)
    yield "11_case_evidence", view
    view = case_view.CaseView(desk, cases["consultation"])
    yield "12_case_consultation", view
    yield "13_confirm_accept", case_view.confirm_box("受理", "受理后，本案进入调解。\n确定受理吗？", "受理")
    registered = case_view.CaseView(desk, cases["registered"])
    for state in ("not_accepted", "referred"):
        label, spec = case_view.MOVES[state]
        spec = [(k, key, text, registered._grounds(extra) if extra in ("not_accepted", "termination") else extra)
                for k, key, text, extra in spec]
        yield f"14_ask_{state}", AskDialog(label.split("(")[0], spec, lambda v: None,
                                           intro=case_view.INTROS.get(state, ""))
    label, spec = case_view.MOVES["resolved"]
    yield "15_ask_resolved", AskDialog("调解成功", spec, lambda v: None, intro=case_view.INTROS["resolved"])
    yield "16_ask_answer", AskDialog("答复并办结", case_view.ANSWER[1], lambda v: None,
                                     intro=case_view.answer_intro(desk.cases.show(cases["consultation"])))
    yield "17_follow_up", case_view.follow_up_dialog(desk, cases["registered"])
    visit = case_view.follow_up_dialog(desk, cases["registered"])
    visit.widgets["note"].setPlainText("电话无人接听，改日再访")
    visit.try_submit()  # no satisfaction chosen: the message below the fields
    yield "17_follow_up_error", visit
    yield "18_preview_receipt", PdfPreview(desk.documents.receipt_pdf(cases["registered"]),
                                           f"登记回执　{cases['registered']}", "回执.pdf")
    yield "19_settings", SettingsDialog(desk, False)
    settings = SettingsDialog(desk, False)
    settings.inputs["point.contact_phone"].setText("6167")
    settings.inputs["deadline.follow_up_days"].setText("零")
    settings.save()  # wrong values: each message under its box, nothing stored
    yield "19_settings_errors", settings
    yield "20_holidays", HolidaysDialog(desk)
    yield "21_watch", WatchDialog(desk)
    from ui.dialogs.phrases_dialog import PhrasesDialog

    yield "21_phrases", PhrasesDialog(desk)
    yield "22_ledger", LedgerDialog(desk)
    yield "23_dashboard", Dashboard(desk)
    yield "24_merchants", MerchantWindow(desk)
    yield "25_posters", PosterEditor(desk)
    yield "26_shortcuts", ShortcutsDialog(main.actions_by_name.values())
    question = QMessageBox(QMessageBox.Icon.Question, "放弃登记？", "已填写的内容尚未保存，确定放弃吗？",
                           QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    yield "27_qt_standard_buttons", question
    from ui.dialogs.phone_upload_dialog import PhoneUploadDialog

    yield "28_phone_upload", PhoneUploadDialog(desk, cases["resolved"], host="127.0.0.1")
