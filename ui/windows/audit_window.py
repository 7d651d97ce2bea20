"""审计日志 (supervisor): the trail of views, prints, exports, changes and sign-ins, filtered, with its check."""
from __future__ import annotations

import datetime as dt
import re

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError
from app.desk import AUDIT_ACTIONS, TrailFilter
from ui.errors import error_text
from ui.models.trail_model import TrailModel
from ui.widgets.fields import picked, qdate

COLUMNS = ("序号", "时间", "工作人员", "操作", "案件编号", "内容")
SHOWN = 5000  # the newest rows of a filter; narrow it to see older ones
SETTING_KEY = re.compile(r"（[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+）")  # "受理期限（deadline.acceptance_days）"
YES_NO = {"“true”": "“是”", "“false”": "“否”"}


# problem found by the check -> (button, question, AuditService method)
_RESEAL = ("重新加封…", "只有在没有数据密钥的电脑上升级过的数据库才需要重新加封。确认本数据库是这样升级的吗？"
                      "\n（重新加封记入审计日志；若本电脑记得记录链早已加封，将拒绝。）", "reseal")
_ACKNOWLEDGE = ("核实后确认…", "确认已核实上面报告的问题？\n直接写入的记录将就地加封，被直接改动的案件或账号按现状加封，"
                              "本电脑记下的链末端改为现在的末端；每一项都记入审计日志。", "acknowledge")
RESOLVE = {"unkeyed": _RESEAL, "facts_unsealed": _RESEAL, "inserted": _ACKNOWLEDGE, "waiting": _ACKNOWLEDGE,
           "anchor": _ACKNOWLEDGE, "facts": _ACKNOWLEDGE}


def shown_detail(detail: str) -> str:
    """An entry's text for the window: setting names without their codes (the CLI shows those)."""
    text = SETTING_KEY.sub("", detail)
    for code, label in YES_NO.items():
        text = text.replace(code, label)
    return text


class AuditWindow(QDialog):
    def __init__(self, desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("审计日志")
        self.resize(1100, 640)
        self.status = QLabel()
        self.status.setObjectName("chain_status")
        today = clock.today()
        self.date_from = QDateEdit(qdate(today - dt.timedelta(days=30)))
        self.date_to = QDateEdit(qdate(today))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.staff = QComboBox()
        self.action = QComboBox()
        self.action.addItem("全部操作", "")
        for code, label in AUDIT_ACTIONS.items():
            self.action.addItem(label, code)
        self.case_no = QLineEdit()
        self.case_no.setPlaceholderText("案件编号")
        self.case_no.setClearButtonEnabled(True)
        search = QPushButton("查询")
        search.setDefault(True)
        search.clicked.connect(self.reload)
        filters = QHBoxLayout()
        for w in (QLabel("日期"), self.date_from, QLabel("至"), self.date_to, QLabel("工作人员"), self.staff,
                  QLabel("操作"), self.action, self.case_no, search):
            filters.addWidget(w)
        filters.addStretch(1)
        self.model = TrailModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((60, 150, 110, 110, 150)):
            self.table.setColumnWidth(col, width)
        self.count = QLabel()
        # What a supervisor can do about what the check found (hidden while there is nothing to do).
        self.resolve = QPushButton()
        self.resolve.setObjectName("resolve_chain")
        self.resolve.setAutoDefault(False)
        self.resolve.hide()
        self.resolve.clicked.connect(self._resolve)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.resolve)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        close = QPushButton("关闭 (Esc)")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self._fill_staff()
        self.check()
        self.reload()

    def _fill_staff(self) -> None:
        self.staff.addItem("全部人员", "")
        try:
            for name in self.desk.audit.staff_names():
                self.staff.addItem(name, name)
        except FieldError:
            pass

    def check(self) -> None:
        """The whole chain, first link to last, in the background (2M links take over a minute, in a
        process of their own): the trail can be read meanwhile; the result replaces the note."""
        from ui.ops import QueryOp

        self.checked: object = None  # the last result (a Verification, or the error): tests wait on it
        self.resolve_kind: tuple[str, str, str] | None = None
        self.status.setText("正在校验整条记录链（从第一条到最后一条），可先查看下面的记录…")
        self.status.setStyleSheet("color: #555;")
        desk = self.desk
        QueryOp(self, lambda _p: desk.audit.verify_aside(full=True), self._show_check) \
            .failure(self._check_failed).replacing(f"audit-check-{id(self)}").run_in_background()

    def _show_check(self, result) -> None:
        self.checked = result
        problem = result.broken.problem if result.broken is not None else ""
        self.resolve_kind = RESOLVE.get(problem)
        if self.resolve_kind is not None:
            self.resolve.setText(self.resolve_kind[0])
        self.resolve.setVisible(self.resolve_kind is not None)
        if result.ok:
            self.status.setText(f"记录链完好：共 {result.links} 条，没有被修改、删除或插入。")
            self.status.setStyleSheet("color: #1e7e34; font-weight: bold;")
        else:
            self.status.setText(f"⚠ 记录链校验未通过：{result.broken.message()}")
            self.status.setStyleSheet("background: #c0392b; color: white; padding: 4px; font-weight: bold;")

    def _resolve(self) -> None:
        """重新加封 / 核实后确认: asked first, recorded in the trail, then the chain is checked again."""
        from app.core.changes import Changes
        from ui.ops import ChangeOp

        if self.resolve_kind is None:
            return
        label, question, method = self.resolve_kind
        answer = QMessageBox.question(self, label, question, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        audit = self.desk.audit
        ChangeOp(self, lambda _p: getattr(audit, method)(), Changes(), self._resolved).run_in_background()

    def _resolved(self, _result) -> None:
        self.check()
        self.reload()

    def _check_failed(self, exc: BaseException) -> None:
        self.checked = exc
        self.status.setText(f"⚠ 记录链未能校验：{error_text(exc)}")
        self.status.setStyleSheet("background: #c0392b; color: white; padding: 4px; font-weight: bold;")

    def current_filter(self) -> TrailFilter:
        start = dt.datetime.combine(picked(self.date_from), dt.time(), LOCAL_TZ)
        end = dt.datetime.combine(picked(self.date_to) + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
        return TrailFilter(since=start, until=end, staff=self.staff.currentData() or "",
                                 action=self.action.currentData() or "", case_no=self.case_no.text().strip())

    def reload(self) -> None:
        """The trail under the filter, read in the background (5,000 rows of a large trail took the
        window half a second); only the newest reading is shown."""
        from ui.ops import QueryOp

        desk, f = self.desk, self.current_filter()
        QueryOp(self, lambda _p: desk.audit.trail(f, limit=SHOWN), self.show_rows).failure(self._unreadable) \
            .replacing(f"audit-trail-{id(self)}").at_once().run_in_background()

    def _unreadable(self, exc: BaseException) -> None:
        self.show_rows([])
        self.count.setText(error_text(exc))

    def show_rows(self, rows: list[dict]) -> None:
        rows.reverse()  # newest first
        self.model.set_rows([(str(e["seq"] or "—"), e["at"][:19].replace("T", " "), e["staff"], e["action_label"],
                              e["case_no"], shown_detail(e["detail"])) for e in rows])
        self.count.setText(f"共 {len(rows)} 条" + ("（只显示最新的部分，请缩小范围）" if len(rows) >= SHOWN else ""))
