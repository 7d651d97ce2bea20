"""The front desk's main window: the case list with filters, and the way into every task."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import clock, codes
from ui.widgets import CodeCombo

if TYPE_CHECKING:
    from app.desk import Desk


class MainWindow(QMainWindow):
    """Shows at once; the database, the calendar and the first page of cases arrive right after
    (or at once when a Desk is handed in), so the window is never held up by them."""

    def __init__(self, desk: Desk | None = None, open_desk: Callable[[], Desk] | None = None):
        super().__init__()
        self.desk = None
        self.model = None
        self.setWindowTitle("维权联络点工作台")
        self.resize(1280, 760)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.doubleClicked.connect(lambda index: self.open_case(index.row()))
        self.table.activated.connect(lambda index: self.open_case(index.row()))

        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：编号、姓名、电话（可输后四位）、经营者、商品、品牌、事实… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.state = CodeCombo(codes.STATE, blank="全部状态")
        self.kind = CodeCombo(codes.KIND, blank="全部类型")
        self.use_dates = QCheckBox("登记日期")
        self.date_from = QDateEdit(QDate(clock.today()).addMonths(-1))
        self.date_to = QDateEdit(QDate(clock.today()))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.count_label = QLabel()
        self.debounce = QTimer(self, singleShot=True, interval=250)
        self.debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self.debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.state.currentIndexChanged.connect(self.apply_filter)
        self.kind.currentIndexChanged.connect(self.apply_filter)
        self.use_dates.toggled.connect(self._toggle_dates)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.state)
        filters.addWidget(self.kind)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.count_label)

        legend = QLabel("<span style='background:#fde2e1'>　逾期　</span>　"
                        "<span style='background:#fff3cd'>　临期（2个工作日内）　</span>　"
                        "双击或回车打开案件")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(legend)
        self.setCentralWidget(central)
        self._actions()
        from ui.backup_menu import BackupMenu

        self.backup_menu = BackupMenu(self)
        if desk is not None:
            self.attach(desk)
        elif open_desk is not None:
            self.count_label.setText("正在载入…")
            self._pending_open = open_desk  # opened after the first paint (see paintEvent)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        open_desk = getattr(self, "_pending_open", None)
        if open_desk is not None:
            self._pending_open = None
            QTimer.singleShot(0, lambda: self._open(open_desk))

    def _open(self, open_desk: Callable[[], Desk]) -> None:
        try:
            desk = open_desk()
        except Exception as e:  # a database that cannot be opened must say so, not crash
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(self, "无法打开数据库", f"无法打开数据库：\n{e}")
            self.close()
            return
        self.desk = desk
        if desk.keys.problem() and not self.ask_for_key():
            self.close()
            return
        self.attach(desk)
        if not desk.settings.is_configured():
            self.open_settings(first_run=True)
        if desk.keys.needs_showing():
            self.show_recovery_key()
        self.backup_menu.start_daily()

    def ask_for_key(self) -> bool:
        """This computer lacks the database's key (another desk, a new computer, a restored backup)."""
        from ui.recovery_key_dialog import KeyImportDialog

        return bool(KeyImportDialog(self.desk, self).exec())

    def show_recovery_key(self) -> None:
        from ui.recovery_key_dialog import RecoveryKeyDialog

        RecoveryKeyDialog(self.desk, self).exec()

    def attach(self, desk: Desk) -> None:
        """Connect the window to its database: list, calendar, title, warnings."""
        from ui.case_list import CaseList
        from ui.case_table_model import CaseTableModel

        self.desk = desk
        self.calendar = desk.calendar.current()
        self.model = CaseTableModel(self)
        self.cases = CaseList(desk, self.calendar, self.model, self)
        self.cases.counted.connect(lambda _n: self._show_count())
        self.cases.reload()
        header = self.table.horizontalHeader()
        self.table.setModel(self.model)
        bar = self.table.verticalScrollBar()
        # The model keeps a window of rows: at its top, the page above is asked again.
        bar.valueChanged.connect(lambda v: self.model.want_above() if v == bar.minimum() else None)
        self.model.rowsRemoved.connect(self._rows_removed)
        self.model.rowsInserted.connect(self._rows_inserted)
        header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # as loaded: newest first
        self.table.setSortingEnabled(True)
        for col, width in enumerate((150, 80, 130, 45, 70, 65, 105, 170, 100, 105, 95, 110)):
            self.table.setColumnWidth(col, width)
        self.setWindowTitle(self._title())
        self._show_count()
        for act in self.findChildren(QAction):
            act.setEnabled(True)
        from app.deadlines import compute

        today = clock.today()
        warnings = compute(self.calendar, today, today).warnings  # a mediation started today, too
        if warnings:
            self.statusBar().showMessage(warnings[0])

    def _title(self) -> str:
        name = self.desk.settings.all().get("point.name")
        return f"维权联络点工作台 — {name}" if name else "维权联络点工作台"

    def _actions(self) -> None:
        bar = QToolBar("常用")
        bar.setMovable(False)
        self.addToolBar(bar)

        def action(text, shortcut, slot, tip=""):
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(f"{tip or text}（{QKeySequence(shortcut).toString()}）" if shortcut else tip or text)
            act.triggered.connect(slot)
            bar.addAction(act)
            return act

        self.new_action = action("新登记", "Ctrl+N", self.new_case, "登记投诉、咨询或举报")
        self.open_action = action("打开案件", "", lambda: self.open_case(self.table.currentIndex().row()))
        action("刷新", "F5", self.refresh)
        bar.addSeparator()
        action("经营者", "Ctrl+M", self.open_merchants, "经营者登记、承诺、退市记录、信用等级")
        action("宣传栏与消费提示", "", self.open_posters, "打印宣传栏、编辑并打印消费提示")
        action("统计与热点", "", self.open_dashboard, "月度汇总、图表、热点问题")
        action("防骗号码", "", self.open_watch, "冒充售后等可疑号码的监控名单")
        action("台账导入导出", "", self.open_ledger, "从 Excel 台账导入案件，或导出一段时间的案件")
        action("设置", "", lambda: self.open_settings(False), "联络点名称、联系人、电话、协助单位")
        action("节假日安排", "", self.open_holidays, "录入国务院公布的放假与调休安排")
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(find)
        for act in bar.actions():
            act.setEnabled(self.desk is not None)  # enabled once the database is open

    def _toggle_dates(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def current_filter(self):
        from app.cases import CaseFilter

        return CaseFilter(
            state=self.state.code() or None, kind=self.kind.code() or None, text=self.search.text().strip(),
            date_from=self.date_from.date().toPython() if self.use_dates.isChecked() else None,
            date_to=self.date_to.date().toPython() if self.use_dates.isChecked() else None,
        )

    def apply_filter(self) -> None:
        if self.model is None:
            return
        f = self.current_filter()
        self.cases.set_filter(f)
        self._show_count()
        if f.text.strip():  # a search by phone or name is recorded (a write: off the UI thread)
            from ui.operations import QueryOp

            desk = self.desk
            QueryOp(self, lambda _p: desk.cases.audit_personal_search(f.text), lambda _r: None).run_in_background()

    def _show_count(self) -> None:
        total = self.model.total
        self.count_label.setText("正在查找…" if total is None else f"共 {total} 件")

    def refresh(self) -> None:
        if self.model is None:
            return
        self.cases.reload()
        self._show_count()

    def _rows_removed(self, _parent, first: int, last: int) -> None:
        if first == 0:  # rows dropped above the view: keep showing the same cases
            bar = self.table.verticalScrollBar()
            bar.setValue(max(bar.minimum() + 1, bar.value() - (last + 1)))

    def _rows_inserted(self, _parent, first: int, last: int) -> None:
        if first == 0 and self.model.rowCount() > last + 1:  # the page above came back
            bar = self.table.verticalScrollBar()
            bar.setValue(bar.value() + last + 1)

    # -- tasks ---------------------------------------------------------------------------------
    def new_case(self) -> None:
        from ui.intake_form import IntakeForm

        form = IntakeForm(self.desk, self)
        if form.exec() and form.saved_case:
            self.refresh()
            self.show_receipt(form.saved_case["case_no"])

    def show_receipt(self, case_no: str) -> None:
        from ui.pdf_preview import PdfPreview

        pdf = self.desk.documents.receipt_pdf(case_no)
        PdfPreview(pdf, f"登记回执 {case_no}", f"回执_{case_no}.pdf", self).exec()

    def open_case(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        from ui.case_view import CaseView

        view = CaseView(self.desk, self.model.case_no(row), self)
        view.changed.connect(lambda _no: self.refresh())
        view.exec()

    def open_watch(self) -> None:
        from ui.watch_dialog import WatchDialog

        WatchDialog(self.desk, self).exec()

    def open_dashboard(self) -> None:
        from ui.dashboard import Dashboard

        Dashboard(self.desk, self).exec()

    def open_ledger(self) -> None:
        from ui.ledger_dialog import LedgerDialog

        LedgerDialog(self.desk, self).exec()
        self.refresh()

    def open_posters(self) -> None:
        from ui.poster_editor import PosterEditor

        PosterEditor(self.desk, self).exec()

    def open_merchants(self) -> None:
        from ui.merchant_window import MerchantWindow

        MerchantWindow(self.desk, self).exec()
        self.refresh()

    def open_settings(self, first_run: bool = False) -> None:
        from ui.settings_dialog import SettingsDialog

        if SettingsDialog(self.desk, first_run, self).exec():
            self.setWindowTitle(self._title())

    def open_holidays(self) -> None:
        from ui.holidays_dialog import HolidaysDialog

        dialog = HolidaysDialog(self.desk, self)
        if dialog.exec():
            self.calendar = self.desk.calendar.current()
            self.cases.calendar = self.calendar
            self.refresh()
            self.statusBar().showMessage(f"节假日安排已保存，{dialog.updated or 0} 件在办案件的期限已随之更新")
