"""Ledger (台账) import and export in the window: pick a file, see every bad row, or export a period."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.changes import Changes
from app.desk import Desk
from ui import file_dialogs, labels
from ui.errors import error_text
from ui.ops import ChangeOp, QueryOp
from ui.widgets.fields import fit_to_screen, picked, qdate

FILTER = "台账文件 (*.xlsx *.csv *.jsonl)"


class LedgerDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.busy, self.last_count = False, 0
        self.desk = desk
        self.setWindowTitle("台账导入导出与转办汇总")
        fit_to_screen(self, 860, 640)
        imp = QGroupBox("导入台账（全部无误才导入，有错的行会逐一列出）")
        il = QVBoxLayout(imp)
        row = QHBoxLayout()
        self.import_button = QPushButton("选择文件并导入(&I)…")
        self.template_button = QPushButton("保存台账模板(&T)（含填写说明和示例）…")
        self.import_button.clicked.connect(self.ask_import)
        self.template_button.clicked.connect(self.ask_template)
        row.addWidget(self.import_button)
        row.addWidget(self.template_button)
        row.addStretch(1)
        il.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        il.addWidget(self.status)
        self.errors = QTableWidget(0, 3)
        self.errors.setHorizontalHeaderLabels(["行", "字段", "问题"])
        self.errors.verticalHeader().hide()
        self.errors.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        il.addWidget(self.errors)

        exp = QGroupBox("导出")
        ef = QFormLayout(exp)
        self.date_from = QDateEdit(qdate(clock.today()).addMonths(-1))
        self.date_to = QDateEdit(qdate(clock.today()))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.full = QCheckBox("同意提供个人信息的消费者导出完整信息（其余仍遮盖；导出会记录）")
        self.export_button = QPushButton("导出(&E)…")
        self.export_button.clicked.connect(self.ask_export)
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(QLabel("至"))
        period.addWidget(self.date_to)
        period.addStretch(1)
        ef.addRow("登记日期", period)
        ef.addRow("", self.full)
        export_row = QHBoxLayout()  # buttons as wide as their words, not the whole form
        export_row.addWidget(self.export_button)
        export_row.addStretch(1)
        ef.addRow("", export_row)
        self.referral_pdf_button = QPushButton("转办汇总 PDF…")
        self.referral_xlsx_button = QPushButton("转办汇总 Excel…")
        self.referral_pdf_button.clicked.connect(lambda: self.ask_referrals(".pdf"))
        self.referral_xlsx_button.clicked.connect(lambda: self.ask_referrals(".xlsx"))
        batch = QHBoxLayout()
        batch.addWidget(self.referral_pdf_button)
        batch.addWidget(self.referral_xlsx_button)
        batch.addStretch(1)
        ef.addRow("本期移送的案件", batch)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(imp)
        lay.addWidget(exp)
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(close)
        lay.addLayout(closing)

    def ask_import(self) -> None:
        path = file_dialogs.open_file(self, "导入台账", FILTER)
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Imports in the background with progress and 取消; the outcome shows in the dialog."""
        from app.desk import ImportRejected

        self.errors.setRowCount(0)
        self.busy, self.last_count = True, 0
        desk = self.desk

        def done(numbers: list[str]) -> None:
            self.busy, self.last_count = False, len(numbers)
            self.status.setText(f"已导入 {len(numbers)} 件（{numbers[0]} 至 {numbers[-1]}）。")

        def failed(e: BaseException) -> None:
            self.busy = False
            if isinstance(e, ImportRejected):
                self.errors.setRowCount(len(e.rows))
                for r, err in enumerate(e.rows):
                    for c, v in enumerate((str(err.row), labels.field_label(err.field) or err.field,
                                           err.shown or err.message)):
                        self.errors.setItem(r, c, QTableWidgetItem(v))
                self.errors.resizeColumnToContents(0)
                self.status.setText(f"<span style='color:#c0392b'>有 {len(e.rows)} 处错误，没有导入任何案件。"
                                    "请改正后重新导入。</span>")
            else:
                self.status.setText(f"<span style='color:#c0392b'>无法导入：{error_text(e)}</span>")

        op = ChangeOp(self, lambda progress: desk.ledger.import_file(path, progress=progress), Changes(all_cases=True),
                      done).failure(failed)
        op.with_progress("正在导入台账…", cancellable=True).run_in_background()
        op.signals.failed.connect(lambda e: self._cancelled(e, "已取消，没有导入任何案件。"))

    def ask_template(self) -> None:
        path = file_dialogs.save_file(self, "保存台账模板", "维权台账模板.xlsx", "Excel 文件 (*.xlsx)")
        if path:
            self.desk.ledger.template(path)
            self.status.setText(f"模板已保存到 {path}")

    def ask_export(self) -> None:
        path = file_dialogs.save_file(self, "导出", "维权台账.xlsx", FILTER)
        if path:
            self.export_file(path)

    def ask_referrals(self, suffix: str) -> None:
        name = f"转办汇总{suffix}"
        path = file_dialogs.save_file(self, "转办汇总", name, f"文件 (*{suffix})")
        if path:
            self.referrals_file(path)

    def referrals_file(self, path: str) -> None:

        self.busy = True
        desk, start, end = self.desk, picked(self.date_from), picked(self.date_to)

        def done(written) -> None:
            self.busy = False
            # one file per target (消保委 / 市场监管) when the period has both
            self.status.setText("转办汇总已保存到 " + "、".join(str(p) for p in (written or [path])))

        def failed(e: BaseException) -> None:
            self.busy = False
            self.status.setText(f"<span style='color:#c0392b'>{error_text(e)}</span>")

        QueryOp(self, lambda _p: desk.documents.referral_batch(start, end, path), done).failure(failed) \
            .with_progress("正在生成转办汇总…").run_in_background()

    def export_file(self, path: str) -> None:
        from app.desk import CaseFilter

        f = CaseFilter(date_from=picked(self.date_from), date_to=picked(self.date_to))
        self.busy, self.last_count = True, 0
        desk, full = self.desk, self.full.isChecked()

        def done(n: int) -> None:
            self.busy, self.last_count = False, n
            self.status.setText(f"已导出 {n} 件到 {path}")

        def failed(e: BaseException) -> None:
            self.busy = False
            self.status.setText(f"<span style='color:#c0392b'>无法导出：{error_text(e)}</span>")

        op = QueryOp(self, lambda progress: desk.ledger.export(path, f, full, progress=progress), done).failure(failed)
        op.with_progress("正在导出…", cancellable=True).run_in_background()
        op.signals.failed.connect(lambda e: self._cancelled(e, "已取消导出。"))

    def _cancelled(self, e: BaseException, message: str) -> None:
        from app.core.progress import Cancelled

        if isinstance(e, Cancelled):
            self.busy = False
            self.status.setText(message)
