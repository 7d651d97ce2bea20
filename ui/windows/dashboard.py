"""The supervisor's dashboard: the month's figures, the same charts as the printed report, hot issues."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.desk import Desk
from ui.errors import error_text
from ui.widgets.fields import fit_to_screen, run_modal


def numbers_text(case_nos: list[str], shown: int) -> str:
    """The case numbers of a hot issue, the first `shown` of them: a district's issue can have 200,000,
    and laying out all of them in a cell stopped the window half a second."""
    head = "、".join(case_nos[:shown])
    return head if len(case_nos) <= shown else f"{head} …等 {len(case_nos)} 件"


class Dashboard(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None, month: str | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("统计与热点")
        fit_to_screen(self, 1200, 860)
        self.month = QLineEdit(month or f"{clock.today():%Y-%m}")
        self.month.setMaximumWidth(100)
        self.month.returnPressed.connect(self.load)
        show = QPushButton("统计(&T)")
        show.clicked.connect(self.load)
        self.print_button = QPushButton("月度汇总 PDF(&P)…")
        self.print_button.clicked.connect(self.print_report)
        top = QHBoxLayout()
        month_label = QLabel("月份(&Y)（如 2026-11）")
        month_label.setBuddy(self.month)
        top.addWidget(month_label)
        top.addWidget(self.month)
        top.addWidget(show)
        top.addWidget(self.print_button)
        top.addStretch(1)
        self.council_button = QPushButton("报送消保委(&C)…")
        self.council_button.clicked.connect(self.open_council_package)
        self.merge_button = QPushButton("合并各联络点报送(&M)…")
        self.merge_button.setToolTip("消保委使用：核验各联络点的签名报送包，生成区汇总")
        self.merge_button.clicked.connect(self.open_council_merge)
        top.addWidget(self.council_button)
        top.addWidget(self.merge_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.charts = {name: QSvgWidget() for name in ("category", "nature", "trend")}
        for chart in self.charts.values():
            chart.setMinimumSize(240, 160)
        grid = QGridLayout()
        grid.addWidget(self.charts["category"], 0, 0, 2, 1)
        grid.addWidget(self.charts["nature"], 0, 1)
        grid.addWidget(self.charts["trend"], 1, 1)
        self.hot = QTableWidget(0, 3)
        self.hot.setHorizontalHeaderLabels(["热点（30日内）", "件数", "案件"])
        self.hot.verticalHeader().hide()
        self.hot.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.hot.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.hot.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.hot.setToolTip("双击或回车查看热点详情")
        self.hot.activated.connect(lambda index: self.show_detail(index.row()))
        self.hot.doubleClicked.connect(lambda index: self.show_detail(index.row()))
        self.draft_button = QPushButton("起草反映材料（市场监管）(&D)…")
        self.draft_button.clicked.connect(self.draft)
        self.error = QLabel()
        self.error.setStyleSheet("color:#c0392b")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.error)
        lay.addWidget(self.summary)
        lay.addLayout(grid, 3)
        lay.addWidget(self.hot, 1)
        below = QHBoxLayout()  # a button as wide as its words, under the table it acts on
        below.addStretch(1)
        below.addWidget(self.draft_button)
        lay.addLayout(below)
        self.figures: dict | None = None
        self.loading = False
        self.load()

    def load(self) -> None:
        """Counts and charts in the background; the dashboard answers meanwhile."""
        from ui.ops import QueryOp

        month = self.month.text().strip()
        desk = self.desk

        def work(_progress):
            f = desk.reports.monthly(month)
            return f, desk.reports.chart_svgs(f)

        def failed(e: BaseException) -> None:

            self.error.setText(error_text(e))
            self.loading = False

        self.loading = True
        self.error.setText("正在统计…")
        QueryOp(self, work, self._show).failure(failed).replacing(f"dashboard-{id(self)}").run_in_background()

    def _show(self, result) -> None:
        f, svgs = result
        self.loading = False
        self.error.setText("")
        self.figures = f
        o = f["outcomes"]
        self.summary.setText(
            f"<b>{f['from']} 至 {f['to']}</b>　登记 {f['received']} 件（投诉 {f['complaints']}，环比 "
            f"{f['change_vs_previous_month'] if f['change_vs_previous_month'] is not None else '—'}%，同比 "
            f"{f['change_vs_last_year'] if f['change_vs_last_year'] is not None else '—'}%）　调解成功 {o['resolved']}　"
            f"调解成功率 {f['resolution_rate'] if f['resolution_rate'] is not None else '—'}%　"
            f"挽回经济损失 {f['recovered']} 元　受理按期率 "
            f"{f['acceptance_on_time'] if f['acceptance_on_time'] is not None else '—'}%")
        for name, svg in svgs.items():
            self.charts[name].load(QByteArray(svg))
            # After each load: the mode belongs to the loaded document. A pie stays a circle at any size.
            self.charts[name].renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.hot.setRowCount(len(f["hot_issues"]))
        for r, h in enumerate(f["hot_issues"]):
            for c, v in enumerate((f"{h['label']}：{h['value']}", str(h["count"]), numbers_text(h["case_nos"], 30))):
                item = QTableWidgetItem(v)
                item.setToolTip(v)  # names are long: the whole of it on hover
                self.hot.setItem(r, c, item)
        self.hot.resizeColumnToContents(0)
        self.hot.setColumnWidth(0, max(140, min(self.hot.columnWidth(0), 520)))
        self.draft_button.setEnabled(bool(f["hot_issues"]))

    def show_detail(self, row: int) -> None:
        """One hot issue in full: what recurs, how often, and every case number."""
        from PySide6.QtWidgets import QMessageBox

        if self.figures is None or not 0 <= row < len(self.figures["hot_issues"]):
            return
        h = self.figures["hot_issues"][row]
        box = QMessageBox(QMessageBox.Icon.Information, "热点详情",
                          f"{h['label']}：{h['value']}\n30日内 {h['count']} 件\n\n案件：" + numbers_text(h["case_nos"], 300),
                          QMessageBox.StandardButton.NoButton, self)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        run_modal(box)

    def selected_hot(self) -> dict | None:
        row = self.hot.currentRow()
        if self.figures is None or not self.figures["hot_issues"]:
            return None
        return self.figures["hot_issues"][max(row, 0)]

    def draft_pdf(self) -> bytes | None:
        hot = self.selected_hot()
        return self.desk.documents.hot_issue_draft(hot) if hot else None

    def draft(self) -> None:
        from ui.widgets.pdf_preview import PdfPreview

        pdf = self.draft_pdf()
        hot = self.selected_hot()
        if pdf and hot:
            run_modal(PdfPreview(pdf, "热点问题反映（草稿）", "热点问题反映.pdf", self, on_print=lambda where: (
                self.desk.documents.printed("hot_issue", "", where, f"{hot['value']}（{len(hot['case_nos'])} 件）"))))

    def print_report(self) -> None:
        from ui.ops import QueryOp
        from ui.widgets.pdf_preview import PdfPreview

        month = self.month.text().strip()
        desk = self.desk

        def failed(e: BaseException) -> None:

            self.error.setText(error_text(e))

        def show(pdf: bytes) -> None:
            run_modal(PdfPreview(pdf, f"月度汇总 {month}", f"月度汇总_{month}.pdf", self))

        QueryOp(self, lambda _p: desk.documents.monthly_pdf(month), show).failure(
            failed).with_progress("正在生成月度汇总…").run_in_background()

    def open_council_package(self) -> None:
        from ui.windows.council_window import CouncilPackageDialog

        CouncilPackageDialog(self.desk, self, self.month.text().strip()).exec()

    def open_council_merge(self) -> None:
        from ui.windows.council_window import CouncilMergeDialog

        CouncilMergeDialog(self.desk, self).exec()
