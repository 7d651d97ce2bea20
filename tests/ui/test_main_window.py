import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from app.cases import demo
from app.cases.service import CaseRow
from app.core import clock
from tests.conftest import complaint
from tests.pdf_checks import plain
from tests.ui.typing import in_background, type_text
from ui.models.case_table_model import FIRST_PAGE, PAGE, WINDOW, CaseTableModel
from ui.widgets.pdf_preview import PdfPreview
from ui.windows import case_view
from ui.windows.main_window import MainWindow


def row(n: int, level: str = "none", due: str = "", days_left=None) -> CaseRow:
    return CaseRow(case_no=f"20261120-{n:04d}", received="2026-11-20 10:00", kind="投诉", state="已登记",
                   consumer="王*兰", phone="139****1234", merchant="测试店", product="电热水壶", category="家用电器",
                   due=due, due_what="受理期限" if due else "", days_left=days_left, level=level, priority=n % 2 == 0,
                   fast_track=False)


def test_model_is_given_rows_keeps_a_bounded_window_and_passes_the_model_tester(qtbot, qtmodeltester):
    model = CaseTableModel()
    asked = []
    model.rows_wanted.connect(asked.append)
    model.set_rows([row(i) for i in range(PAGE)], next_cursor="c1")
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    assert asked == ["below"] and not model.canFetchMore()  # one request at a time, and no I/O of its own
    page = 1
    while page * PAGE < WINDOW + 3 * PAGE:  # scroll far down: rows above the window are let go
        model.append_rows([row(page * PAGE + i) for i in range(PAGE)], next_cursor=f"c{page + 1}")
        page += 1
    assert model.rowCount() == WINDOW
    assert model.case_no(0) == row(page * PAGE - WINDOW).case_no and model.has_more_above
    model.want_above()
    assert asked[-1] == "above" and model.above_cursor() == f"c{(page * PAGE - WINDOW) // PAGE - 1}"
    model.prepend_rows([row(page * PAGE - WINDOW - PAGE + i) for i in range(PAGE)])
    assert model.rowCount() == WINDOW and model.case_no(0) == row(page * PAGE - WINDOW - PAGE).case_no
    assert model.canFetchMore() and model.next_cursor == f"c{page - 1}"  # the bottom page was let go instead
    sorts = []
    model.sort_wanted.connect(lambda key, desc: sorts.append((key, desc)))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert sorts == [("case_no", False)]
    qtmodeltester.check(model)  # (its fetchMore only asks; rows arrive when given)


def test_a_short_first_page_is_asked_again_at_its_own_size(qtbot):
    model = CaseTableModel()  # a cursor here is "at<first row it fetches>"
    model.set_rows([row(i) for i in range(FIRST_PAGE)], next_cursor=f"at{FIRST_PAGE}")
    n = FIRST_PAGE
    while n < WINDOW + PAGE:  # far enough down that the first page is let go
        model.append_rows([row(n + i) for i in range(PAGE)], next_cursor=f"at{n + PAGE}")
        n += PAGE
    asked = []
    while model.has_more_above:  # back up to the top, page by page, as CaseList asks them
        cursor, size = model.above_cursor(), model.above_size()
        asked.append((cursor, size))
        start = int(cursor[2:]) if cursor else 0
        model.prepend_rows([row(start + i) for i in range(size)])
    assert asked[-1] == (None, FIRST_PAGE) and all(size == PAGE for _c, size in asked[:-1])
    assert [model.case_no(r) for r in range(model.rowCount())] == [row(i).case_no for i in range(model.rowCount())]


def test_days_left_and_colours(qtbot):
    from ui.models.case_table_model import COLUMNS

    model = CaseTableModel()
    due_col = [c[0] for c in COLUMNS].index("剩余工作日")
    model.set_rows([row(1, "overdue", "2026-12-01", -1), row(2, "ok", "2026-12-01", 2),
                    row(3, "soon", "2026-12-01", 1), row(4, "overdue", "2026-12-01", -3)], None)
    assert model.data(model.index(0, 0)) == "20261120-0001"
    assert "逾期" in model.data(model.index(0, due_col))
    assert model.data(model.index(0, due_col), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, due_col)) == "2"
    assert model.data(model.index(1, due_col), Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(model.index(2, due_col), Qt.ItemDataRole.BackgroundRole) is not None  # soon: amber
    assert model.data(model.index(3, due_col)) == "逾期3个工作日"
    assert model.data(model.index(1, 1)) == "绿色通道"


def test_the_list_pages_through_every_case_once_in_the_background(qtbot, desk, store):
    demo.generate(store, 460)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total == 460 and window.model.rowCount() == FIRST_PAGE, timeout=10000)
    seen = [window.model.case_no(r) for r in range(window.model.rowCount())]
    while window.model.canFetchMore():
        n = window.model.rowCount()
        window.model.fetchMore()
        qtbot.waitUntil(lambda n=n: window.model.rowCount() > n, timeout=10000)
        seen += [window.model.case_no(r) for r in range(n, window.model.rowCount())]
    assert len(seen) == len(set(seen)) == 460
    assert seen == [c["case_no"] for c in desk.cases.list()]  # newest first
    window.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # by case number
    qtbot.waitUntil(lambda: window.model.case_no(0) == min(seen), timeout=10000)


def test_search_box_filters_the_list(qtbot, desk):
    desk.cases.add(complaint(product="羽绒服"))
    desk.cases.add(complaint(product="电饭煲", consumer={"phone": "13900009876"}))
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total == 2, timeout=10000)
    type_text(qtbot, window.search, "9876")
    qtbot.waitUntil(lambda: window.model.total == 1, timeout=10000)
    assert "共 1 件" in window.count_label.text()
    assert window.model.rowCount() == 1
    window.search.clear()
    window.state.set_code("accepted")
    qtbot.waitUntil(lambda: window.model.total == 0 and window.model.rowCount() == 0, timeout=10000)


def answer_with(values: dict):
    """Replaces CaseView._run_dialog: fills the question's widgets as a user would, then OK."""

    def run(view, dialog):
        for key, value in values.items():
            w = dialog.widgets[key]
            kind = dialog.kinds[key]
            if kind == "choice":
                w.set_code(value)
            elif kind == "checks":
                for code in value:
                    w.boxes[code].setChecked(True)
            elif kind == "memo":
                w.setPlainText(value)
            else:
                w.setText(value)
        dialog.try_submit()
        return dialog.result()

    return run


def test_open_case_accept_and_not_accept(qtbot, desk, monkeypatch):
    monkeypatch.setattr(case_view.CaseView, "confirm", lambda self, *a: True)
    a = desk.cases.add(complaint())
    b = desk.cases.add(complaint())
    view = case_view.CaseView(desk, a["case_no"])
    qtbot.addWidget(view)
    view.show()
    assert view.case.consumer.phone == "13900001234"  # full data for the desk that opens it
    assert view.move_buttons["accepted"].isVisible() and not view.move_buttons["closed"].isVisible()
    qtbot.mouseClick(view.move_buttons["accepted"], Qt.MouseButton.LeftButton)
    assert desk.cases.show(a["case_no"]).as_json()["state"] == "accepted"
    assert not view.move_buttons["accepted"].isVisible()
    assert view.history_table.rowCount() == 2

    view_b = case_view.CaseView(desk, b["case_no"])
    qtbot.addWidget(view_b)
    monkeypatch.setattr(case_view.CaseView, "_run_dialog",
                        answer_with({"reason_code": "time_barred", "reason": "消费者2022年购买"}))
    qtbot.mouseClick(view_b.move_buttons["not_accepted"], Qt.MouseButton.LeftButton)
    shown = desk.cases.show(b["case_no"]).as_json()
    assert shown["state"] == "not_accepted"
    assert "超过三年" in shown["events"][-1]["note"] and "2022" in shown["events"][-1]["note"]
    assert "not-accepted" in view_b.print_actions and "not-accepted:masked" in view_b.print_actions
    assert "王某兰：" in plain(view_b.document_pdf("not-accepted"))  # the consumer's own copy
    assert "王*兰：" in plain(view_b.document_pdf("not-accepted:masked"))  # the copy that leaves the desk


def test_not_accepted_question_requires_a_ground(qtbot, desk, monkeypatch):
    case = desk.cases.add(complaint())
    view = case_view.CaseView(desk, case["case_no"])
    qtbot.addWidget(view)
    seen = {}

    def run(view, dialog):
        dialog.try_submit()
        seen["error"] = dialog.error.text()
        return dialog.result()

    monkeypatch.setattr(case_view.CaseView, "_run_dialog", run)
    view.move_case("not_accepted")
    assert "理由" in seen["error"]
    assert desk.cases.show(case["case_no"]).as_json()["state"] == "registered"


def test_receipt_preview_save_and_print(qtbot, desk, tmp_path):
    case = desk.cases.add(complaint())
    pdf = desk.documents.receipt_pdf(case["case_no"])
    preview = PdfPreview(pdf, "回执", "r.pdf")
    qtbot.addWidget(preview)
    assert len(preview.page_labels) == 1
    assert preview.page_labels[0].pixmap().width() > 500
    preview.save_to(str(tmp_path / "saved"))
    assert (tmp_path / "saved.pdf").read_bytes() == pdf
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)
    preview.print_to(printer)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_first_run_settings(qtbot, store):
    from app.desk import Desk
    from ui.dialogs.settings_dialog import SettingsDialog

    desk = Desk(store)
    assert not desk.settings.is_configured()
    dialog = SettingsDialog(desk, first_run=True)
    qtbot.addWidget(dialog)
    dialog.save()
    assert "联络点名称" in dialog.errors["point.name"].text()
    type_text(qtbot, dialog.inputs["point.name"], "测试联络点")
    type_text(qtbot, dialog.inputs["point.contact_phone"], "12")
    dialog.save()
    assert "联络点电话" in dialog.errors["point.contact_phone"].text()
    assert not desk.settings.is_configured()  # nothing stored while one field is wrong
    dialog.inputs["point.contact_phone"].clear()
    type_text(qtbot, dialog.inputs["point.contact_phone"], "021-61671254")
    dialog.save()
    assert desk.settings.all()["point.name"] == "测试联络点"
    assert desk.settings.all()["point.contact_phone"] == "021-61671254"


def test_the_first_start_dialog_takes_typing_in_the_point_s_name_at_once(qtbot, store):
    from PySide6.QtWidgets import QApplication

    from app.desk import Desk
    from ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Desk(store), first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is dialog.inputs["point.name"]
    qtbot.keyClicks(QApplication.focusWidget(), "Test Point")
    assert dialog.inputs["point.name"].text() == "Test Point"


def test_staff_enter_next_years_holidays(qtbot, desk):
    import datetime as dt

    from ui.dialogs.holidays_dialog import HolidaysDialog

    assert desk.calendar.deadlines(dt.date(2026, 12, 28)).warnings
    dialog = HolidaysDialog(desk)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2027)
    type_text(qtbot, dialog.holidays, "2027-01-01\n2027-02-05~2027-02-11")
    type_text(qtbot, dialog.workdays, "2027-02-14")
    dialog.save()
    in_background(qtbot)
    d = desk.calendar.deadlines(dt.date(2026, 12, 28))
    assert d.warnings == () and d.acceptance_due == dt.date(2027, 1, 7)
    assert desk.calendar.current().is_workday(dt.date(2027, 2, 14))


def test_whole_lifecycle_in_the_case_window(qtbot, desk, monkeypatch):
    monkeypatch.setattr(case_view.CaseView, "confirm", lambda self, *a: True)
    no = desk.cases.add(complaint())["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    view.show()
    click = lambda b: qtbot.mouseClick(b, Qt.MouseButton.LeftButton)  # noqa: E731
    answer = lambda values: monkeypatch.setattr(case_view.CaseView, "_run_dialog", answer_with(values))  # noqa: E731

    click(view.move_buttons["accepted"])
    assert view.task_buttons["mediate"].isVisible()
    answer({"mode": "phone", "participants": ["consumer", "merchant"], "offer": "退款299元", "answer": "同意"})
    click(view.task_buttons["mediate"])
    assert view.case.state == "mediating" and view.mediation_table.rowCount() == 1
    answer({"reason_code": "inspection", "reason": "送检"})
    click(view.task_buttons["pause"])
    assert view.case.paused_since and view.task_buttons["resume"].isVisible()
    click(view.task_buttons["resume"])
    assert view.case.paused_since is None
    answer({"terms": "经营者退款299元", "remedies": ["refund"], "amount_recovered": "299"})
    click(view.move_buttons["resolved"])
    assert view.case.state == "resolved" and view.case.amount_recovered == Decimal("299.00")
    assert "agreement" in view.print_actions
    assert "经营者退款299元" in plain(view.document_pdf("agreement"))
    answer({"satisfaction": "satisfied", "note": "已退款"})
    click(view.task_buttons["follow_up"])
    click(view.move_buttons["closed"])
    assert desk.cases.show(no).as_json()["state"] == "closed"
    assert view.task_buttons["reopen"].isVisible() and not view.task_buttons["follow_up"].isVisible()
    answer({"reason": "消费者称未收到退款"})
    click(view.task_buttons["reopen"])
    assert desk.cases.show(no).as_json()["state"] == "resolved"


def test_calculator_panel(qtbot, desk):
    no = desk.cases.add(complaint(amount_paid="99"))["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    panel = view.calculator
    assert panel.price.text() == "99.00"
    qtbot.mouseClick(panel.findChildren(type(view.print_button))[0], Qt.MouseButton.LeftButton)
    assert "500.00" in panel.punitive_result.text() and "第五十五条" in panel.punitive_result.text()
    panel.price.setText("abc")
    panel.calc_punitive()
    assert "不是金额" in panel.punitive_result.text()


def test_merchant_window(qtbot, desk, monkeypatch):
    from ui.windows import merchant_window

    desk.cases.add(complaint())
    window = merchant_window.MerchantWindow(desk)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.table.rowCount() == 1, timeout=10000)  # read in the background
    assert not window.buttons["commit"].isEnabled()
    monkeypatch.setattr(merchant_window.MerchantWindow, "_run_dialog",
                        answer_with({"name": "测试新店（虚构）", "uscc": "91310105MA1FL00004"}))
    qtbot.mouseClick(window.buttons["add"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.table.rowCount() == 2, timeout=10000)
    window.table.selectRow([r.name for r in window.rows].index("测试新店（虚构）"))
    assert window.buttons["commit"].isEnabled()
    monkeypatch.setattr(merchant_window.MerchantWindow, "_run_dialog",
                        answer_with({"kind": "quality_safety", "signed_on": "2026-11-01"}))
    qtbot.mouseClick(window.buttons["commit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "商品质量安全承诺（2026-11-01）" in window.detail.text(), timeout=10000)
    type_text(qtbot, window.search, "新店")  # typing waits for a pause, then reads once
    qtbot.waitUntil(lambda: window.table.rowCount() == 1 and not window.loading, timeout=10000)
    chosen = window.selected()
    assert desk.merchants.detail(chosen.id).commitments[0].signed_on == dt.date(2026, 11, 1)


def test_poster_editor_preview_follows_edits(qtbot, desk):
    from ui.windows.poster_editor import PosterEditor

    editor = PosterEditor(desk)
    qtbot.addWidget(editor)
    assert editor.template.currentData() == "__bulletin__" and editor.title.isReadOnly()
    in_background(qtbot)  # the first rendering
    assert len(editor.preview.page_labels) >= 1
    editor.template.setCurrentIndex(editor.template.findData("blank"))
    assert not editor.title.isReadOnly()
    editor.title.clear()
    type_text(qtbot, editor.title, "谨防保健品会销")
    editor.body.setPlainText("免费体检、送鸡蛋，是保健品会销的常见套路。\n【请记住】\n不轻信“包治百病”。")
    before = editor.pdf
    qtbot.waitUntil(lambda: editor.pdf is not before, timeout=10000)
    text = plain(editor.pdf)
    assert "谨防保健品会销" in text and "包治百病" in text
    a4_width = editor.preview.page_labels[0].pixmap().width()
    editor.paper.setCurrentText("A3")
    qtbot.waitUntil(lambda: "A3" in editor.pages_label.text(), timeout=10000)  # rendered in the background
    assert editor.preview.page_labels[0].pixmap().width() > a4_width * 1.3
    editor.title.clear()
    qtbot.waitUntil(lambda: "标题" in editor.error.text(), timeout=10000)


def test_poster_editor_saves_a_staff_template(qtbot, desk):
    from app.point import posters
    from ui.windows.poster_editor import PosterEditor

    editor = PosterEditor(desk)
    qtbot.addWidget(editor)
    editor.template.setCurrentIndex(editor.template.findData("blank"))
    editor.title.setText("谨防保健品会销")
    editor.body.setPlainText("免费体检、送鸡蛋，是保健品会销的常见套路。")
    qtbot.mouseClick(editor.keep_button, Qt.MouseButton.LeftButton)
    saved = [t for t in posters.tip_templates() if t.title == "谨防保健品会销"]
    assert len(saved) == 1 and saved[0].lead.startswith("免费体检")
    assert editor.template.currentData() == saved[0].name
    assert posters.tip("blank").title == "消费提示"  # the blank template stays blank
    again = PosterEditor(desk)
    qtbot.addWidget(again)
    assert again.template.findData(saved[0].name) >= 0


def test_ledger_dialog_lists_bad_rows_and_imports_good_files(qtbot, desk, tmp_path):
    from tests.app.ledger.test_ledger import ledger_row, write_xlsx
    from ui.dialogs.ledger_dialog import LedgerDialog

    dialog = LedgerDialog(desk)
    qtbot.addWidget(dialog)
    bad = tmp_path / "bad.xlsx"
    write_xlsx(bad, [ledger_row(0), ledger_row(1, 消费者电话="5"), ledger_row(2, 事实="")])
    dialog.import_file(str(bad))  # in the background
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.last_count == 0 and dialog.errors.rowCount() == 2
    assert [dialog.errors.item(r, 0).text() for r in range(2)] == ["3", "4"]
    assert "没有导入" in dialog.status.text()
    good = tmp_path / "good.xlsx"
    write_xlsx(good, [ledger_row(i) for i in range(3)])
    dialog.import_file(str(good))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.last_count == 3 and "已导入 3 件" in dialog.status.text()
    dialog.date_from.setDate(dialog.date_from.date().fromString("2026-10-01", "yyyy-MM-dd"))
    dialog.date_to.setDate(dialog.date_to.date().fromString("2026-10-31", "yyyy-MM-dd"))
    dialog.export_file(str(tmp_path / "out.csv"))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.last_count == 3 and (tmp_path / "out.csv").read_text(encoding="utf-8-sig").count("\n") == 4
    desk.ledger.template(tmp_path / "t.xlsx")
    assert (tmp_path / "t.xlsx").exists()


def test_referral_from_case_window_and_batch_dialog(qtbot, desk, tmp_path, monkeypatch):
    from ui.dialogs.ledger_dialog import LedgerDialog

    no = desk.cases.add(complaint())["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    assert "referral" not in view.print_actions
    monkeypatch.setattr(case_view.CaseView, "_run_dialog",
                        answer_with({"referred_to": "samr", "reason": "涉嫌虚假宣传"}))
    qtbot.mouseClick(view.move_buttons["referred"], Qt.MouseButton.LeftButton)
    assert "referral" in view.print_actions
    assert "市场监督管理部门" in plain(view.document_pdf("referral"))
    dialog = LedgerDialog(desk)
    qtbot.addWidget(dialog)
    dialog.referrals_file(str(tmp_path / "b.pdf"))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")


def test_dashboard_shows_the_figures_and_charts(qtbot, desk):

    from ui.windows.dashboard import Dashboard

    for _ in range(3):
        desk.cases.add(complaint(merchant={"name": "热点店（虚构）"}))
    board = Dashboard(desk)
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: not board.loading, timeout=10000)  # counted in the background
    month = f"{clock.today():%Y-%m}"
    assert board.figures["month"] == month and board.figures["complaints"] == 3
    assert "投诉 3" in board.summary.text()
    assert all(w.renderer().isValid() for w in board.charts.values())
    assert board.hot.rowCount() >= 1 and board.draft_button.isEnabled()
    assert "情况反映" in plain(board.draft_pdf())
    board.month.setText("2026/13")
    board.load()
    qtbot.waitUntil(lambda: "不是月份" in board.error.text(), timeout=10000)


def test_scam_watch_in_the_window(qtbot, desk):
    from ui.dialogs.watch_dialog import WatchDialog
    from ui.windows.intake_form import IntakeForm
    from ui.windows.poster_editor import PosterEditor

    dialog = WatchDialog(desk)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.number, "400-1865-909")
    type_text(qtbot, dialog.note, "冒充指纹锁售后")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "4001865909"
    form = IntakeForm(desk)
    qtbot.addWidget(form)
    form.show()
    type_text(qtbot, form.facts, "网上搜到售后电话400-1865-909")
    qtbot.waitUntil(form.scam_hint.isVisible, timeout=10000)
    assert "监控名单" in form.scam_hint.text()
    editor = PosterEditor(desk)
    qtbot.addWidget(editor)
    editor.template.setCurrentIndex(editor.template.findData("fake_hotline"))
    assert editor.insert_watch_button.isEnabled()
    qtbot.mouseClick(editor.insert_watch_button, Qt.MouseButton.LeftButton)
    assert "4001865909（冒充指纹锁售后）" in editor.body.toPlainText()


def test_landscape_batch_cover_prints_turned_to_fill_portrait_paper(qtbot, desk, tmp_path):
    import datetime as dt

    from app.core import clock
    from app.printing.render import page_images

    case = desk.cases.add(complaint())["case_no"]
    desk.cases.move(case, "accepted")
    desk.cases.move(case, "referred", referred_to="council", reason="需消保委协调")
    today = clock.today()
    pdf = desk.documents.referral_batch(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    preview = PdfPreview(pdf, "转办汇总", "b.pdf")
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    preview.print_to(printer)
    cover = page_images((tmp_path / "printed.pdf").read_bytes(), 20)[0]
    assert cover.height > cover.width  # portrait paper
    inked = [y for y in range(cover.height)
             if min(cover.rgb[y * cover.stride:y * cover.stride + cover.width * 3]) < 128]
    # turned, the landscape table runs down most of the sheet (unturned it would fill about half)
    assert (inked[-1] - inked[0]) > 0.7 * cover.height


def test_the_start_page_model_makes_its_cells_when_shown_and_passes_the_model_tester(qtbot, qtmodeltester):
    import datetime as dt

    from PySide6.QtGui import QBrush

    from app.reports.worklist import WorkItem
    from ui.windows.today_page import WorkListModel

    items = [WorkItem("decision", f"2026-{i:06d}", "complaint", "registered", dt.date(2026, 12, 1) if i else None,
                      "overdue" if i % 2 else "soon", -1 if i % 2 else 1, "受理决定", "王**", "139****1234",
                      "测试电器店（虚构）", "电热水壶") for i in range(5000)]
    model = WorkListModel()
    model.set_rows(items)
    assert model.rowCount() == 5000 and model.columnCount() == 7
    index = model.index(3, 1)
    assert model.data(index) == "2026-12-01（已逾期）" and model.data(model.index(0, 1)) == ""
    assert model.data(model.index(3, 2)) == "2026-000003"
    assert isinstance(model.data(index, Qt.ItemDataRole.BackgroundRole), QBrush)
    assert model.data(model.index(2, 0)) == "待作受理决定：受理决定"
    model.set_rows(items[:50])
    qtmodeltester.check(model)


def test_a_hot_issue_with_many_cases_shows_the_first_numbers_and_how_many():
    from ui.windows.dashboard import numbers_text

    nos = [f"2026-{i:06d}" for i in range(200_000)]
    text = numbers_text(nos, 30)
    assert text.startswith("2026-000000、2026-000001") and text.endswith("…等 200000 件") and text.count("、") == 29
    assert numbers_text(nos[:3], 30) == "2026-000000、2026-000001、2026-000002"
