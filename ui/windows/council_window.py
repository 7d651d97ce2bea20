"""报送消保委 (the point's signed package and public key) and 合并各联络点报送 (the council's district report)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.errors import FieldError, InputError
from app.core.progress import Progress
from app.desk import Desk
from ui import file_dialogs
from ui.errors import error_text
from ui.ops import QueryOp, show_error
from ui.widgets.fields import ErrorLabel
from ui.widgets.qr import qr_pixmap


def _last_month() -> str:
    today = clock.today()
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.setItem(r, c, QTableWidgetItem("—" if v is None else str(v)))
    table.resizeColumnsToContents()


class CouncilPackageDialog(QDialog):
    """At the point: make the month's signed package; show the public key (text and QR code)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None, month: str | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("报送消保委")
        self.resize(760, 560)
        self.month = QLineEdit(month or _last_month())
        self.month.setMaximumWidth(100)
        self.package_button = QPushButton("生成报送包…")
        self.package_button.clicked.connect(self.choose_and_package)
        top = QHBoxLayout()
        top.addWidget(QLabel("报送月份（如 2026-11）"))
        top.addWidget(self.month)
        top.addWidget(self.package_button)
        top.addStretch(1)
        self.keys = desk.council.keys()
        key_box = QGroupBox("本联络点公钥（交消保委登记；私钥不出本机）")
        form = QFormLayout(key_box)
        self.fingerprint = QLabel(self.keys["fingerprint"])
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.public_key = QLineEdit(self.keys["public_key"])
        self.public_key.setReadOnly(True)
        self.qr = QLabel()
        self.qr.setPixmap(qr_pixmap(self.keys["public_key"], scale=4, border=2))
        self.save_key_button = QPushButton("公钥另存为…")
        self.save_key_button.clicked.connect(self.choose_and_save_key)
        form.addRow("指纹", self.fingerprint)
        form.addRow("公钥", self.public_key)
        form.addRow("二维码", self.qr)
        form.addRow("私钥保存在", QLabel(self.keys["kept_in"]))
        form.addRow("", self.save_key_button)
        note = QLabel("报送包含本月统计数字（与月度汇总相同）、转办摘要、逐案数据（消费者个人信息已遮盖，"
                      "同意向消保委提供的除外）和月度汇总 PDF，并以本联络点的私钥签名；任何改动都会被消保委发现。")
        note.setWordWrap(True)
        self.status = QLabel()
        self.error = ErrorLabel()
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(note)
        lay.addWidget(key_box)
        lay.addWidget(self.error)
        lay.addWidget(self.status)
        lay.addStretch(1)

    def package_to(self, path: str) -> QueryOp:
        """The month's package made and written in the background (it renders the monthly report)."""
        from app.core import files

        month, desk = self.month.text().strip(), self.desk

        def make(_p: Progress) -> int:
            blob = desk.council.package(month)
            files.write_bytes(Path(path), blob)
            return len(blob)

        def made(size: int) -> None:
            self.error.show_error("")
            self.status.setText(f"已生成 {month} 的报送包：{path}（{size // 1024} KB）")

        return QueryOp(self, make, made).failure(lambda e: self.error.show_error(error_text(e))) \
            .with_progress("正在生成报送包…").run_in_background()

    def choose_and_package(self) -> None:
        month = self.month.text().strip()
        name = f"{self.keys['code'] or '联络点'}_{month}_报送包.zip"
        path = file_dialogs.save_file(self, "保存报送包", name, "报送包 (*.zip)")
        if path:
            self.package_to(path)

    def choose_and_save_key(self) -> None:
        path = file_dialogs.save_file(self, "保存公钥", "联络点公钥.txt", "文本文件 (*.txt)")
        if path:
            Path(path).write_text(self.desk.council.key_file_text(self.keys), encoding="utf-8")
            self.status.setText(f"公钥已保存：{path}")


class CouncilMergeDialog(QDialog):
    """At the council: trust points' keys, verify their packages, and make the district report."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.district: dict | None = None
        self.setWindowTitle("合并各联络点报送")
        self.resize(1240, 740)  # fits a 1366x768 screen
        trusted_box = QGroupBox("可信联络点（已登记公钥）")
        tl = QVBoxLayout(trusted_box)
        self.trusted = _table(["联络点", "公钥指纹", "登记时间"])
        self.trust_button = QPushButton("登记联络点公钥…")
        self.trust_button.clicked.connect(self.choose_and_trust)
        tl.addWidget(self.trusted)
        tl.addWidget(self.trust_button)
        files_box = QGroupBox("报送包")
        fl = QVBoxLayout(files_box)
        self.files = QListWidget()
        add = QPushButton("添加报送包…")
        add.clicked.connect(self.choose_files)
        remove = QPushButton("移除")
        remove.clicked.connect(lambda: [self.files.takeItem(self.files.row(i)) for i in self.files.selectedItems()])
        self.month = QLineEdit()
        self.month.setPlaceholderText("空：取第一个报送包的月份")
        self.month.setMinimumWidth(230)
        self.merge_button = QPushButton("核验并合并")
        self.merge_button.clicked.connect(self.merge)
        self.pdf_button = QPushButton("区汇总 PDF…")
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.show_pdf)
        row = QHBoxLayout()
        for w in (add, remove, QLabel("月份"), self.month, self.merge_button, self.pdf_button):
            row.addWidget(w)
        row.addStretch(1)
        fl.addWidget(self.files)
        fl.addLayout(row)
        top = QHBoxLayout()
        top.addWidget(trusted_box, 1)
        top.addWidget(files_box, 1)
        self.refusals = QLabel()
        self.refusals.setWordWrap(True)
        self.refusals.setStyleSheet("color:#c0392b")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.points = _table(["联络点", "受理登记", "投诉", "调解成功", "调解成功率", "挽回损失（元）", "受理按期率",
                              "调解按期率", "转办"])
        self.charts = {name: QSvgWidget() for name in ("category", "nature", "trend")}
        chart_row = QHBoxLayout()
        for chart in self.charts.values():
            chart_row.addWidget(chart)
        self.merchants = _table(["经营者（同一信用代码合并）", "统一社会信用代码", "投诉", "涉及联络点"])
        lay = QVBoxLayout(self)
        lay.addLayout(top, 2)
        lay.addWidget(self.refusals)
        lay.addWidget(self.summary)
        lay.addWidget(self.points, 2)
        lay.addLayout(chart_row, 3)
        lay.addWidget(self.merchants, 2)
        self.load_trusted()

    def load_trusted(self) -> None:
        _fill(self.trusted, [[t["name"], t["fingerprint"], t["trusted_at"][:10]] for t in self.desk.council.trusted()])

    def trust_file(self, path: str) -> bool:
        try:
            point = self.desk.council.trust_file(path)
        except FieldError as e:
            self.refusals.setText(e.message)
            return False
        self.refusals.setText("")
        self.summary.setText(f"已登记联络点“{point['name']}”的公钥（指纹 {point['fingerprint']}）")
        self.load_trusted()
        return True

    def choose_and_trust(self) -> None:
        path = file_dialogs.open_file(self, "联络点公钥文件", "公钥 (*.txt *.pub *.pem);;所有文件 (*)")
        if path:
            self.trust_file(path)

    def choose_files(self) -> None:
        paths = file_dialogs.open_files(self, "选择报送包", "报送包 (*.zip)")
        self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        for p in paths:
            self.files.addItem(p)

    def merge(self) -> None:
        """The packages checked and merged in the background; the district's figures, or what was refused."""
        paths = [self.files.item(i).text() for i in range(self.files.count())]
        if not paths:
            self.refusals.setText("请先添加各联络点的报送包")
            return
        desk, month = self.desk, self.month.text().strip() or None
        def work(_p: Progress) -> tuple[dict, dict[str, bytes]]:
            district = desk.council.merge(paths, month)
            return district, desk.reports.chart_svgs(district)

        QueryOp(self, work, lambda merged: self.show_district(*merged)).failure(self.refused) \
            .with_progress("正在核验并合并报送包…").run_in_background()

    def refused(self, e: BaseException) -> None:
        if isinstance(e, InputError):
            self.refusals.setText("以下报送包被拒收，未合并：\n" + "\n".join(err.message for err in e.errors))
        elif isinstance(e, FieldError):
            self.refusals.setText(e.message)
        else:
            show_error(self, e)
        self.district = None
        self.pdf_button.setEnabled(False)

    def show_district(self, d: dict, svgs: dict[str, bytes]) -> None:
        self.refusals.setText("以下报送包被拒收，其余已合并：\n" + "\n".join(d["refused"]) if d["refused"] else "")
        self.district = d
        t = d["totals"]

        def pct(x):
            return "—" if x is None else f"{x}%"

        self.summary.setText(
            f"<b>{d['month']}（{d['from']} 至 {d['to']}）</b>　{len(d['points'])} 个联络点，签名均已核验　"
            f"受理登记 {t['received']} 件，投诉 {t['complaints']} 件，调解成功 {t['outcomes']['resolved']} 件"
            f"（成功率 {pct(t['resolution_rate'])}），挽回经济损失 {t['recovered']} 元，受理按期率 "
            f"{pct(t['acceptance_on_time'])}，调解按期率 {pct(t['mediation_on_time'])}")
        _fill(self.points, [[p["name"], p["received"], p["complaints"], p["outcomes"]["resolved"],
                             pct(p["resolution_rate"]), p["recovered"], pct(p["acceptance_on_time"]),
                             pct(p["mediation_on_time"]), p["referrals"]] for p in d["points"]]
              + [["合计", t["received"], t["complaints"], t["outcomes"]["resolved"], pct(t["resolution_rate"]),
                  t["recovered"], pct(t["acceptance_on_time"]), pct(t["mediation_on_time"]), t["referrals"]]])
        for name, svg in svgs.items():
            self.charts[name].load(QByteArray(svg))
            self.charts[name].renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        _fill(self.merchants, [[m["name"], m["uscc"] or "—", m["complaints"], m["points"]] for m in d["merchants"][:30]])
        self.pdf_button.setEnabled(True)

    def district_pdf(self) -> bytes | None:
        return self.desk.council.district_pdf(self.district) if self.district else None

    def show_pdf(self) -> None:
        from ui.widgets.pdf_preview import PdfPreview

        district, desk = self.district, self.desk
        if not district:
            return
        QueryOp(self, lambda _p: desk.council.district_pdf(district), lambda pdf: PdfPreview(
            pdf, f"区汇总 {district['month']}", f"区汇总_{district['month']}.pdf", self).exec()) \
            .with_progress("正在生成区汇总…").run_in_background()
