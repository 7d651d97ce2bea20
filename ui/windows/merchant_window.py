"""The merchant registry: who trades here, what they signed, what was delisted, how they stand."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import codes
from app.core.changes import Changes
from app.desk import Desk, MerchantRow
from ui.dialogs.ask_dialog import AskDialog
from ui.ops import QueryOp, announce
from ui.widgets.fields import fit_to_screen
from ui.widgets.tables import row_list

COLUMNS = ["经营者", "统一社会信用代码", "铺位", "在办案件", "近一年投诉", "答复率", "信用等级"]
LEVEL_COLOURS = {"C": "#fff3cd", "D": "#fde2e1"}


def response_text(on_time: int, asked: int, rate: float | None) -> str:
    """答复率 as the registry shows it: 75%（3/4）, or — when no request counts yet."""
    if not asked:
        return "—"
    return f"{rate:.0f}%（{on_time}/{asked}）"


class MerchantWindow(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("经营者管理")
        fit_to_screen(self, 1100, 700)
        self.rows: list[MerchantRow] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText("按名称、信用代码或铺位查找")
        # The registry is counted in the background, once typing pauses (not on every keystroke).
        self.debounce = QTimer(self, singleShot=True, interval=300)
        self.debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self.debounce.start())
        self.loading = False
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        row_list(self.table)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self.show_detail)
        self.detail = QLabel("选择一个经营者查看承诺、退市记录和投诉")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([760, 340])

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text in (("add", "新增经营者…"), ("edit", "修改…"), ("commit", "签署承诺…"),
                          ("delist", "退市记录…"), ("print", "打印承诺书")):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, k=key: self.act(k))
            bar.addWidget(b)
            self.buttons[key] = b
        bar.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(split)
        lay.addLayout(bar)
        self.reload()

    def reload(self, then=None) -> None:
        """Reads the registry off the UI thread; `then` runs once the rows are shown."""

        text, desk = self.search.text(), self.desk
        self.loading = True

        def arrived(rows: list[MerchantRow]) -> None:
            self.loading = False
            self._fill(rows)
            if then is not None:
                then()

        QueryOp(self, lambda _p: desk.merchants.registry(text), arrived).replacing(
            f"registry-{id(self)}").run_in_background()

    def _fill(self, rows: list[MerchantRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(self.rows))
        for r, m in enumerate(self.rows):
            values = [m.name, m.uscc, m.shop_no, str(m.open_cases), str(m.complaints_year),
                      response_text(m.replies_on_time, m.replies_asked, m.response_rate),
                      f"{m.level} {m.level_label}（{m.score}）"]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                if m.level in LEVEL_COLOURS:
                    item.setBackground(QColor(LEVEL_COLOURS[m.level]))
                self.table.setItem(r, c, item)
        for c in range(1, len(COLUMNS)):  # the name takes what the figures leave
            self.table.resizeColumnToContents(c)
        self._enable()

    def selected(self) -> MerchantRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _enable(self) -> None:
        chosen = self.selected() is not None
        for key in ("edit", "commit", "delist", "print"):
            self.buttons[key].setEnabled(chosen)

    def show_detail(self) -> None:
        self._enable()
        m = self.selected()
        if m is None:
            return
        d = self.desk.merchants.detail(m.id)
        parts = [f"<b>{d.name}</b>　信用等级 <b>{d.level} {d.level_label}</b>（{d.score}分）"]
        if d.level_action:
            parts.append(f"<span style='color:#b00000'>建议：{d.level_action}</span>")
        parts += [f"· {r}" for r in d.level_reasons]
        rate = response_text(d.replies_on_time, d.replies_asked, d.response_rate)
        parts.append(f"<b>答复率</b>：{rate}（告知经营者后按期答复的件数 / 已答复或已过期限的告知件数）")
        parts.append("<b>承诺</b>：" + ("；".join(f"{c.label}（{c.signed_on}）" for c in d.commitments) or "未签署"))
        parts.append("<b>不合格商品退市</b>：" + ("；".join(
            f"{x.delisted_on} {x.product}（{x.reason}）"
            + (f"，{x.reported_on} 已报告市场监管" if x.reported_on else "，未报告市场监管")
            for x in d.delistings) or "无"))
        parts.append(f"<b>投诉记录</b>（{len(d.cases)} 件）：")
        parts += [f"{c.received} {c.case_no} {codes.label(codes.STATE, c.state)} {c.product} {c.consumer}"
                  for c in d.cases[:30]]
        self.detail.setText("<br>".join(parts))

    def _run_dialog(self, dialog: QDialog) -> int:
        """Shows a question; tests replace this to answer it."""
        return dialog.exec()

    def act(self, key: str) -> None:
        m = self.selected()
        editing = m if key == "edit" else None
        fields_merchant = [("text", "name", "名称 *", editing.name if editing else ""),
                           ("text", "uscc", "统一社会信用代码", editing.uscc if editing else ""),
                           ("text", "shop_no", "铺位号", editing.shop_no if editing else ""),
                           ("text", "phone", "电话", editing.phone if editing else ""),
                           ("text", "address", "地址", editing.address if editing else "")]
        if key == "print" and m is not None:
            from ui.widgets.pdf_preview import PdfPreview

            pdf = self.desk.documents.commitment_pdf(m.id)
            PdfPreview(pdf, "商品质量安全承诺", f"承诺书_{m.name}.pdf", self).exec()
            return
        if key in ("add", "edit"):
            dialog = AskDialog("经营者", fields_merchant,
                               lambda v: self.desk.merchants.save(v, editing.id if editing else None), self)
        elif m is None:  # the other tasks are about the merchant chosen
            return
        elif key == "commit":
            dialog = AskDialog("签署承诺", [("choice", "kind", "承诺 *", codes.COMMITMENT),
                                            ("text", "signed_on", "签署日期 *（如 2026-11-20）", ""),
                                            ("text", "note", "备注", "")],
                               lambda v: self.desk.merchants.add_commitment(m.id, v["kind"], v["signed_on"], v["note"]), self)
        else:
            dialog = AskDialog("不合格商品退市", [("text", "product", "商品 *", ""),
                                                   ("text", "delisted_on", "退市日期 *", ""),
                                                   ("text", "reason", "原因 *", ""), ("text", "quantity", "数量", ""),
                                                   ("text", "action", "处置情况", ""),
                                                   ("text", "reported_on", "报告市场监管日期", "")],
                               lambda v: self.desk.merchants.add_delisting(m.id, v["product"], v["delisted_on"], v["reason"],
                                                                 v["quantity"], v["action"], v["reported_on"] or None),
                               self)
        if self._run_dialog(dialog) == QDialog.DialogCode.Accepted:
            announce(Changes(merchants=True))
            keep = m.id if m else None

            def reselect() -> None:
                if keep is not None:
                    for r, row in enumerate(self.rows):
                        if row.id == keep:
                            self.table.selectRow(r)
                    self.show_detail()  # the row may have stayed selected, so no selection signal

            self.reload(reselect)


