"""The front desk's main window: the case list with filters, and the way into every task."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
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
    QMessageBox,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core import clock, codes
from ui.errors import error_text
from ui.widgets.fields import CodeCombo, NoticeLabel, fit_to_screen, picked, qdate, run_modal
from ui.windows.today_page import TodayPage

TITLE = "维权联络点工作台"

if TYPE_CHECKING:
    from app.core.changes import Changes
    from app.desk import CaseFilter, Desk
    from ui.lock import DeskLock
    from ui.models.case_table_model import CaseTableModel


class MainWindow(QMainWindow):
    """Shows at once; the database, the calendar and the first page of cases arrive right after
    (or at once when a Desk is handed in), so the window is never held up by them."""

    def __init__(self, desk: Desk | None = None, open_desk: Callable[[], Desk] | None = None,
                 settings: QSettings | None = None):
        super().__init__()
        self.attached: Desk | None = None  # the database the window works on, once open
        self.case_model: CaseTableModel | None = None
        self.desk_lock: DeskLock | None = None
        self._pending_open: Callable[[], Desk] | None = None
        self.demo = False  # showing the separate demo database (演示模式)
        self.live_desk: Desk | None = None
        self.window_settings = settings  # where the geometry is remembered (None: not at all)
        self.setWindowTitle(TITLE)
        fit_to_screen(self, 1440, 900)  # the whole of a 1366×768 screen; more on a larger one
        if settings is not None and settings.value("main/geometry") is not None:
            self.restoreGeometry(settings.value("main/geometry"))

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda index: self.open_case(index.row()))
        self.table.activated.connect(lambda index: self.open_case(index.row()))

        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：编号、姓名、电话（可输后四位）、经营者、商品、品牌、事实… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(200)  # longer text is no search term
        self.state = CodeCombo(codes.STATE, blank="全部状态")
        self.state.insertSeparator(self.state.count())
        for name, label in codes.WORK_FILTERS.items():  # 逾期, 临期, 在办 and the work-list groups
            self.state.addItem(label, f"due:{name}")
        self.state.setToolTip("按状态或办理期限筛选：逾期、临期（2个工作日内）、在办（未办结）")
        self.kind = CodeCombo(codes.KIND, blank="全部类型")
        self.use_dates = QCheckBox("登记日期")
        self.date_from = QDateEdit(qdate(clock.today()).addMonths(-1))
        self.date_to = QDateEdit(qdate(clock.today()))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.count_label = QLabel()
        self.debounce = QTimer(self, singleShot=True, interval=250)
        self.debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self.debounce.start())
        self.search.returnPressed.connect(self._search_enter)
        self.search.installEventFilter(self)
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

        self.trail_warning = QLabel()
        self.trail_warning.setObjectName("trail_warning")
        self.trail_warning.setWordWrap(True)
        self.trail_warning.setStyleSheet("background: #c0392b; color: white; padding: 6px; font-weight: bold;")
        self.trail_warning.hide()
        legend = QLabel("<span style='background:#fde2e1'>　逾期　</span>　"
                        "<span style='background:#fff3cd'>　临期（2个工作日内）　</span>　"
                        "双击或回车打开案件；在查找框中回车打开第一件，按↓进入列表")
        legend.setWordWrap(True)
        cases_page = QWidget()
        layout = QVBoxLayout(cases_page)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(legend)

        self.today = TodayPage()
        self.today.open_case.connect(self.open_case_no)
        self.today.show_filter.connect(self.show_work_filter)
        self.today.follow_up.connect(self.record_follow_up)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.today, "今日待办")
        self.tabs.addTab(cases_page, "案件列表")
        self.tabs.setTabToolTip(0, "今天要办的事（Ctrl+1）")
        self.tabs.setTabToolTip(1, "全部案件，可查找和筛选（Ctrl+2）")
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.trail_warning)
        outer.addWidget(self.tabs)
        self.setCentralWidget(central)
        # Deadline warnings (a year whose holidays are not yet entered): one line here, in full on a click,
        # under 查看 ▸ 期限提醒 and on the start page.
        self.notice = NoticeLabel("期限提醒")
        self.notice.hide()
        self.statusBar().addWidget(self.notice, 1)
        self._actions()
        from ui.windows.backup_menu import BackupMenu

        self.backup_menu = BackupMenu(self)
        # Every task only a supervisor may do (app/staff/identity.py: SUPERVISOR_ONLY), disabled for a staff
        # member with "只有负责人可以…"; _show_member sets them for whoever signs in or unlocks.
        self.supervisor_tasks: dict[str, QAction] = {
            "holidays": self.actions_by_name["holidays"], "staff": self.actions_by_name["staff"],
            "audit": self.actions_by_name["audit"], "phrases": self.actions_by_name["phrases"],
            "restore": self.backup_menu.restore_action,
            "purge": self.backup_menu.purge_action, "key_export": self.backup_menu.key_action}
        self.supervisor_actions = list(self.supervisor_tasks.values())
        for act in self.supervisor_actions:
            act.setProperty("tip", act.toolTip())
        from ui import ops

        ops.CHANGES.changed.connect(self.on_changes)
        if desk is not None:
            self.attach(desk)
        elif open_desk is not None:
            self.count_label.setText("正在载入…")
            self._pending_open = open_desk  # opened after the first paint (see paintEvent)

    @property
    def desk(self) -> Desk:
        """The desk the window works on; every task is enabled only once it is open."""
        if self.attached is None:
            raise RuntimeError("the window's database is not open yet")
        return self.attached

    @desk.setter
    def desk(self, desk: Desk) -> None:
        self.attached = desk

    @property
    def model(self) -> CaseTableModel:
        if self.case_model is None:
            raise RuntimeError("the case list is not loaded yet")
        return self.case_model

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        open_desk = self._pending_open
        if open_desk is not None:
            self._pending_open = None
            QTimer.singleShot(0, lambda: self._open(open_desk))

    def _open(self, open_desk: Callable[[], Desk]) -> None:
        """Opens (and migrates) the database in the background: on a large one that takes seconds,
        and the window must keep painting meanwhile (bench/bench_stall.py)."""
        from ui.ops import QueryOp

        def failed(e: BaseException) -> None:  # a database that cannot be opened must say so, not crash
            QMessageBox.critical(self, "无法打开数据库", f"无法打开数据库：\n{error_text(e)}")
            self.close()

        QueryOp(self, lambda _p: open_desk(), self._opened).failure(failed) \
            .with_progress("正在打开数据库…").run_in_background()

    def _opened(self, desk: Desk) -> None:
        self.desk = desk
        if not self.sign_in(desk) or (desk.keys.problem() and not self.ask_for_key()):
            self.close()
            return
        self.attach(desk)
        if not desk.settings.is_configured():
            self.open_settings(first_run=True)
        if desk.keys.needs_showing():
            self.show_recovery_key()
        self.backup_menu.start_daily()
        from ui.ops import settle_heap

        settle_heap(collect=False)

    def ask_for_key(self) -> bool:
        """This computer lacks the database's key (another desk, a new computer, a restored backup)."""
        from ui.dialogs.recovery_key_dialog import KeyImportDialog

        return bool(KeyImportDialog(self.desk, self).exec())

    def show_recovery_key(self) -> None:
        from ui.dialogs.recovery_key_dialog import RecoveryKeyDialog

        RecoveryKeyDialog(self.desk, self).exec()

    def sign_in(self, desk: Desk) -> bool:
        """The first start creates the supervisor; every other start asks who is at the desk."""
        if desk.accounts.current is not None:
            return True
        if desk.accounts.needs_first_supervisor():
            from ui.dialogs.settings_dialog import SettingsDialog

            SettingsDialog(desk, True, self).exec()
        else:
            from ui.dialogs.sign_in_dialog import SignInDialog

            SignInDialog(desk, self).exec()
        return desk.accounts.current is not None

    def attach(self, desk: Desk) -> None:
        """Connect the window to its database: list, calendar, title, warnings."""
        from ui.models.case_list import CaseList
        from ui.models.case_table_model import CaseTableModel

        self.desk = desk
        self.calendar = desk.calendar.current()
        self.case_model = CaseTableModel(self)
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
        # Widths for a 1366-pixel screen; on a wider one the merchant's (long) name takes what is left.
        # The case number whole, with a point's code before it ("XFL-20261208-0001" was elided at 128 px).
        number = self.table.fontMetrics().horizontalAdvance("XFLW-20261208-0000") + 18
        for col, width in enumerate((number, 110, 128, 45, 72, 62, 100, 180, 110, 120, 120)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.setWindowTitle(self._title())
        self._show_count()
        self.refresh_today()
        for act in self.findChildren(QAction):
            act.setEnabled(act not in self.supervisor_actions)
        self._show_calendar_warnings()
        self._check_trail()
        self._start_lock()
        self._show_member()

    def _show_calendar_warnings(self) -> None:
        """What the calendar warns of today (a year without its holiday arrangements, …). In the
        background: the holiday library loads on first use (0.2 s)."""
        from ui.ops import QueryOp

        def shown(warnings: list[str]) -> None:
            from ui.ops import settle_heap

            self.notice.set_notice("；".join(warnings))
            self.today.show_notice(self.notice.full_text)
            self.actions_by_name["notice"].setEnabled(bool(warnings))
            settle_heap(collect=False)  # the holiday library's tables are start-up too

        desk = self.desk
        QueryOp(self, lambda _p: desk.calendar.warnings_today(), shown).replacing(f"calendar-{id(self)}").run_in_background()

    def _check_trail(self) -> None:
        """Every start checks the audit chain since its checkpoint (the links added since the last check:
        milliseconds; the whole chain only when there is no checkpoint yet, the audit window walks it all);
        a broken link is shown, the desk still opens. In the background all the same: a first walk of a
        large database takes seconds (bench/bench_stall.py)."""
        from ui.ops import QueryOp

        def shown(result) -> None:
            self.trail_warning.setVisible(not result.ok)
            if not result.ok:
                self.trail_warning.setText(f"⚠ 审计记录校验未通过：{result.broken.message()}。"
                                           "记录可能被人直接改动过，请立即告知负责人（负责人可在“审计日志”中查看）。")

        desk = self.desk
        QueryOp(self, lambda _p: desk.audit.verify_aside(full=False), shown).replacing(f"trail-{id(self)}").run_in_background()

    def _start_lock(self) -> None:
        from ui.lock import DeskLock

        if self.desk_lock is not None:
            self.desk_lock.stop()
        # In 演示模式 the person at the desk is still the member signed in at the real desk: their password
        # unlocks it (演示员 has none).
        members = self.live_desk if self.demo and self.live_desk is not None else self.desk
        self.desk_lock = DeskLock(members, self.desk.settings.idle_lock_minutes(), self)
        self.desk_lock.locked_changed.connect(self._lock_changed)

    def _lock_changed(self, locked: bool) -> None:
        """Unlocked, perhaps by a supervisor who acts from now on: every screen shows what they may do."""
        if not locked:
            from app.core.changes import Changes
            from ui.ops import announce

            announce(Changes(staff=True))

    def _show_member(self) -> None:
        """The member signed in, in the title; supervisor-only tasks only for supervisors."""
        from app.desk import only_supervisor

        who = self.desk.accounts.current
        self.setWindowTitle(self._title() + (f" — {who.display}" if who else ""))
        may = who is not None and who.is_supervisor
        for task, act in self.supervisor_tasks.items():
            act.setEnabled(may)
            act.setToolTip(act.property("tip") if may else only_supervisor(task))
        if self.demo:  # the demo database is made by the desk, never replaced by a backup of real cases
            self.backup_menu.restore_action.setEnabled(False)
            self.backup_menu.restore_action.setToolTip("演示模式中不能恢复备份；请先退出演示模式")

    def lock(self) -> None:
        if self.desk_lock is not None:
            self.desk_lock.lock()

    def switch_user(self) -> None:
        """切换用户 (Ctrl+Shift+L): the member signs out and the next signs in, without quitting. The window
        is covered meanwhile; 退出 in the sign-in dialog closes the desk, as at start (nobody is signed in).
        A demo in progress ends first: the next member starts at the real desk."""
        from app.core.changes import Changes
        from ui.lock import Cover
        from ui.ops import announce

        if self.demo:
            self.toggle_demo()
        desk = self.desk
        cover = Cover(self)
        try:
            desk.accounts.sign_out()
            signed_in = self.sign_in(desk)
        finally:
            self.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        if not signed_in:
            self.close()
            return
        announce(Changes(staff=True))  # the title and every supervisor's task follow the new member

    def _title(self) -> str:
        name = self.desk.settings.all().get("point.name")
        title = f"{TITLE} — {name}" if name else TITLE
        return f"【演示数据】{title} — 演示数据，不是正式案件" if self.demo else title

    def _actions(self) -> None:
        """The menu bar (Alt letters) and the toolbar; every action has a shortcut, shown in both."""
        bar = QToolBar("常用")
        bar.setMovable(False)
        self.addToolBar(bar)
        menus = self.menuBar()
        self.actions_by_name: dict[str, QAction] = {}

        def action(menu, name, text, shortcut, slot, tip="", toolbar=False, needs_desk=True):
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            plain_text = text.replace("&", "").rstrip("…")
            key = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText) if shortcut else ""
            act.setToolTip(f"{tip or plain_text}（{key}）" if key else tip or plain_text)
            act.setStatusTip(tip or plain_text)
            act.triggered.connect(slot)
            menu.addAction(act)
            if toolbar:
                bar.addAction(act)
            act.setProperty("needs_desk", needs_desk)
            self.actions_by_name[name] = act
            return act

        cases = menus.addMenu("案件(&C)")
        self.new_action = action(cases, "new", "新登记(&N)…", "Ctrl+N", self.new_case, "登记投诉、咨询或举报",
                                 toolbar=True)
        self.open_action = action(cases, "open", "打开案件(&O)", "Ctrl+O", self.open_current,
                                  "打开列表或今日待办中选中的案件", toolbar=True)
        action(cases, "find", "查找(&F)", "Ctrl+F", self.focus_search, "按编号、姓名、电话、经营者、商品查找")
        action(cases, "visit", "已回访(&V)…", "F6", self.visit_current, "记录今日待办中选中案件的回访")
        action(cases, "lookup", "电话查询(&P)…", "Ctrl+T", self.open_phone_lookup,
               "来电人报案件编号和回执上的查询码，告知办理进度（不涉及个人信息）")
        action(cases, "refresh", "刷新(&R)", "F5", self.refresh, toolbar=True)
        cases.addSeparator()
        action(cases, "quit", "退出(&X)", "Ctrl+Q", self.close, needs_desk=False)

        view = menus.addMenu("查看(&V)")
        action(view, "today", "今日待办(&T)", "Ctrl+1", lambda: self.tabs.setCurrentIndex(0), toolbar=True,
               needs_desk=False)
        action(view, "list", "案件列表(&L)", "Ctrl+2", lambda: self.tabs.setCurrentIndex(1), toolbar=True,
               needs_desk=False)
        action(view, "next_tab", "下一页签", "Ctrl+Tab", self.next_tab, needs_desk=False)
        action(view, "notice", "期限提醒全文(&W)…", "", lambda: self.notice.read(),
               "状态栏中期限提醒的全文（如尚未录入的节假日安排）")
        bar.addSeparator()

        work = menus.addMenu("业务(&W)")
        action(work, "merchants", "经营者(&M)…", "Ctrl+M", self.open_merchants, "经营者登记、承诺、退市记录、信用等级",
               toolbar=True)
        action(work, "posters", "宣传栏与消费提示(&B)…", "Ctrl+B", self.open_posters, "打印宣传栏、编辑并打印消费提示",
               toolbar=True)
        action(work, "dashboard", "统计与热点(&S)…", "Ctrl+R", self.open_dashboard, "月度汇总、图表、热点问题",
               toolbar=True)
        action(work, "watch", "防骗号码(&W)…", "Ctrl+K", self.open_watch, "冒充售后等可疑号码的监控名单",
               toolbar=True)
        action(work, "register", "文书登记簿(&G)…", "Ctrl+G", self.open_register, "打印或保存过的文书：编号、案件、打印人、时间")
        action(work, "ledger", "台账导入导出(&I)…", "Ctrl+I", self.open_ledger, "从 Excel 台账导入案件，或导出一段时间的案件",
               toolbar=True)

        setup = menus.addMenu("设置(&S)")
        setup.setToolTipsVisible(True)  # why a supervisor's task is greyed out
        action(setup, "settings", "联络点设置(&P)…", "Ctrl+,", lambda: self.open_settings(False),
               "联络点名称、联系人、电话、协助单位")
        action(setup, "holidays", "节假日安排(&H)…", "Ctrl+H", self.open_holidays, "录入国务院公布的放假与调休安排")
        setup.addSeparator()
        self.demo_action = action(setup, "demo", "演示模式(&D)", "Ctrl+Shift+D", self.toggle_demo,
                                  "打开单独的演示数据库试用，不影响正式案件；再按一次回到正式数据", needs_desk=False)
        self.demo_action.setCheckable(True)

        manage = menus.addMenu("管理(&G)")
        manage.setToolTipsVisible(True)
        action(manage, "staff", "人员管理(&P)…", "", self.open_staff, "工作人员账号、角色、密码（负责人）")
        action(manage, "audit", "审计日志(&A)…", "", self.open_audit, "谁在何时查看、打印、导出、修改了什么（负责人）")
        action(manage, "phrases", "常用语(&Y)…", "", self.open_phrases, "答复、调解记录、回访中插入的常用语（负责人修改）")
        manage.addSeparator()
        self.lock_action = action(manage, "lock", "锁定(&L)（Ctrl+L）", "", self.lock,
                                  "离开时锁定工作台（Ctrl+L），未保存的内容都保留")
        self.switch_action = action(manage, "switch_user", "切换用户(&U)…", "Ctrl+Shift+L", self.switch_user,
                                    "换另一位工作人员登录，不必退出程序")

        helpm = menus.addMenu("帮助(&H)")
        action(helpm, "keys", "快捷键一览(&K)", "F1", self.show_shortcuts, needs_desk=False)
        action(helpm, "about", "关于(&A)", "", self.show_about, needs_desk=False)
        for act in self.actions_by_name.values():
            if act.property("needs_desk"):
                act.setEnabled(self.attached is not None)  # enabled once the database is open

    def open_phone_lookup(self) -> None:
        from ui.dialogs.phone_lookup_dialog import PhoneLookupDialog

        run_modal(PhoneLookupDialog(self.desk, self))

    def open_register(self) -> None:
        from ui.windows.register_window import RegisterWindow

        run_modal(RegisterWindow(self.desk, self))

    def _toggle_dates(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self._into_list()
            return True
        return super().eventFilter(watched, event)

    def _into_list(self) -> None:
        """↓ in the search box: into the results, first row selected."""
        self.debounce.stop()
        self.apply_filter()
        if self.case_model is not None and self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(max(self.table.currentIndex().row(), 0))

    def _search_enter(self) -> None:
        """Enter in the search box opens the first result at once."""
        self.debounce.stop()
        self.apply_filter()
        if self.case_model is not None and self.model.rowCount():
            self.table.selectRow(0)
            self.open_case(0)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.search.setFocus()
        self.search.selectAll()

    def next_tab(self) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % self.tabs.count())

    def current_filter(self) -> CaseFilter:
        from app.desk import CaseFilter

        code = self.state.code()
        base = CaseFilter(
            state=None if not code or code.startswith("due:") else code, kind=self.kind.code() or None,
            text=self.search.text().strip(),
            date_from=picked(self.date_from) if self.use_dates.isChecked() else None,
            date_to=picked(self.date_to) if self.use_dates.isChecked() else None,
        )
        if code.startswith("due:"):
            return self.desk.worklist.filter(code[4:], base=base)
        return base

    def show_work_filter(self, name: str) -> None:
        """A count on the start page clicked: the list with only those cases."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.kind.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.state.set_code(f"due:{name}")
        self.apply_filter()
        self.tabs.setCurrentIndex(1)
        self.table.setFocus()
        if self.model.rowCount():
            self.table.selectRow(0)

    def apply_filter(self) -> None:
        if self.case_model is None:
            return
        f = self.current_filter()
        if not f.text.strip():
            self._show_filtered(f)
            return
        # A search by phone or name is recorded first (a write: off the UI thread), and refused past the
        # minute's limit: then the list stays as it was.
        from ui.ops import QueryOp, show_error

        desk = self.desk
        QueryOp(self, lambda _p: desk.cases.audit_personal_search(f.text), lambda _r: self._show_filtered(f)) \
            .failure(lambda e: show_error(self, e, "查找")).replacing(f"search-{id(self)}").run_in_background()

    def _show_filtered(self, f: CaseFilter) -> None:
        self.cases.set_filter(f)
        self._show_count()

    def _show_count(self) -> None:
        total = self.model.total
        self.count_label.setText("正在查找…" if total is None else f"共 {total} 件")

    def on_changes(self, changes: Changes) -> None:
        """Any write anywhere in the window (ui/ops.ChangeOp): show what it changed."""
        if self.attached is None or self.case_model is None:
            return
        if changes.calendar or changes.database:
            self.calendar = self.desk.calendar.current()
            self.cases.calendar = self.calendar
            self._show_calendar_warnings()
        if changes.settings or changes.staff or changes.database:
            self._show_member()
        if changes.settings and self.desk_lock is not None:
            self.desk_lock.set_minutes(self.desk.settings.idle_lock_minutes())
        if changes.touches_cases or changes.merchants:
            self.refresh()

    def refresh(self) -> None:
        if self.case_model is None:
            return
        self.cases.reload()
        self._show_count()
        self.refresh_today()

    def refresh_today(self) -> None:
        """今日待办 in the background: on a large database it reads for a good part of a second."""
        from ui.ops import QueryOp

        if self.attached is not None:
            desk = self.desk
            QueryOp(self, lambda _p: desk.worklist.today(), self.today.show_work).replacing(
                f"today-{id(self)}").run_in_background()

    def closeEvent(self, event) -> None:
        if self.desk_lock is not None:
            self.desk_lock.stop()
        if self.window_settings is not None:
            self.window_settings.setValue("main/geometry", self.saveGeometry())
        self.wait_for_threads()
        super().closeEvent(event)

    def wait_for_threads(self) -> None:
        """Background work finishes before the window goes (a daily backup cut off by closing was a crash)."""
        from ui import ops

        ops.wait_for_all()

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
        from ui.windows.intake_form import IntakeForm

        form = IntakeForm(self.desk, self)
        form.open_existing.connect(self.open_case_no)
        accepted = form.exec()
        saved, linked = form.saved_case, form.linked_case
        form.deleteLater()
        if accepted and saved:  # the list follows through on_changes
            self.show_receipt(saved["case_no"])
        elif accepted and linked:  # 关联到该案: the contact went into that case; show it
            self.open_case_no(linked)

    def show_receipt(self, case_no: str) -> None:
        from ui.ops import QueryOp
        from ui.widgets.pdf_preview import PdfPreview, with_pages

        desk = self.desk
        QueryOp(self, lambda _p: with_pages(desk.documents.receipt_pdf(case_no)), lambda made: run_modal(PdfPreview(
            made[0], f"登记回执 {case_no}", f"回执_{case_no}.pdf", self, drawn=made[1],
            on_print=lambda where: desk.documents.printed("receipt", case_no, where)))).run_in_background()

    def open_current(self) -> None:
        if self.tabs.currentIndex() == 0:
            item = self.today.current_item()
            if item is not None:
                self.open_case_no(item.case_no)
        else:
            self.open_case(self.table.currentIndex().row())

    def open_case(self, row: int) -> None:
        if self.case_model is None or row < 0 or row >= self.model.rowCount():
            return
        self.open_case_no(self.model.case_no(row))

    def open_case_no(self, case_no: str) -> None:
        from ui.windows.case_view import read_and_open

        def opened(view) -> None:
            QTimer.singleShot(0, view, lambda: run_modal(view))  # after the read's callback has returned

        read_and_open(self.desk, case_no, self, opened)

    def visit_current(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.today.record_visit()

    def record_follow_up(self, case_no: str) -> None:
        """已回访 from the start page: the follow-up form of that case, without opening it."""
        from ui.windows.case_view import follow_up_dialog, whom_to_call

        item = next((i for i in self.today.work.items if i.case_no == case_no), None) if self.today.work else None
        whom = whom_to_call(item.consumer, item.phone) if item else ""  # masked, as the start page shows it
        run_modal(follow_up_dialog(self.desk, case_no, self, whom))  # the list follows through on_changes

    def show_shortcuts(self) -> None:
        from ui.dialogs.shortcuts_dialog import ShortcutsDialog

        run_modal(ShortcutsDialog(self.actions_by_name.values(), self))

    def show_about(self) -> None:
        QMessageBox.about(self, "关于", f"{TITLE}\n消费维权联络点的登记、调解、回访、统计与宣传工具。")

    def toggle_demo(self) -> None:
        """演示模式: the separate demo database (filled with fictitious cases the first time); again: back."""
        from app.desk import Desk

        if self.demo:
            demo_desk, self.demo = self.desk, False
            assert self.live_desk is not None  # the demo desk was opened from it
            self.attach(self.live_desk)
            demo_desk.store.dispose()
            self.demo_action.setChecked(False)
            return
        from ui.ops import QueryOp

        def opened(desk: Desk) -> None:
            self.live_desk, self.demo = self.desk, True
            self.demo_action.setChecked(True)
            self.attach(desk)

        def failed(e: BaseException) -> None:  # the demo must never take the desk down
            QMessageBox.warning(self, "无法打开演示数据", error_text(e))
            self.demo_action.setChecked(False)

        self.demo_action.setChecked(False)  # until it is open
        QueryOp(self, lambda progress: Desk.open_demo(progress), opened).failure(failed).with_progress("正在准备演示数据…").run_in_background()

    def open_watch(self) -> None:
        from ui.dialogs.watch_dialog import WatchDialog

        run_modal(WatchDialog(self.desk, self))

    def open_dashboard(self) -> None:
        from ui.windows.dashboard import Dashboard

        run_modal(Dashboard(self.desk, self))

    def open_ledger(self) -> None:
        from ui.dialogs.ledger_dialog import LedgerDialog

        run_modal(LedgerDialog(self.desk, self))

    def open_posters(self) -> None:
        from ui.windows.poster_editor import PosterEditor

        run_modal(PosterEditor(self.desk, self))

    def open_merchants(self) -> None:
        from ui.windows.merchant_window import MerchantWindow

        run_modal(MerchantWindow(self.desk, self))

    def open_settings(self, first_run: bool = False) -> None:
        from ui.dialogs.settings_dialog import SettingsDialog

        run_modal(SettingsDialog(self.desk, first_run, self))  # title and idle lock follow through on_changes

    def open_staff(self) -> None:
        from ui.dialogs.staff_dialog import StaffDialog

        run_modal(StaffDialog(self.desk, self))

    def open_phrases(self) -> None:
        from ui.dialogs.phrases_dialog import PhrasesDialog

        run_modal(PhrasesDialog(self.desk, self))

    def open_audit(self) -> None:
        from ui.windows.audit_window import AuditWindow

        run_modal(AuditWindow(self.desk, self))

    def open_holidays(self) -> None:
        from ui.dialogs.holidays_dialog import HolidaysDialog

        dialog = HolidaysDialog(self.desk, self)
        if dialog.exec():  # the list and the calendar follow through on_changes
            self.statusBar().showMessage(f"节假日安排已保存，{dialog.updated or 0} 件在办案件的期限已随之更新")
        dialog.deleteLater()
