"""A case opened at the desk: every field, the history, the deadlines and the next moves."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import codes
from app.desk import Desk
from app.errors import FieldError, InputError
from ui.widgets import ErrorLabel

# Buttons offered for the moves of this lifecycle; others arrive with the mediation work.
MOVE_BUTTONS = {
    "accepted": "受理",
    "not_accepted": "不予受理…",
    "referred": "移送…",
    "closed": "答复并办结",
}


class MoveDialog(QDialog):
    """Asks for the reason of a move that needs one (不予受理 with its Art. 16 ground, 移送)."""

    def __init__(self, to_state: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.to_state = to_state
        self.setWindowTitle(codes.STATE[to_state])
        form = QFormLayout(self)
        self.ground = QComboBox()
        if to_state == "not_accepted":
            self.ground.addItem("（请选择理由）", "")
            for code, text in codes.NOT_ACCEPTED_GROUNDS.items():
                self.ground.addItem(text, code)
            form.addRow("不予受理理由 *", self.ground)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("补充说明" if to_state == "not_accepted" else "移送理由（必填）")
        form.addRow("说明", self.note)
        self.error = ErrorLabel()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def reason_code(self) -> str:
        return self.ground.currentData() or "" if self.to_state == "not_accepted" else ""

    def reason(self) -> str:
        return self.note.toPlainText().strip()

    def _ok(self) -> None:
        if self.to_state == "not_accepted" and not self.reason_code():
            self.error.show_error("请选择不予受理的理由（《市场监督管理投诉举报处理办法》第十六条）")
            return
        if self.to_state != "not_accepted" and not self.reason():
            self.error.show_error("请写明理由")
            return
        self.accept()


class CaseView(QDialog):
    changed = Signal(str)

    def __init__(self, desk: Desk, case_no: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.case_no = case_no
        self.setWindowTitle(f"案件 {case_no}")
        self.resize(900, 720)
        self.layout_ = QVBoxLayout(self)
        self.body = QWidget()
        self.layout_.addWidget(self.body)
        self.move_buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for state, label in MOVE_BUTTONS.items():
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, s=state: self.move(s))
            actions.addWidget(button)
            self.move_buttons[state] = button
        actions.addStretch(1)
        self.print_button = QPushButton("打印回执")
        self.print_button.clicked.connect(self.print_receipt)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        actions.addWidget(self.print_button)
        actions.addWidget(close)
        self.layout_.addLayout(actions)
        self.refresh()

    def refresh(self) -> None:
        self.case = case = self.desk.show_case(self.case_no)
        old = self.body
        self.body = self._build_body(case)
        self.layout_.replaceWidget(old, self.body)
        old.deleteLater()
        allowed = set(case["allowed_moves"])
        for state, button in self.move_buttons.items():
            button.setVisible(state in allowed)
        self.print_button.setEnabled(True)

    def _build_body(self, c: dict) -> QWidget:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        state = codes.label(codes.STATE, c["state"])
        head = QLabel(f"<b style='font-size:14pt'>{c['case_no']}</b>　{codes.label(codes.KIND, c['kind'])}　"
                      f"<span style='color:#0b5394'>{state}</span>"
                      + ("　<span style='color:#1e7e34'>绿色通道</span>" if c["priority"] else "")
                      + ("　<span style='color:#1e7e34'>小额快速</span>" if c["fast_track"] else ""))
        lay.addWidget(head)
        cur = c["deadlines"]["current"]
        if cur["due"]:
            level = {"overdue": "color:#b00000;font-weight:bold", "soon": "color:#b36b00;font-weight:bold"}.get(
                cur["level"], "")
            left = cur["working_days_left"]
            text = f"已逾期 {-left} 个工作日" if cur["level"] == "overdue" else f"还剩 {left} 个工作日"
            rule = c["deadlines"]["rule_set"]
            lay.addWidget(QLabel(f"<span style='{level}'>{cur['what']}：{cur['due']}（{text}）</span>　"
                                 f"依据{rule['name']}（{rule['source']}）"))
        for w in c["deadlines"]["warnings"]:
            warn = QLabel(w)
            warn.setStyleSheet("color:#b36b00")
            warn.setWordWrap(True)
            lay.addWidget(warn)

        row = QHBoxLayout()
        person = QGroupBox("消费者（完整个人信息，查看已记录）")
        pf = QFormLayout(person)
        con = c["consumer"]
        for label, value in (("姓名", con["name"]), ("电话", con["phone"]), ("身份证号", con["id_number"]),
                             ("地址", con["address"]), ("特殊群体", codes.label(codes.CONSUMER_GROUP, con["group"])),
                             ("同意向消保委提供", "是" if con["consent_to_share"] else "否")):
            pf.addRow(label, self._value(value))
        merchant = QGroupBox("经营者")
        mf = QFormLayout(merchant)
        m = c["merchant"]
        for label, value in (("名称", m["name"]), ("统一社会信用代码", m["uscc"]), ("铺位号", m["shop_no"]),
                             ("电话", m["phone"]), ("地址", m["address"])):
            mf.addRow(label, self._value(value))
        row.addWidget(person)
        row.addWidget(merchant)
        lay.addLayout(row)

        matter = QGroupBox("消费事项")
        tf = QFormLayout(matter)
        for label, value in (
            ("登记时间", c["received_at"][:16].replace("T", " ") + "　" + codes.label(codes.CHANNEL, c["channel"])),
            ("类别 / 性质", f"{codes.label(codes.CATEGORY, c['category'])}　{codes.label(codes.NATURE, c['nature'])}"),
            ("商品或服务", f"{c['product']}　{c['brand']}"),
            ("购买", f"{c['purchase_date'] or ''}　{codes.label(codes.PURCHASE_CHANNEL, c['purchase_channel'])}　"
                     f"金额 {c['amount_paid']}　诉求金额 {c['amount_claimed']}"),
            ("事实", c["facts"]),
            ("诉求", "、".join(codes.label(codes.DEMAND, d) for d in c["demands"])),
            ("首问责任人", c["owner"]),
        ):
            tf.addRow(label, self._value(value))
        lay.addWidget(matter)

        history = QGroupBox("办理经过")
        hl = QVBoxLayout(history)
        table = QTableWidget(len(c["events"]), 4)
        table.setHorizontalHeaderLabels(["时间", "经办人", "状态", "说明"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, e in enumerate(c["events"]):
            for col, value in enumerate((e["at"][:16].replace("T", " "), e["staff"],
                                         codes.label(codes.STATE, e["state"]), e["note"])):
                table.setItem(r, col, QTableWidgetItem(value))
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        hl.addWidget(table)
        self.history_table = table
        lay.addWidget(history)
        return body

    @staticmethod
    def _value(text: str) -> QLabel:
        label = QLabel(text or "—")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def move(self, state: str) -> None:
        reason, code = "", ""
        if state in ("not_accepted", "referred"):
            dialog = MoveDialog(state, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            reason, code = dialog.reason(), dialog.reason_code()
        try:
            self.desk.move(self.case_no, state, reason=reason, reason_code=code)
        except (InputError, FieldError) as e:
            QMessageBox.warning(self, "无法办理", str(e))
            return
        self.refresh()
        self.changed.emit(self.case_no)

    def print_receipt(self) -> None:
        from ui.pdf_preview import PdfPreview

        pdf = self.desk.receipt_pdf(self.case_no)
        PdfPreview(pdf, f"登记回执 {self.case_no}", f"回执_{self.case_no}.pdf", self).exec()
